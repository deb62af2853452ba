// thirdring desk unit: an ESP32 with an LED, a piezo and a button that shows which desk should answer a
// ringing shared line. It follows desk/<desk>/set from the thirdring bridge over MQTT and reports button
// presses on desk/<desk>/action (README "MQTT"). See README.md for wiring and testing.
//
// loop() never waits: it polls the serial console, drives the Wi-Fi/MQTT link, samples the button and
// renders the LED and buzzer from DeskState, a pure state machine (host-tested in test/patterns_test.cpp).
#include <Arduino.h>
#include <stdio.h>
#include <string.h>

#include "app_config.h"
#include "button.h"
#include "desk_state.h"
#include "indicator.h"
#include "mqtt_link.h"
#include "serial_console.h"
#include "set_message.h"
#include "settings.h"
#include "topics.h"

using namespace thirdring;

namespace {

Settings settings;
DeskTopics topics;
char mqttUsername[sizeof settings.mqttUsername];  // settings' username, or desk-<desk> (see config.example.h)
bool configValid = false;

DeskState desk;
PendingActions pendingActions;
ButtonClassifier button;
Indicator indicator;
Link mqttLink;  // not "link": that would clash with POSIX link() in setup()/loop()
Console console;

// Counters for `status`: rejected messages are counted and logged, never fatal.
struct Counters {
  unsigned long setApplied = 0;
  unsigned long setPartRejected = 0;
  unsigned long setRejected = 0;
  unsigned long setCleared = 0;
  unsigned long actionsPublished = 0;
  unsigned long actionsQueued = 0;
} counters;

void printPayload(const uint8_t* payload, unsigned int length) {
  const unsigned int shown = length > 120 ? 120 : length;
  Serial.write(payload, shown);
  if (shown < length) Serial.print("...");
}

void onSetMessage(const uint8_t* payload, unsigned int length) {
  const SetDecode decoded = decodeSetPayload(payload, length);
  switch (decoded.verdict) {
    case SetVerdict::Rejected:
      ++counters.setRejected;
      Serial.printf("[desk] set ignored (%s): ", decoded.problem);
      printPayload(payload, length);
      Serial.println();
      return;
    case SetVerdict::PartRejected:
      ++counters.setPartRejected;
      Serial.printf("[desk] set partly ignored (%s): ", decoded.problem);
      printPayload(payload, length);
      Serial.println();
      break;
    case SetVerdict::Cleared:
      ++counters.setCleared;
      Serial.println("[desk] set cleared (empty payload): all off");
      break;
    case SetVerdict::Applied:
      ++counters.setApplied;
      break;
  }
  desk.applySet(decoded.command, millis());
  Serial.printf("[desk] led %s %s, buzzer %s\n", ledColorName(desk.color()), ledPatternName(desk.pattern()),
                buzzerPatternName(desk.buzzer()));
}

// PubSubClient calls this from mqttLink.loop(). Its buffer is reused by the next publish, so everything is
// decoded here and nothing is published from inside the callback.
void onMqttMessage(char* topic, uint8_t* payload, unsigned int length) {
  if (strcmp(topic, topics.set) == 0) onSetMessage(payload, length);
}

bool publishAction(DeskAction action) {
  char payload[32];
  snprintf(payload, sizeof payload, "{\"action\":\"%s\"}", deskActionName(action));
  if (!mqttLink.publish(topics.action, payload, false)) return false;
  ++counters.actionsPublished;
  Serial.printf("[desk] sent %s\n", payload);
  return true;
}

void sendPendingActions(uint32_t nowMs) {
  for (DeskAction action = pendingActions.peek(nowMs); action != DeskAction::None; action = pendingActions.peek(nowMs)) {
    if (!publishAction(action)) return;  // link dropped again; keep it for the next connection
    pendingActions.pop();
  }
}

void onLinkConnected() { sendPendingActions(millis()); }

void handleButton(uint32_t nowMs) {
  const ButtonEvent event = button.update(digitalRead(BUTTON_PIN) == LOW, nowMs);
  if (event == ButtonEvent::None) return;
  const DeskAction action = desk.onButton(event);
  Serial.printf("[desk] %s press -> %s\n", buttonEventName(event), deskActionName(action));
  if (action == DeskAction::None) return;
  if (!publishAction(action)) {
    pendingActions.push(action, nowMs);
    ++counters.actionsQueued;
    Serial.println("[desk] offline: action queued until the broker is back");
  }
}

void printStatus() {
  Serial.printf("thirdring desk unit \"%s\" at site \"%s\", up %lu s\n", settings.desk, settings.site, millis() / 1000);
  if (!configValid) Serial.println("  CONFIG ERROR: not connecting (invalid site/desk, or TLS without a CA; type config)");
  mqttLink.printStatus();
  Serial.printf("  LED: %s %s, buzzer %s%s, presence: %s\n", ledColorName(desk.color()), ledPatternName(desk.pattern()),
                buzzerPatternName(desk.buzzer()), desk.buzzerMuted() ? " (muted by ack)" : "",
                desk.present() ? "present" : "away");
  Serial.printf("  set messages: %lu applied, %lu partly ignored, %lu ignored, %lu cleared\n", counters.setApplied,
                counters.setPartRejected, counters.setRejected, counters.setCleared);
  Serial.printf("  actions: %lu sent, %lu queued while offline\n", counters.actionsPublished, counters.actionsQueued);
}

}  // namespace

