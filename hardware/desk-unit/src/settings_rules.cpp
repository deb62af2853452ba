#include "settings_rules.h"

#include <string.h>

#include "topics.h"

namespace thirdring {

// Lengths follow the Wi-Fi limits (SSID 32, WPA passphrase 63) and fit the buffers in Settings.
const SettingRule kSettingRules[] = {
    {"wifi_ssid", SettingKind::Text, 32, "Wi-Fi network name"},
    {"wifi_pass", SettingKind::Secret, 63, "Wi-Fi password (empty: open network)"},
    {"mqtt_host", SettingKind::Text, 63, "broker IP address or DNS name"},
    {"mqtt_port", SettingKind::Port, 5, "broker port, e.g. 1883 or 8883"},
    {"mqtt_user", SettingKind::Text, 63, "MQTT username (empty: none)"},
    {"mqtt_pass", SettingKind::Secret, 63, "MQTT password"},
    {"mqtt_tls", SettingKind::Flag, 5, "1 = mqtts with the CA certificate built in, 0 = plain"},
    {"site", SettingKind::Site, 32, "site name, [a-z0-9-]+"},
    {"desk", SettingKind::DeskId, 32, "desk id as in the bridge config"},
};
const size_t kSettingRuleCount = sizeof kSettingRules / sizeof kSettingRules[0];

const SettingRule* findSettingRule(const char* key) {
  if (key == nullptr) return nullptr;
  for (size_t i = 0; i < kSettingRuleCount; ++i) {
    if (strcmp(kSettingRules[i].key, key) == 0) return &kSettingRules[i];
  }
  return nullptr;
}

bool parsePort(const char* text, uint16_t& port) {
  if (text == nullptr || *text == '\0' || strlen(text) > 5) return false;
  uint32_t value = 0;
  for (const char* c = text; *c; ++c) {
    if (*c < '0' || *c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(*c - '0');
  }
  if (value < 1 || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

bool parseFlag(const char* text, bool& flag) {
  if (text == nullptr) return false;
  static const char* const kTrue[] = {"1", "on", "true", "yes"};
  static const char* const kFalse[] = {"0", "off", "false", "no"};
  for (const char* word : kTrue) {
    if (strcmp(text, word) == 0) {
      flag = true;
      return true;
    }
  }
  for (const char* word : kFalse) {
    if (strcmp(text, word) == 0) {
      flag = false;
      return true;
    }
  }
  return false;
}

SettingCheck checkSetting(const char* key, const char* value) {
  const SettingRule* rule = findSettingRule(key);
  if (rule == nullptr) return SettingCheck::UnknownKey;
  if (value == nullptr) return SettingCheck::Invalid;
  if (strlen(value) > rule->maxLength) return SettingCheck::TooLong;
  uint16_t port = 0;
  bool flag = false;
  switch (rule->kind) {
    case SettingKind::Text:
    case SettingKind::Secret:
      return SettingCheck::Ok;
    case SettingKind::Port:
      return parsePort(value, port) ? SettingCheck::Ok : SettingCheck::Invalid;
    case SettingKind::Flag:
      return parseFlag(value, flag) ? SettingCheck::Ok : SettingCheck::Invalid;
    case SettingKind::Site:
      return isValidSite(value) ? SettingCheck::Ok : SettingCheck::Invalid;
    case SettingKind::DeskId:
      return isValidDeskId(value) ? SettingCheck::Ok : SettingCheck::Invalid;
  }
  return SettingCheck::Invalid;
}

}  // namespace thirdring
