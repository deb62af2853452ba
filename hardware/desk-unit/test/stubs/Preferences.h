// Signatures from arduino-esp32 libraries/Preferences/src/Preferences.h.
#pragma once
#include <Arduino.h>

class Preferences {
 public:
  bool begin(const char* name, bool readOnly = false, const char* partition_label = nullptr);
  void end();
  bool clear();
  bool remove(const char* key);
  size_t putString(const char* key, const char* value);
  String getString(const char* key, String defaultValue = String());
};
