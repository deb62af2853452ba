#include "indicator.h"

#include <Arduino.h>

#include "app_config.h"

#if LED_TYPE == LED_TYPE_WS2812
#include <Adafruit_NeoPixel.h>
#endif

#if __has_include(<esp_arduino_version.h>)
#include <esp_arduino_version.h>
#endif
#ifndef ESP_ARDUINO_VERSION_MAJOR
#define ESP_ARDUINO_VERSION_MAJOR 2
#endif

namespace thirdring {

namespace {

struct Rgb {
  uint8_t r, g, b;
};

constexpr Rgb kBlue = {COLOR_BLUE};
constexpr Rgb kAmber = {COLOR_AMBER};
constexpr Rgb kWhite = {COLOR_WHITE};
constexpr Rgb kLinkDown = {COLOR_LINK_DOWN};
constexpr Rgb kAway = {COLOR_AWAY};
constexpr Rgb kDark = {0, 0, 0};

Rgb rgbOf(Hue hue) {
  switch (hue) {
    case Hue::Blue:
      return kBlue;
    case Hue::Amber:
      return kAmber;
    case Hue::White:
      return kWhite;
    case Hue::LinkDown:
      return kLinkDown;
    case Hue::Away:
      return kAway;
    case Hue::None:
      break;
  }
  return kDark;
}

// LEDC channels. Core 2.x ties channels to timers in pairs (channel n uses timer (n/2)%4): the RGB LED
// takes channels 0–2 (timers 0 and 1) and the buzzer channel 4 (timer 2), so the buzzer's frequency never
// changes the LED's. Core 3.x shares a timer only between channels with equal frequency and resolution,
// and the two differ here. Channel 4 exists on every ESP32 variant (the C3 has 6).
constexpr uint8_t kRedChannel = 0;
constexpr uint8_t kGreenChannel = 1;
constexpr uint8_t kBlueChannel = 2;
constexpr uint8_t kBuzzerChannel = 4;
constexpr uint32_t kLedPwmHz = 5000;
constexpr uint8_t kLedPwmBits = 12;  // fine steps at the dark end of the breathing curve
constexpr uint8_t kBuzzerBits = 10;
constexpr uint32_t kBuzzerOnDuty = 1u << (kBuzzerBits - 1);  // 50 %: the loudest square wave

// Attach `pin` to LEDC `channel`; afterwards pwmWrite(pin, channel, duty) sets its duty.
bool pwmAttach(uint8_t pin, uint8_t channel, uint32_t frequency, uint8_t bits) {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  return ledcAttachChannel(pin, frequency, bits, channel);
#else
  if (ledcSetup(channel, frequency, bits) == 0) return false;
  ledcAttachPin(pin, channel);
  return true;
#endif
}

void pwmWrite(uint8_t pin, uint8_t channel, uint32_t duty) {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  (void)channel;
  ledcWrite(pin, duty);  // 3.x addresses LEDC by pin
#else
  (void)pin;
  ledcWrite(channel, duty);  // 2.x addresses LEDC by channel
#endif
}

#if LED_TYPE == LED_TYPE_WS2812
Adafruit_NeoPixel pixels(LED_WS2812_COUNT, LED_WS2812_PIN, LED_WS2812_ORDER + NEO_KHZ800);
#endif

}  // namespace

void Indicator::begin() {
#if LED_TYPE == LED_TYPE_WS2812
  pixels.begin();
  pixels.clear();
  pixels.show();
#else
  const bool ledOk = pwmAttach(LED_RGB_PIN_RED, kRedChannel, kLedPwmHz, kLedPwmBits) &&
                     pwmAttach(LED_RGB_PIN_GREEN, kGreenChannel, kLedPwmHz, kLedPwmBits) &&
                     pwmAttach(LED_RGB_PIN_BLUE, kBlueChannel, kLedPwmHz, kLedPwmBits);
  if (!ledOk) Serial.println("[indicator] could not set up LEDC PWM for the RGB LED: check the pins");
#endif
#if BUZZER_ENABLED
  if (!pwmAttach(BUZZER_PIN, kBuzzerChannel, timing::kBuzzerToneHz, kBuzzerBits)) {
    Serial.println("[indicator] could not set up LEDC PWM for the buzzer: check BUZZER_PIN");
  }
  pwmWrite(BUZZER_PIN, kBuzzerChannel, 0);
#endif
  started_ = true;
  writeRgb(0, 0, 0, 0);
}

void Indicator::show(const Output& output) {
  if (!started_) return;
  if (output.hue != lastHue_ || output.level != lastLevel_) {
    lastHue_ = output.hue;
    lastLevel_ = output.level;
    const Rgb color = rgbOf(output.hue);
    writeRgb(color.r, color.g, color.b, output.level);
  }
  if (output.buzzer != lastBuzzer_) {
    lastBuzzer_ = output.buzzer;
    writeBuzzer(output.buzzer);
  }
}

void Indicator::writeRgb(uint8_t red, uint8_t green, uint8_t blue, uint8_t level) {
#if LED_TYPE == LED_TYPE_WS2812
  const uint8_t r = static_cast<uint8_t>(pwmDuty(red, level, LED_MAX_BRIGHTNESS, 8));
  const uint8_t g = static_cast<uint8_t>(pwmDuty(green, level, LED_MAX_BRIGHTNESS, 8));
  const uint8_t b = static_cast<uint8_t>(pwmDuty(blue, level, LED_MAX_BRIGHTNESS, 8));
  for (uint16_t i = 0; i < pixels.numPixels(); ++i) pixels.setPixelColor(i, r, g, b);
  pixels.show();
#else
  const uint32_t full = (1u << kLedPwmBits) - 1;
  uint32_t r = pwmDuty(red, level, LED_MAX_BRIGHTNESS, kLedPwmBits);
  uint32_t g = pwmDuty(green, level, LED_MAX_BRIGHTNESS, kLedPwmBits);
  uint32_t b = pwmDuty(blue, level, LED_MAX_BRIGHTNESS, kLedPwmBits);
  if (LED_RGB_COMMON_ANODE) {
    r = full - r;
    g = full - g;
    b = full - b;
  }
  pwmWrite(LED_RGB_PIN_RED, kRedChannel, r);
  pwmWrite(LED_RGB_PIN_GREEN, kGreenChannel, g);
  pwmWrite(LED_RGB_PIN_BLUE, kBlueChannel, b);
#endif
}

void Indicator::writeBuzzer(bool on) {
#if BUZZER_ENABLED
  pwmWrite(BUZZER_PIN, kBuzzerChannel, on ? kBuzzerOnDuty : 0);
#else
  (void)on;
#endif
}

}  // namespace thirdring
