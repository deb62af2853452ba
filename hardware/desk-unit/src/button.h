// Debounce and press classification for the desk button. Pure: it is fed the raw reading and the time,
// and reads no pin itself (main.cpp does digitalRead), so the host test can drive it with bounce patterns.
#pragma once

#include <stdint.h>

namespace thirdring {

enum class ButtonEvent : uint8_t { None, ShortPress, LongPress };

class ButtonClassifier {
 public:
  // short: released before shortMaxMs; long: reported as soon as it has been held longMinMs (the user gets
  // the result without guessing when to let go). A press between the two is ignored on purpose, so a
  // hesitant press does neither.
  explicit ButtonClassifier(uint32_t debounceMs = 30, uint32_t shortMaxMs = 1000, uint32_t longMinMs = 2000)
      : debounceMs_(debounceMs), shortMaxMs_(shortMaxMs), longMinMs_(longMinMs) {}

  // pressedRaw: the undebounced reading (true = pressed). Call often (every loop); at most one event per call.
  ButtonEvent update(bool pressedRaw, uint32_t nowMs);

  bool pressed() const { return stable_; }

 private:
  uint32_t debounceMs_, shortMaxMs_, longMinMs_;
  bool started_ = false;
  bool raw_ = false;
  bool stable_ = false;
  uint32_t rawChangedAt_ = 0;
  uint32_t pressedAt_ = 0;
  bool pressConsumed_ = false;  // long press already reported, or the button was held at power-up
};

}  // namespace thirdring
