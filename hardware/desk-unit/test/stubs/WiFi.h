#pragma once
#include <Arduino.h>

typedef enum { WL_IDLE_STATUS = 0, WL_NO_SSID_AVAIL = 1, WL_CONNECTED = 3, WL_CONNECT_FAILED = 4, WL_DISCONNECTED = 6 } wl_status_t;
typedef enum { WIFI_OFF = 0, WIFI_STA = 1 } wifi_mode_t;

class WiFiClient : public Client {};

class WiFiClass {
 public:
  static void persistent(bool persistent);
  bool setAutoReconnect(bool autoReconnect);
  bool setHostname(const char* hostname);
  bool mode(wifi_mode_t mode);
  wl_status_t begin(const char* ssid, const char* passphrase = nullptr, int32_t channel = 0, const uint8_t* bssid = nullptr,
                    bool connect = true);
  wl_status_t status();
  bool disconnect(bool wifioff = false, bool eraseap = false);
  IPAddress localIP();
  int8_t RSSI();
};
extern WiFiClass WiFi;
