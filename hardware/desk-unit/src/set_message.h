// Decodes the MQTT payloads the desk unit receives. Uses ArduinoJson v7, so it is built for the device
// only; the rules it feeds (DeskState::applySet) are host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "desk_state.h"

namespace thirdring {

enum class SetVerdict : uint8_t {
  Applied,       // every part that was present is valid
  PartRejected,  // "led" or "buzzer" had a wrong shape or an unknown value: that part is ignored, the other applied
  Rejected,      // not JSON, or not a JSON object: nothing applied
  Cleared,       // empty payload (a retained message being cleared): everything off
};

struct SetDecode {
  SetVerdict verdict = SetVerdict::Rejected;
  SetCommand command;
  const char* problem = nullptr;  // what was wrong (static text), for the serial log
};

// desk/<desk>/set: {"led": {"color", "pattern"}, "buzzer": {"pattern"}}; extra fields are ignored, either
// key (and either field inside "led") may be missing. An invalid part is dropped as a whole, so a bad color
// never pairs a new pattern with an old color.
SetDecode decodeSetPayload(const uint8_t* payload, size_t length);

}  // namespace thirdring
