#include "settings.h"

#include <Arduino.h>
#include <Preferences.h>
#include <string.h>

#include "app_config.h"

namespace thirdring {

namespace {

constexpr const char* kNamespace = "thirdring";
// Preferences has no "is this key set" in every core version we target, so absent keys read as this.
constexpr const char* kAbsent = "\x01";

void copyText(char* destination, size_t size, const char* source) {
  strncpy(destination, source, size - 1);
  destination[size - 1] = '\0';
}

// Overrides `destination` with the stored value of `key`, if there is one.
void readStored(Preferences& preferences, const char* key, char* destination, size_t size) {
  const String value = preferences.getString(key, kAbsent);
  if (value != kAbsent) copyText(destination, size, value.c_str());
}

bool isStored(const char* key) {
  Preferences preferences;
  if (!preferences.begin(kNamespace, true)) return false;
  const bool stored = preferences.getString(key, kAbsent) != kAbsent;
  preferences.end();
  return stored;
}

}  // namespace

void loadSettings(Settings& settings) {
  copyText(settings.wifiSsid, sizeof settings.wifiSsid, WIFI_SSID);
  copyText(settings.wifiPassword, sizeof settings.wifiPassword, WIFI_PASSWORD);
  copyText(settings.mqttHost, sizeof settings.mqttHost, MQTT_HOST);
  settings.mqttPort = MQTT_PORT;
  copyText(settings.mqttUsername, sizeof settings.mqttUsername, MQTT_USERNAME);
  copyText(settings.mqttPassword, sizeof settings.mqttPassword, MQTT_PASSWORD);
  settings.mqttTls = MQTT_TLS != 0;
  copyText(settings.site, sizeof settings.site, THIRDRING_SITE);
  copyText(settings.desk, sizeof settings.desk, DESK_ID);

  Preferences preferences;
  if (!preferences.begin(kNamespace, true)) return;  // nothing stored yet (the namespace does not exist)
  readStored(preferences, "wifi_ssid", settings.wifiSsid, sizeof settings.wifiSsid);
  readStored(preferences, "wifi_pass", settings.wifiPassword, sizeof settings.wifiPassword);
  readStored(preferences, "mqtt_host", settings.mqttHost, sizeof settings.mqttHost);
  readStored(preferences, "mqtt_user", settings.mqttUsername, sizeof settings.mqttUsername);
  readStored(preferences, "mqtt_pass", settings.mqttPassword, sizeof settings.mqttPassword);
  readStored(preferences, "site", settings.site, sizeof settings.site);
  readStored(preferences, "desk", settings.desk, sizeof settings.desk);
  char number[8] = "";
  readStored(preferences, "mqtt_port", number, sizeof number);
  if (number[0] != '\0') parsePort(number, settings.mqttPort);
  char flag[8] = "";
  readStored(preferences, "mqtt_tls", flag, sizeof flag);
  if (flag[0] != '\0') parseFlag(flag, settings.mqttTls);
  preferences.end();
}

SettingCheck storeSetting(const char* key, const char* value) {
  const SettingCheck check = checkSetting(key, value);
  if (check != SettingCheck::Ok) return check;
  Preferences preferences;
  if (!preferences.begin(kNamespace, false)) return SettingCheck::Invalid;
  // putString returns the bytes written; 0 for an empty value is not an error (e.g. an open network).
  const size_t written = preferences.putString(key, value);
  preferences.end();
  return (written > 0 || value[0] == '\0') ? SettingCheck::Ok : SettingCheck::Invalid;
}

bool forgetSetting(const char* key) {
  Preferences preferences;
  if (!preferences.begin(kNamespace, false)) return false;
  const bool removed = preferences.remove(key);
  preferences.end();
  return removed;
}

bool forgetAllSettings() {
  Preferences preferences;
  if (!preferences.begin(kNamespace, false)) return false;
  const bool cleared = preferences.clear();
  preferences.end();
  return cleared;
}

void printSettings(const Settings& settings) {
  auto line = [](const char* key, const char* value) {
    Serial.printf("  %-10s %s%s\n", key, value, isStored(key) ? "   (stored)" : "");
  };
  auto secret = [](const char* key, const char* value) {
    Serial.printf("  %-10s %s%s\n", key, value[0] ? "********" : "(empty)", isStored(key) ? "   (stored)" : "");
  };
  char port[8];
  snprintf(port, sizeof port, "%u", static_cast<unsigned>(settings.mqttPort));
  line("wifi_ssid", settings.wifiSsid);
  secret("wifi_pass", settings.wifiPassword);
  line("mqtt_host", settings.mqttHost);
  line("mqtt_port", port);
  line("mqtt_user", settings.mqttUsername[0] ? settings.mqttUsername : "(none)");
  secret("mqtt_pass", settings.mqttPassword);
  line("mqtt_tls", settings.mqttTls ? "1" : "0");
  line("site", settings.site);
  line("desk", settings.desk);
}

}  // namespace thirdring
