// Debounce and press classification for the desk button. Pure: it is fed the raw reading and the time,
// and reads no pin itself (main.cpp does digitalRead), so the host test can drive it with bounce patterns.
#pragma once

#include <stdint.h>

namespace thirdring {

enum class ButtonEvent : uint8_t { None, ShortPress, LongPress, DoublePress };
const char* buttonEventName(ButtonEvent event);  // "none", "short", "long", "double" (for the serial log)

class ButtonClassifier {
 public:
  // short: released before shortMaxMs; long: reported as soon as it has been held longMinMs (the user gets
  // the result without guessing when to let go). A press between the two is ignored on purpose, so a
  // hesitant press does neither.
  // double: a second press that starts within doubleMaxMs of the start of a short first press; it is reported
  // as soon as the second press is debounced, and neither press is also a short (or long) press. To tell, a
  // short press that lasted less than doubleMaxMs is reported doubleMaxMs after it started (not on release);
  // a longer short press is reported on release as before. doubleMaxMs = 0 turns double presses off.
  explicit ButtonClassifier(uint32_t debounceMs = 30, uint32_t shortMaxMs = 1000, uint32_t longMinMs = 2000,
                            uint32_t doubleMaxMs = 400)
      : debounceMs_(debounceMs), shortMaxMs_(shortMaxMs), longMinMs_(longMinMs), doubleMaxMs_(doubleMaxMs) {}

  // pressedRaw: the undebounced reading (true = pressed). Call often (every loop); at most one event per call.
  ButtonEvent update(bool pressedRaw, uint32_t nowMs);

  bool pressed() const { return stable_; }

 private:
  uint32_t debounceMs_, shortMaxMs_, longMinMs_, doubleMaxMs_;
  bool started_ = false;
  bool raw_ = false;
  bool stable_ = false;
  uint32_t rawChangedAt_ = 0;
  uint32_t pressedAt_ = 0;
  bool pressConsumed_ = false;  // long or double press already reported, or the button was held at power-up
  bool shortPending_ = false;   // a short press waiting to see whether a second press makes it a double
  uint32_t pendingSince_ = 0;   // when that short press started
};

}  // namespace thirdring
