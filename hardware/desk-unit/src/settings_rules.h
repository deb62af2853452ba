// The settings a facilities person may change over serial, and what values each accepts. Pure (no
// Arduino includes): host-tested. Storage lives in settings.cpp.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace thirdring {

enum class SettingKind : uint8_t { Text, Secret, Port, Flag, Site, DeskId };

struct SettingRule {
  const char* key;  // Preferences key (at most 15 characters)
  SettingKind kind;
  size_t maxLength;
  const char* help;
};

extern const SettingRule kSettingRules[];
extern const size_t kSettingRuleCount;

const SettingRule* findSettingRule(const char* key);  // nullptr if unknown

enum class SettingCheck : uint8_t { Ok, UnknownKey, TooLong, Invalid };
SettingCheck checkSetting(const char* key, const char* value);

bool parsePort(const char* text, uint16_t& port);  // 1–65535, digits only
bool parseFlag(const char* text, bool& flag);      // 1/0, on/off, true/false, yes/no

}  // namespace thirdring
