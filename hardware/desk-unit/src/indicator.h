// LED and buzzer hardware: turns a DeskState Output (hue, level, buzzer on/off) into pin activity.
// WS2812 via Adafruit_NeoPixel, or a common-cathode/anode RGB LED on three LEDC PWM channels; the piezo on
// its own LEDC channel at a fixed 2.7 kHz, switched by duty (50 % = sound, 0 = silent). Writes only when
// something changed.
#pragma once

#include <stdint.h>

#include "desk_state.h"

namespace thirdring {

class Indicator {
 public:
  void begin();
  void show(const Output& output);

 private:
  void writeRgb(uint8_t red, uint8_t green, uint8_t blue, uint8_t level);
  void writeBuzzer(bool on);

  bool started_ = false;
  Hue lastHue_ = Hue::None;
  uint8_t lastLevel_ = 0;
  bool lastBuzzer_ = false;
};

}  // namespace thirdring
