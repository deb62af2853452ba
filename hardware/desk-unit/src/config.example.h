// thirdring desk unit — build-time defaults.
//
// Copy this file to src/config.h and edit that copy: config.h is gitignored (it holds your Wi-Fi and MQTT
// passwords). If config.h is missing, the build uses this file and prints a warning.
//
// Network and identity values (the first block) can also be changed without rebuilding, over USB serial
// at 115200 baud: `set wifi_ssid Office`, `set desk d7`, … then `reboot` (type `help` for the list). Stored
// values live in the ESP32's flash (Preferences, namespace "thirdring") and win over the defaults here;
// `reset` forgets them.
#pragma once

// ---- Network and identity (overridable over serial) -------------------------------------------------
#define WIFI_SSID "office-wifi"
#define WIFI_PASSWORD "change-me"

// The thirdring bridge's broker: its embedded broker when bound beyond 127.0.0.1, or your own broker.
#define MQTT_HOST "192.168.1.50"  // IP address or DNS name
#define MQTT_PORT 1883            // 8883 is usual for MQTT over TLS
// Per-desk credentials: when the bridge's embedded broker listens beyond loopback it requires them; the
// account may publish only under desk/<its id>/ and subscribe only to desk/<its id>/set. The bridge names
// that account desk-<desk id>: leave MQTT_USERNAME empty and set MQTT_PASSWORD, and the unit logs in as
// desk-<DESK_ID>. Set MQTT_USERNAME only for another broker. Both empty: no credentials (test broker).
#define MQTT_USERNAME ""
#define MQTT_PASSWORD ""

// mqtts: 1 = TLS, checked against MQTT_CA_CERT below (the CA that signed the broker's certificate).
#define MQTT_TLS 0

#define THIRDRING_SITE "branch-01"  // [a-z0-9-]+, the bridge config's `site`
#define DESK_ID "d1"                // the bridge config's desks[].id

// ---- TLS CA certificate (build-time only) --------------------------------------------------------------
// PEM text of the CA certificate, used when MQTT_TLS is 1. The broker's host name (MQTT_HOST) must match
// its certificate.
#define MQTT_CA_CERT \
  "-----BEGIN CERTIFICATE-----\n" \
  "...paste your CA certificate here, one line per string...\n" \
  "-----END CERTIFICATE-----\n"

// ---- LED -----------------------------------------------------------------------------------------------
#define LED_TYPE_WS2812 1   // one or more WS2812/WS2812B/SK6812 pixels (Adafruit_NeoPixel), all lit alike
#define LED_TYPE_RGB_PWM 2  // a 4-leg RGB LED on three PWM pins
#ifndef LED_TYPE  // platformio.ini may set it per environment (-D LED_TYPE=LED_TYPE_RGB_PWM)
#define LED_TYPE LED_TYPE_WS2812
#endif

#define LED_WS2812_PIN 27
#define LED_WS2812_COUNT 1
#define LED_WS2812_ORDER NEO_GRB  // most WS2812B; use NEO_RGB if red and green come out swapped

#define LED_RGB_PIN_RED 25
#define LED_RGB_PIN_GREEN 26
#define LED_RGB_PIN_BLUE 32
#define LED_RGB_COMMON_ANODE 0  // 0 = common cathode (the default wiring), 1 = common anode (inverted PWM)

// Overall brightness limit 0–255 (a WS2812 at full white is glaring on a desk and draws ~60 mA).
#define LED_MAX_BRIGHTNESS 200

// Colors as R, G, B at full brightness (PWM fractions 0–255). Trim these if your LED's amber looks too red
// or its white too blue. Red is used for nothing but the link-down double flash.
#define COLOR_BLUE 0, 0, 255
#define COLOR_AMBER 255, 90, 0
#define COLOR_WHITE 255, 255, 255
#define COLOR_LINK_DOWN 90, 0, 0  // dim red, only ever shown as a double flash every 2 s
#define COLOR_AWAY 24, 24, 24     // faint steady white while you are marked away and nothing rings

// ---- Buzzer (passive piezo transducer) -----------------------------------------------------------------
#define BUZZER_PIN 18
#define BUZZER_ENABLED 1  // 0 = silent unit (LED only)

// ---- Button (to GND, internal pull-up) -----------------------------------------------------------------
#define BUTTON_PIN 33
