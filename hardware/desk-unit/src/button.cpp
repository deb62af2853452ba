#include "button.h"

namespace thirdring {

const char* buttonEventName(ButtonEvent event) {
  switch (event) {
    case ButtonEvent::ShortPress:
      return "short";
    case ButtonEvent::LongPress:
      return "long";
    case ButtonEvent::DoublePress:
      return "double";
    case ButtonEvent::None:
      break;
  }
  return "none";
}

ButtonEvent ButtonClassifier::update(bool pressedRaw, uint32_t nowMs) {
  if (!started_) {
    // A button held (or stuck) at power-up must not fire: wait for a release first.
    started_ = true;
    raw_ = stable_ = pressedRaw;
    rawChangedAt_ = pressedAt_ = nowMs;
    pressConsumed_ = pressedRaw;
    return ButtonEvent::None;
  }
  if (pressedRaw != raw_) {
    raw_ = pressedRaw;
    rawChangedAt_ = nowMs;
  }
  // Accept a new level once the raw reading has held it for the debounce time. The edge time is when it
  // first changed, so press durations are not stretched by the debounce delay.
  if (raw_ != stable_ && nowMs - rawChangedAt_ >= debounceMs_) {
    stable_ = raw_;
    if (stable_) {
      pressedAt_ = rawChangedAt_;
      pressConsumed_ = false;
      if (shortPending_) {
        shortPending_ = false;
        if (pressedAt_ - pendingSince_ < doubleMaxMs_) {
          pressConsumed_ = true;  // the rest of the second press (its release, a long hold) does nothing
          return ButtonEvent::DoublePress;
        }
        return ButtonEvent::ShortPress;  // too late for a double (only when update() was not called for a while)
      }
    } else {
      const uint32_t heldMs = rawChangedAt_ - pressedAt_;
      const bool wasConsumed = pressConsumed_;
      pressConsumed_ = false;
      if (wasConsumed || heldMs >= shortMaxMs_) return ButtonEvent::None;
      if (heldMs >= doubleMaxMs_) return ButtonEvent::ShortPress;
      shortPending_ = true;
      pendingSince_ = pressedAt_;
    }
  }
  if (shortPending_) {
    // A second press that started in time but is not debounced yet may still make this a double.
    const bool secondPressStarting = raw_ && rawChangedAt_ - pendingSince_ < doubleMaxMs_;
    if (!secondPressStarting && nowMs - pendingSince_ >= doubleMaxMs_) {
      shortPending_ = false;
      return ButtonEvent::ShortPress;
    }
    return ButtonEvent::None;
  }
  if (stable_ && !pressConsumed_ && nowMs - pressedAt_ >= longMinMs_) {
    pressConsumed_ = true;
    return ButtonEvent::LongPress;
  }
  return ButtonEvent::None;
}

}  // namespace thirdring
