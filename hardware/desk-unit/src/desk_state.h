// What the desk unit shows and sends, as a pure state machine: bridge commands, the local button and the
// link state go in (with the time), and out come the LED hue + level, the buzzer on/off and the actions to
// publish. No Arduino includes, so every rule here is covered by the host test.
#pragma once

#include <stdint.h>

#include "button.h"
#include "patterns.h"

namespace thirdring {

// A decoded desk/<desk>/set message. Each field is optional: a missing one keeps what the unit shows.
struct SetCommand {
  bool hasColor = false;
  LedColor color = LedColor::Off;
  bool hasPattern = false;
  LedPattern pattern = LedPattern::Off;
  bool hasBuzzer = false;
  BuzzerPattern buzzer = BuzzerPattern::Off;

  // Everything off: what an empty (retained-clear) payload means.
  static SetCommand allOff() {
    SetCommand off;
    off.hasColor = off.hasPattern = off.hasBuzzer = true;
    return off;
  }
};

// Cover: the cover button (a double press), a toggle; the bridge knows which desk it covers (desks[].coverFor).
enum class DeskAction : uint8_t { None, Ack, Present, Away, Cover };
const char* deskActionName(DeskAction action);  // "ack", "present", "away", "cover" (the contract's values)

// What the LED should show. The hue is mapped to RGB by the indicator (config.h holds the exact colors,
// so they can be trimmed per LED type); `level` is the perceived brightness 0–255.
enum class Hue : uint8_t { None, Blue, Amber, White, LinkDown, Away };

struct Output {
  Hue hue = Hue::None;
  uint8_t level = 0;
  bool buzzer = false;
};

class DeskState {
 public:
  void applySet(const SetCommand& command, uint32_t nowMs);
  void setLinkUp(bool up, uint32_t nowMs);

  // The action to publish for a button event (None if nothing). Updates local presence at once, so the LED
  // reacts before the bridge answers.
  DeskAction onButton(ButtonEvent event);

  Output output(uint32_t nowMs) const;

  // The LED shows a call: linked, and a color with a visible pattern. A short press then means "ack".
  bool showsCall() const { return linkUp_ && color_ != LedColor::Off && pattern_ != LedPattern::Off; }
  bool present() const { return present_; }
  bool linkUp() const { return linkUp_; }
  LedColor color() const { return color_; }
  LedPattern pattern() const { return pattern_; }
  BuzzerPattern buzzer() const { return buzzer_; }
  bool buzzerMuted() const { return buzzerMuted_; }

 private:
  LedColor color_ = LedColor::Off;
  LedPattern pattern_ = LedPattern::Off;
  BuzzerPattern buzzer_ = BuzzerPattern::Off;
  uint32_t ledSince_ = 0;     // pattern phases restart only when the pattern actually changes, so a
  uint32_t buzzerSince_ = 0;  // re-delivered retained message does not make the blink stutter
  uint32_t linkSince_ = 0;
  bool linkUp_ = false;
  // Local view of presence, changed only by the button: the unit may subscribe to nothing but its own
  // set topic, so it cannot read the bridge's view. Starts as the bridge's default (present).
  bool present_ = true;
  bool buzzerMuted_ = false;  // set by an ack, cleared when the bridge sends a different buzzer pattern
};

// Actions that could not be published yet (link down, or the publish failed). Presence keeps only the
// latest change; an ack is dropped if it is older than kAckMaxAgeMs, because by then the call it
// acknowledged has moved on. Cover is a toggle of whatever the bridge has at the time it arrives, so it is
// treated like an ack: dropped once older than kCoverMaxAgeMs (late, it could undo a change someone made
// meanwhile), and a second cover while one waits cancels both (two toggles are no change).
class PendingActions {
 public:
  static constexpr uint32_t kAckMaxAgeMs = 10000;
  static constexpr uint32_t kCoverMaxAgeMs = 10000;

  void push(DeskAction action, uint32_t nowMs);
  // The next action to send (None if nothing is due). Call pop() after it was published.
  DeskAction peek(uint32_t nowMs);
  void pop();
  bool empty() const { return presence_ == DeskAction::None && !ackPending_ && !coverPending_; }

 private:
  DeskAction presence_ = DeskAction::None;
  bool ackPending_ = false;
  uint32_t ackQueuedAt_ = 0;
  bool coverPending_ = false;
  uint32_t coverQueuedAt_ = 0;
};

}  // namespace thirdring
