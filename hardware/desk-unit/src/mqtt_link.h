// Wi-Fi + MQTT connection with exponential backoff (1 s → 30 s), driven from loop() without blocking waits:
// loop() only starts a Wi-Fi join, checks on it, or makes one MQTT connect attempt when one is due.
// (One attempt itself can take a few seconds — DNS, TCP, TLS handshake — bounded by the timeouts below;
// the LED pauses meanwhile, and only while it already shows the link-down pattern.)
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"

namespace thirdring {

struct LinkSettings {
  const char* wifiSsid;
  const char* wifiPassword;
  const char* mqttHost;
  uint16_t mqttPort;
  const char* mqttUsername;  // "" = connect without credentials
  const char* mqttPassword;
  bool tls;
  const char* caCert;  // PEM, used when tls
  const char* clientId;
  const char* availabilityTopic;  // last will "offline" (retained, QoS 1); "online" published on connect
};

class Link {
 public:
  using MessageHandler = void (*)(char* topic, uint8_t* payload, unsigned int length);
  using ConnectedHandler = void (*)();

  // The settings' strings must stay alive (PubSubClient keeps pointers to them).
  void begin(const LinkSettings& settings, MessageHandler onMessage, ConnectedHandler onConnected);
  // Topics subscribed at QoS 1 on every (re)connect; up to kMaxSubscriptions, strings must stay alive.
  bool addSubscription(const char* topic);
  void loop(uint32_t nowMs);

  bool online();  // MQTT session up
  // Publish if online. QoS 0: PubSubClient cannot publish at QoS 1 (see README, "Delivery").
  bool publish(const char* topic, const char* payload, bool retained);
  void printStatus();

  static constexpr size_t kMaxSubscriptions = 4;
  static constexpr uint32_t kWifiJoinTimeoutMs = 15000;

 private:
  void startWifiJoin(uint32_t nowMs);
  void attemptMqtt();

  LinkSettings settings_{};
  MessageHandler onMessage_ = nullptr;
  ConnectedHandler onConnected_ = nullptr;
  const char* subscriptions_[kMaxSubscriptions] = {};
  size_t subscriptionCount_ = 0;

  Backoff wifiBackoff_;
  Backoff mqttBackoff_;
  bool wifiUp_ = false;
  bool joining_ = false;
  uint32_t joinStartedAt_ = 0;
  uint32_t nextWifiAttemptAt_ = 0;
  bool mqttUp_ = false;
  uint32_t nextMqttAttemptAt_ = 0;
  uint32_t mqttConnects_ = 0;
  uint32_t mqttFailures_ = 0;
  int lastMqttState_ = 0;
};

}  // namespace thirdring
