// Stand-in for the ESP32 Arduino core, for `make stub-check` only: declarations with the signatures of
// arduino-esp32 2.x/3.x that the firmware uses. Never linked, never run.
#pragma once
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <esp_arduino_version.h>

#define LOW 0x0
#define HIGH 0x1
#define INPUT_PULLUP 0x05

unsigned long millis();
void pinMode(uint8_t pin, uint8_t mode);
int digitalRead(uint8_t pin);
long random(long howbig);

#if ESP_ARDUINO_VERSION_MAJOR >= 3
bool ledcAttachChannel(uint8_t pin, uint32_t freq, uint8_t resolution, uint8_t channel);
bool ledcWrite(uint8_t pin, uint32_t duty);
#else
uint32_t ledcSetup(uint8_t channel, uint32_t freq, uint8_t resolution_bits);
void ledcAttachPin(uint8_t pin, uint8_t channel);
void ledcWrite(uint8_t channel, uint32_t duty);
#endif

class String {
 public:
  String(const char* text = "");
  const char* c_str() const;
  unsigned int length() const;
  bool operator!=(const char* other) const;
  bool operator==(const char* other) const;
};

class Print {
 public:
  size_t print(const char* text);
  size_t println(const char* text);
  size_t println();
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t write(const uint8_t* buffer, size_t size);
};

class HardwareSerial : public Print {
 public:
  void begin(unsigned long baud);
  int available();
  int read();
  void flush();
};
extern HardwareSerial Serial;

class IPAddress {
 public:
  String toString() const;
};

class EspClass {
 public:
  void restart();
};
extern EspClass ESP;

class Client {
 public:
  virtual ~Client() {}
};
