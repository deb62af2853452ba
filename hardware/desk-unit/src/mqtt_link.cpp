#include "mqtt_link.h"

#include <Arduino.h>
#include <PubSubClient.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>

namespace thirdring {

namespace {

WiFiClient plainClient;
WiFiClientSecure tlsClient;
PubSubClient mqtt;

constexpr uint16_t kMqttBufferBytes = 512;  // topic + payload of one message; a set message is ~100 B
constexpr uint16_t kKeepAliveSeconds = 15;  // the broker publishes the last will ~1.5 × this after a loss
constexpr uint16_t kSocketTimeoutSeconds = 5;
constexpr uint32_t kTlsHandshakeTimeoutSeconds = 10;

// "Is `at` reached?", correct across the millis() wrap after 49 days.
bool due(uint32_t nowMs, uint32_t at) { return static_cast<int32_t>(nowMs - at) >= 0; }

// Up to 20 % less than the backoff, so desk units that lost the broker together do not retry in lockstep.
uint32_t jittered(uint32_t delayMs) {
  return delayMs - static_cast<uint32_t>(random(static_cast<long>(delayMs / 5 + 1)));  // Arduino random(): [0, max)
}

const char* mqttStateText(int state) {
  switch (state) {
    case MQTT_CONNECTION_TIMEOUT:
      return "connection timeout";
    case MQTT_CONNECTION_LOST:
      return "connection lost";
    case MQTT_CONNECT_FAILED:
      return "network connect failed (host, port, TLS?)";
    case MQTT_DISCONNECTED:
      return "disconnected";
    case MQTT_CONNECTED:
      return "connected";
    case MQTT_CONNECT_BAD_PROTOCOL:
      return "broker refused: protocol version";
    case MQTT_CONNECT_BAD_CLIENT_ID:
      return "broker refused: client id";
    case MQTT_CONNECT_UNAVAILABLE:
      return "broker refused: unavailable";
    case MQTT_CONNECT_BAD_CREDENTIALS:
      return "broker refused: bad username or password";
    case MQTT_CONNECT_UNAUTHORIZED:
      return "broker refused: not authorized";
    default:
      return "unknown";
  }
}

const char* orNull(const char* text) { return (text != nullptr && text[0] != '\0') ? text : nullptr; }

}  // namespace

void Link::begin(const LinkSettings& settings, MessageHandler onMessage, ConnectedHandler onConnected) {
  settings_ = settings;
  onMessage_ = onMessage;
  onConnected_ = onConnected;

  WiFi.persistent(false);        // credentials come from config/Preferences, not the Wi-Fi driver's flash
  WiFi.setAutoReconnect(false);  // reconnects are ours, with backoff
  WiFi.setHostname(settings_.clientId);
  WiFi.mode(WIFI_STA);

  if (settings_.tls) {
    tlsClient.setCACert(settings_.caCert);
    tlsClient.setHandshakeTimeout(kTlsHandshakeTimeoutSeconds);
    mqtt.setClient(tlsClient);
  } else {
    mqtt.setClient(plainClient);
  }
  mqtt.setServer(settings_.mqttHost, settings_.mqttPort);
  mqtt.setCallback(onMessage_);
  if (!mqtt.setBufferSize(kMqttBufferBytes)) Serial.println("[link] could not allocate the MQTT buffer");
  mqtt.setKeepAlive(kKeepAliveSeconds);
  mqtt.setSocketTimeout(kSocketTimeoutSeconds);
}

bool Link::addSubscription(const char* topic) {
  if (subscriptionCount_ >= kMaxSubscriptions) return false;
  subscriptions_[subscriptionCount_++] = topic;
  return true;
}

void Link::loop(uint32_t nowMs) {
  if (WiFi.status() != WL_CONNECTED) {
    if (wifiUp_) {
      wifiUp_ = false;
      mqttUp_ = false;
      Serial.println("[link] Wi-Fi lost");
      nextWifiAttemptAt_ = nowMs + jittered(wifiBackoff_.next());
    }
    if (joining_) {
      if (nowMs - joinStartedAt_ >= kWifiJoinTimeoutMs) {
        joining_ = false;
        WiFi.disconnect();
        const uint32_t wait = jittered(wifiBackoff_.next());
        Serial.printf("[link] Wi-Fi \"%s\" not joined within %lu s (status %d); retry in %lu ms\n", settings_.wifiSsid,
                      static_cast<unsigned long>(kWifiJoinTimeoutMs / 1000), static_cast<int>(WiFi.status()),
                      static_cast<unsigned long>(wait));
        nextWifiAttemptAt_ = nowMs + wait;
      }
    } else if (due(nowMs, nextWifiAttemptAt_)) {
      startWifiJoin(nowMs);
    }
    return;
  }

  if (!wifiUp_) {
    wifiUp_ = true;
    joining_ = false;
    wifiBackoff_.reset();
    Serial.printf("[link] Wi-Fi up: %s, RSSI %d dBm\n", WiFi.localIP().toString().c_str(), static_cast<int>(WiFi.RSSI()));
    nextMqttAttemptAt_ = nowMs;  // try the broker at once
  }

  if (mqtt.connected()) {
    mqtt.loop();  // keepalive, incoming messages (the callback runs in here), PUBACKs for QoS 1 deliveries
    return;
  }
  if (mqttUp_) {
    mqttUp_ = false;
    lastMqttState_ = mqtt.state();
    const uint32_t wait = jittered(mqttBackoff_.next());
    Serial.printf("[link] MQTT lost (%s); reconnect in %lu ms\n", mqttStateText(lastMqttState_), static_cast<unsigned long>(wait));
    nextMqttAttemptAt_ = nowMs + wait;
  }
  if (due(nowMs, nextMqttAttemptAt_)) attemptMqtt();
}

void Link::startWifiJoin(uint32_t nowMs) {
  Serial.printf("[link] joining Wi-Fi \"%s\"\n", settings_.wifiSsid);
  WiFi.begin(settings_.wifiSsid, orNull(settings_.wifiPassword));
  joining_ = true;
  joinStartedAt_ = nowMs;
}

void Link::attemptMqtt() {
  Serial.printf("[link] connecting to MQTT %s://%s:%u as %s\n", settings_.tls ? "mqtts" : "mqtt", settings_.mqttHost,
                static_cast<unsigned>(settings_.mqttPort), settings_.clientId);
  // Clean session off: the broker keeps our QoS 1 subscriptions (and queues QoS 1 messages) across short
  // drops. Last will: availability "offline", retained, QoS 1.
  const bool connected = mqtt.connect(settings_.clientId, orNull(settings_.mqttUsername), orNull(settings_.mqttPassword),
                                      settings_.availabilityTopic, 1, true, "offline", false);
  if (!connected) {
    ++mqttFailures_;
    lastMqttState_ = mqtt.state();
    const uint32_t wait = jittered(mqttBackoff_.next());
    Serial.printf("[link] MQTT connect failed: %s (state %d); retry in %lu ms\n", mqttStateText(lastMqttState_),
                  lastMqttState_, static_cast<unsigned long>(wait));
    nextMqttAttemptAt_ = millis() + wait;  // from now: the attempt itself may have taken seconds
    return;
  }
  ++mqttConnects_;
  mqttUp_ = true;
  mqttBackoff_.reset();
  lastMqttState_ = MQTT_CONNECTED;
  Serial.println("[link] MQTT connected");
  if (!mqtt.publish(settings_.availabilityTopic, "online", true)) Serial.println("[link] could not publish availability");
  for (size_t i = 0; i < subscriptionCount_; ++i) {
    // Re-subscribing is harmless with a kept session, and needed when the broker lost it. The broker
    // answers with the retained message, so the current desk state arrives right away.
    if (!mqtt.subscribe(subscriptions_[i], 1)) Serial.printf("[link] could not subscribe to %s\n", subscriptions_[i]);
  }
  if (onConnected_ != nullptr) onConnected_();
}

bool Link::online() { return wifiUp_ && mqttUp_ && mqtt.connected(); }

bool Link::publish(const char* topic, const char* payload, bool retained) {
  if (!online()) return false;
  return mqtt.publish(topic, payload, retained);
}

void Link::printStatus() {
  Serial.printf("  Wi-Fi: %s", wifiUp_ ? "up" : (joining_ ? "joining" : "down"));
  if (wifiUp_) Serial.printf(" (%s, RSSI %d dBm)", WiFi.localIP().toString().c_str(), static_cast<int>(WiFi.RSSI()));
  Serial.printf("\n  MQTT: %s; %lu connects, %lu failed attempts, last state: %s\n", mqttUp_ ? "up" : "down",
                static_cast<unsigned long>(mqttConnects_), static_cast<unsigned long>(mqttFailures_),
                mqttStateText(lastMqttState_));
}

}  // namespace thirdring
