// The unit's settings: config.h defaults, overridden by values stored in flash (Preferences) over serial.
#pragma once

#include <stdint.h>

#include "settings_rules.h"

namespace thirdring {

struct Settings {
  char wifiSsid[33];
  char wifiPassword[64];
  char mqttHost[64];
  uint16_t mqttPort;
  char mqttUsername[64];
  char mqttPassword[64];
  bool mqttTls;
  char site[33];
  char desk[33];
};

void loadSettings(Settings& settings);  // defaults from config.h, then stored overrides
SettingCheck storeSetting(const char* key, const char* value);  // validated; Ok = saved
bool forgetSetting(const char* key);
bool forgetAllSettings();
void printSettings(const Settings& settings);  // secrets masked; marks which values are stored

}  // namespace thirdring
