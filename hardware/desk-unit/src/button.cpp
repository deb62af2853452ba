#include "button.h"

namespace thirdring {

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
    } else {
      const uint32_t heldMs = rawChangedAt_ - pressedAt_;
      const bool wasConsumed = pressConsumed_;
      pressConsumed_ = false;
      if (!wasConsumed && heldMs < shortMaxMs_) return ButtonEvent::ShortPress;
      return ButtonEvent::None;
    }
  }
  if (stable_ && !pressConsumed_ && nowMs - pressedAt_ >= longMinMs_) {
    pressConsumed_ = true;
    return ButtonEvent::LongPress;
  }
  return ButtonEvent::None;
}

}  // namespace thirdring
