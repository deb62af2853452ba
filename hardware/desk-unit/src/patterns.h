// Pattern timing for the desk unit's LED and buzzer: pure functions of "milliseconds since the pattern
// started", with no Arduino or hardware includes, so the host test (test/patterns_test.cpp) can check
// every timing without an ESP32. The wire names match the MQTT contract (README "MQTT", desk/<desk>/set).
#pragma once

#include <stdint.h>

namespace thirdring {

enum class LedColor : uint8_t { Off, Blue, Amber, White };
enum class LedPattern : uint8_t { Off, Solid, FastBlink, SlowBlink, Pulse };
enum class BuzzerPattern : uint8_t { Off, Chirp, Ring };

// Contract names ("blue", "fast-blink", "chirp"...). Exact, case-sensitive matches only; a null or unknown
// name returns false and leaves `out` untouched.
bool parseLedColor(const char* name, LedColor& out);
bool parseLedPattern(const char* name, LedPattern& out);
bool parseBuzzerPattern(const char* name, BuzzerPattern& out);
const char* ledColorName(LedColor color);
const char* ledPatternName(LedPattern pattern);
const char* buzzerPatternName(BuzzerPattern pattern);

namespace timing {
constexpr uint32_t kFastBlinkPeriodMs = 250;   // 4 Hz, half on / half off
constexpr uint32_t kSlowBlinkPeriodMs = 1000;  // 1 Hz, half on / half off
constexpr uint32_t kPulsePeriodMs = 2000;      // 0.5 Hz breathing, starts at full brightness

constexpr uint32_t kBuzzerToneHz = 2700;       // near the resonance of common piezo discs
constexpr uint32_t kChirpBeepMs = 80;          // chirp: beep, gap, beep, then quiet until the period ends
constexpr uint32_t kChirpGapMs = 80;
constexpr uint32_t kChirpPeriodMs = 2000;
constexpr uint32_t kRingBurstMs = 400;         // ring: 400 on, 200 off, 400 on, 2000 off
constexpr uint32_t kRingGapMs = 200;
constexpr uint32_t kRingPauseMs = 2000;
constexpr uint32_t kRingPeriodMs = kRingBurstMs + kRingGapMs + kRingBurstMs + kRingPauseMs;

// Link down (no Wi-Fi or no broker): a double flash every 2 s. It is the only pattern with two flashes
// in a row and the only one shown in red, so it cannot be mistaken for a call.
constexpr uint32_t kLinkDownFlashMs = 100;
constexpr uint32_t kLinkDownGapMs = 150;
constexpr uint32_t kLinkDownPeriodMs = 2000;
}  // namespace timing

// Brightness 0–255 of an LED pattern `elapsedMs` after it started. Perceived brightness: the output stage
// (pwmDuty) applies the gamma curve, so 128 looks about half as bright as 255.
uint8_t patternLevel(LedPattern pattern, uint32_t elapsedMs);

// Whether the buzzer sounds `elapsedMs` after the buzzer pattern started.
bool buzzerActive(BuzzerPattern pattern, uint32_t elapsedMs);

// The link-down double flash: 255 or 0.
uint8_t linkDownLevel(uint32_t elapsedMs);

// PWM duty (0 … 2^bits − 1) for one color channel: `channel` is the color's 0–255 component (linear, as
// a PWM fraction), `level` the pattern's perceived brightness, `maxBrightness` the unit's overall limit.
// The level goes through a gamma-2 curve so a "pulse" looks like smooth breathing rather than mostly bright.
uint32_t pwmDuty(uint8_t channel, uint8_t level, uint8_t maxBrightness, uint8_t bits);

}  // namespace thirdring
