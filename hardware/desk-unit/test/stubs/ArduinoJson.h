// The few ArduinoJson 7 declarations the firmware uses (JsonDocument, JsonVariantConst, deserializeJson).
#pragma once
#include <stddef.h>

class JsonObjectConst {};
class JsonVariantConst {
 public:
  bool isNull() const;
  template <typename T>
  bool is() const;
  template <typename T>
  T as() const;
  JsonVariantConst operator[](const char* key) const;
};
class JsonDocument {
 public:
  template <typename T>
  T as() const;
};
class DeserializationError {
 public:
  explicit operator bool() const;
};
DeserializationError deserializeJson(JsonDocument& doc, const char* input, size_t inputSize);
