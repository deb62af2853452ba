#include "set_message.h"

#include <ArduinoJson.h>

namespace thirdring {

namespace {

enum class Part : uint8_t { Absent, Valid, Invalid };

// A string field inside an object: absent/null keeps the current value; present must be a known name.
template <typename T>
Part decodeField(JsonVariantConst field, bool (*parse)(const char*, T&), bool& has, T& value) {
  if (field.isNull()) return Part::Absent;
  if (!field.is<const char*>() || !parse(field.as<const char*>(), value)) return Part::Invalid;
  has = true;
  return Part::Valid;
}

Part decodeLed(JsonVariantConst led, SetCommand& command, const char*& problem) {
  if (led.isNull()) return Part::Absent;
  if (!led.is<JsonObjectConst>()) {
    problem = "\"led\" is not an object";
    return Part::Invalid;
  }
  SetCommand decoded;
  if (decodeField(led["color"], parseLedColor, decoded.hasColor, decoded.color) == Part::Invalid) {
    problem = "unknown led.color";
    return Part::Invalid;
  }
  if (decodeField(led["pattern"], parseLedPattern, decoded.hasPattern, decoded.pattern) == Part::Invalid) {
    problem = "unknown led.pattern";
    return Part::Invalid;
  }
  command.hasColor = decoded.hasColor;
  command.color = decoded.color;
  command.hasPattern = decoded.hasPattern;
  command.pattern = decoded.pattern;
  return Part::Valid;
}

Part decodeBuzzer(JsonVariantConst buzzer, SetCommand& command, const char*& problem) {
  if (buzzer.isNull()) return Part::Absent;
  if (!buzzer.is<JsonObjectConst>()) {
    problem = "\"buzzer\" is not an object";
    return Part::Invalid;
  }
  SetCommand decoded;
  if (decodeField(buzzer["pattern"], parseBuzzerPattern, decoded.hasBuzzer, decoded.buzzer) == Part::Invalid) {
    problem = "unknown buzzer.pattern";
    return Part::Invalid;
  }
  command.hasBuzzer = decoded.hasBuzzer;
  command.buzzer = decoded.buzzer;
  return Part::Valid;
}

}  // namespace

SetDecode decodeSetPayload(const uint8_t* payload, size_t length) {
  SetDecode result;
  if (length == 0) {
    result.verdict = SetVerdict::Cleared;
    result.command = SetCommand::allOff();
    return result;
  }
  JsonDocument doc;
  const DeserializationError error = deserializeJson(doc, reinterpret_cast<const char*>(payload), length);
  if (error) {
    result.problem = "not valid JSON";
    return result;
  }
  const JsonVariantConst root = doc.as<JsonVariantConst>();
  if (!root.is<JsonObjectConst>()) {
    result.problem = "not a JSON object";
    return result;
  }
  const Part led = decodeLed(root["led"], result.command, result.problem);
  const Part buzzer = decodeBuzzer(root["buzzer"], result.command, result.problem);
  result.verdict = (led == Part::Invalid || buzzer == Part::Invalid) ? SetVerdict::PartRejected : SetVerdict::Applied;
  return result;
}

}  // namespace thirdring
