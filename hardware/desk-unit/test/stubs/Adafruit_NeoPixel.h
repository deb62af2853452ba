// Signatures from adafruit/Adafruit_NeoPixel (Adafruit_NeoPixel.h).
#pragma once
#include <Arduino.h>

#define NEO_RGB ((0 << 6) | (0 << 4) | (1 << 2) | (2))
#define NEO_GRB ((1 << 6) | (1 << 4) | (0 << 2) | (2))
#define NEO_KHZ800 0x0000
typedef uint16_t neoPixelType;

class Adafruit_NeoPixel {
 public:
  Adafruit_NeoPixel(uint16_t n, int16_t pin = 6, neoPixelType type = NEO_GRB + NEO_KHZ800);
  bool begin(void);
  void show(void);
  void clear(void);
  void setPixelColor(uint16_t n, uint8_t r, uint8_t g, uint8_t b);
  uint16_t numPixels(void) const;
};
