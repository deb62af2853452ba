#include "serial_console.h"

#include <Arduino.h>
#include <string.h>

namespace thirdring {

namespace {

// Splits "word rest of line" in place: returns the first word, `rest` points after the following spaces.
char* firstWord(char* text, char*& rest) {
  while (*text == ' ') ++text;
  char* end = text;
  while (*end != '\0' && *end != ' ') ++end;
  rest = end;
  if (*end != '\0') {
    *end = '\0';
    rest = end + 1;
    while (*rest == ' ') ++rest;
  }
  return text;
}

const char* checkText(SettingCheck check) {
  switch (check) {
    case SettingCheck::Ok:
      return "ok";
    case SettingCheck::UnknownKey:
      return "unknown key (type help)";
    case SettingCheck::TooLong:
      return "value too long";
    case SettingCheck::Invalid:
      return "invalid value, or flash write failed";
  }
  return "?";
}

}  // namespace

void Console::begin(const Settings* active, StatusPrinter printStatus) {
  active_ = active;
  printStatus_ = printStatus;
}

void Console::poll() {
  while (Serial.available() > 0) {
    const int byte = Serial.read();
    if (byte < 0) return;
    const char c = static_cast<char>(byte);
    if (c == '\r' || c == '\n') {
      if (overflow_) {
        Serial.println("[console] line too long, ignored");
      } else if (length_ > 0) {
        line_[length_] = '\0';
        execute(line_);
      }
      length_ = 0;
      overflow_ = false;
    } else if (length_ + 1 < sizeof line_) {
      line_[length_++] = c;
    } else {
      overflow_ = true;
    }
  }
}

void Console::execute(char* line) {
  // Trim trailing spaces (some terminals send them).
  size_t length = strlen(line);
  while (length > 0 && line[length - 1] == ' ') line[--length] = '\0';
  char* rest = nullptr;
  const char* command = firstWord(line, rest);

  if (strcmp(command, "help") == 0 || strcmp(command, "?") == 0) {
    printHelp();
  } else if (strcmp(command, "status") == 0) {
    if (printStatus_ != nullptr) printStatus_();
  } else if (strcmp(command, "config") == 0) {
    Serial.println("Settings in use (stored values win over config.h; changes apply after reboot):");
    if (active_ != nullptr) printSettings(*active_);
  } else if (strcmp(command, "set") == 0) {
    char* value = nullptr;
    const char* key = firstWord(rest, value);
    if (*key == '\0') {
      Serial.println("usage: set <key> <value>   (the value may contain spaces; empty = set <key>)");
      return;
    }
    const SettingCheck check = storeSetting(key, value);
    Serial.printf("set %s: %s%s\n", key, checkText(check), check == SettingCheck::Ok ? " (type reboot to apply)" : "");
  } else if (strcmp(command, "unset") == 0) {
    char* ignored = nullptr;
    const char* key = firstWord(rest, ignored);
    if (findSettingRule(key) == nullptr) {
      Serial.println("unset: unknown key (type help)");
      return;
    }
    Serial.printf("unset %s: %s\n", key, forgetSetting(key) ? "ok (type reboot to apply)" : "was not stored");
  } else if (strcmp(command, "reset") == 0) {
    Serial.println(forgetAllSettings() ? "stored settings forgotten; type reboot to use config.h defaults"
                                       : "nothing stored");
  } else if (strcmp(command, "reboot") == 0) {
    Serial.println("rebooting");
    Serial.flush();
    ESP.restart();
  } else {
    Serial.printf("unknown command \"%s\" (type help)\n", command);
  }
}

void Console::printHelp() {
  Serial.println("Commands:");
  Serial.println("  status              link, desk state and message counters");
  Serial.println("  config              settings in use (passwords masked)");
  Serial.println("  set <key> <value>   store a setting in flash (applies after reboot)");
  Serial.println("  unset <key>         forget one stored setting (back to the config.h default)");
  Serial.println("  reset               forget all stored settings");
  Serial.println("  reboot              restart the unit");
  Serial.println("Keys:");
  for (size_t i = 0; i < kSettingRuleCount; ++i) {
    Serial.printf("  %-10s %s\n", kSettingRules[i].key, kSettingRules[i].help);
  }
}

}  // namespace thirdring