void setup() {
  Serial.begin(115200);
  pinMode(BUTTON_PIN, INPUT_PULLUP);
  indicator.begin();

  loadSettings(settings);
  configValid = buildDeskTopics(settings.site, settings.desk, topics);
  Serial.println();
  Serial.println("thirdring desk unit (type help)");
  if (!configValid) {
    Serial.printf("CONFIG ERROR: site \"%s\" must match [a-z0-9-]+ and desk \"%s\" [A-Za-z0-9][A-Za-z0-9_-]*; "
                  "fix with `set site ...` / `set desk ...`, then reboot\n",
                  settings.site, settings.desk);
  } else if (settings.mqttTls && strstr(MQTT_CA_CERT, "paste your CA certificate") != nullptr) {
    Serial.println("CONFIG ERROR: mqtt_tls is on but MQTT_CA_CERT in config.h is still the placeholder; not connecting");
    configValid = false;
  } else {
    // The bridge's embedded broker names each desk unit's account desk-<desk id>.
    if (settings.mqttUsername[0] == '\0' && settings.mqttPassword[0] != '\0') {
      snprintf(mqttUsername, sizeof mqttUsername, "desk-%s", settings.desk);
    } else {
      snprintf(mqttUsername, sizeof mqttUsername, "%s", settings.mqttUsername);
    }
    Serial.printf("desk %s, site %s, broker %s://%s:%u, user %s\n", settings.desk, settings.site,
                  settings.mqttTls ? "mqtts" : "mqtt", settings.mqttHost, static_cast<unsigned>(settings.mqttPort),
                  mqttUsername[0] ? mqttUsername : "(none)");
    LinkSettings linkSettings;
    linkSettings.wifiSsid = settings.wifiSsid;
    linkSettings.wifiPassword = settings.wifiPassword;
    linkSettings.mqttHost = settings.mqttHost;
    linkSettings.mqttPort = settings.mqttPort;
    linkSettings.mqttUsername = mqttUsername;
    linkSettings.mqttPassword = settings.mqttPassword;
    linkSettings.tls = settings.mqttTls;
    linkSettings.caCert = MQTT_CA_CERT;
    linkSettings.clientId = topics.clientId;
    linkSettings.availabilityTopic = topics.availability;
    mqttLink.begin(linkSettings, onMqttMessage, onLinkConnected);
    mqttLink.addSubscription(topics.set);  // the only topic a desk-unit account may subscribe to
  }
  console.begin(&settings, printStatus);
}

void loop() {
  const uint32_t nowMs = millis();
  console.poll();
  if (configValid) mqttLink.loop(nowMs);
  desk.setLinkUp(configValid && mqttLink.online(), nowMs);
  handleButton(nowMs);
  indicator.show(desk.output(millis()));
}
