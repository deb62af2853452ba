#include "patterns.h"

#include <math.h>
#include <string.h>

namespace thirdring {

namespace {

template <typename T>
struct Named {
  const char* name;
  T value;
};

constexpr Named<LedColor> kColors[] = {
    {"off", LedColor::Off}, {"blue", LedColor::Blue}, {"amber", LedColor::Amber}, {"white", LedColor::White}};
constexpr Named<LedPattern> kLedPatterns[] = {{"off", LedPattern::Off},
                                              {"solid", LedPattern::Solid},
                                              {"fast-blink", LedPattern::FastBlink},
                                              {"slow-blink", LedPattern::SlowBlink},
                                              {"pulse", LedPattern::Pulse}};
constexpr Named<BuzzerPattern> kBuzzerPatterns[] = {
    {"off", BuzzerPattern::Off}, {"chirp", BuzzerPattern::Chirp}, {"ring", BuzzerPattern::Ring}};

template <typename T, size_t N>
bool parseName(const Named<T> (&table)[N], const char* name, T& out) {
  if (name == nullptr) return false;
  for (const auto& entry : table) {
    if (strcmp(entry.name, name) == 0) {
      out = entry.value;
      return true;
    }
  }
  return false;
}

template <typename T, size_t N>
const char* nameOf(const Named<T> (&table)[N], T value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

constexpr float kTwoPi = 6.28318530718f;

// Square wave that is on for the first half of each period.
uint8_t halfOn(uint32_t elapsedMs, uint32_t periodMs) {
  return (elapsedMs % periodMs) < periodMs / 2 ? 255 : 0;
}

bool within(uint32_t phase, uint32_t from, uint32_t length) {
  return phase >= from && phase < from + length;
}

}  // namespace

bool parseLedColor(const char* name, LedColor& out) { return parseName(kColors, name, out); }
bool parseLedPattern(const char* name, LedPattern& out) { return parseName(kLedPatterns, name, out); }
bool parseBuzzerPattern(const char* name, BuzzerPattern& out) { return parseName(kBuzzerPatterns, name, out); }
const char* ledColorName(LedColor color) { return nameOf(kColors, color); }
const char* ledPatternName(LedPattern pattern) { return nameOf(kLedPatterns, pattern); }
const char* buzzerPatternName(BuzzerPattern pattern) { return nameOf(kBuzzerPatterns, pattern); }

uint8_t patternLevel(LedPattern pattern, uint32_t elapsedMs) {
  using namespace timing;
  switch (pattern) {
    case LedPattern::Off:
      return 0;
    case LedPattern::Solid:
      return 255;
    case LedPattern::FastBlink:
      return halfOn(elapsedMs, kFastBlinkPeriodMs);
    case LedPattern::SlowBlink:
      return halfOn(elapsedMs, kSlowBlinkPeriodMs);
    case LedPattern::Pulse: {
      // Raised cosine: full at the start (so a new alert is visible at once), dark at half period.
      const float phase = static_cast<float>(elapsedMs % kPulsePeriodMs) / static_cast<float>(kPulsePeriodMs);
      const float level = 127.5f * (1.0f + cosf(kTwoPi * phase));
      return static_cast<uint8_t>(lroundf(level));
    }
  }
  return 0;
}

bool buzzerActive(BuzzerPattern pattern, uint32_t elapsedMs) {
  using namespace timing;
  switch (pattern) {
    case BuzzerPattern::Off:
      return false;
    case BuzzerPattern::Chirp: {
      const uint32_t phase = elapsedMs % kChirpPeriodMs;
      return within(phase, 0, kChirpBeepMs) || within(phase, kChirpBeepMs + kChirpGapMs, kChirpBeepMs);
    }
    case BuzzerPattern::Ring: {
      const uint32_t phase = elapsedMs % kRingPeriodMs;
      return within(phase, 0, kRingBurstMs) || within(phase, kRingBurstMs + kRingGapMs, kRingBurstMs);
    }
  }
  return false;
}

uint8_t linkDownLevel(uint32_t elapsedMs) {
  using namespace timing;
  const uint32_t phase = elapsedMs % kLinkDownPeriodMs;
  const bool on = within(phase, 0, kLinkDownFlashMs) || within(phase, kLinkDownFlashMs + kLinkDownGapMs, kLinkDownFlashMs);
  return on ? 255 : 0;
}

uint32_t pwmDuty(uint8_t channel, uint8_t level, uint8_t maxBrightness, uint8_t bits) {
  if (bits == 0 || bits > 16) return 0;
  const uint64_t full = (uint64_t{1} << bits) - 1;
  // duty = full × (level/255)² × channel/255 × maxBrightness/255, rounded to nearest.
  const uint64_t numerator = full * level * level * channel * maxBrightness;
  const uint64_t denominator = uint64_t{255} * 255 * 255 * 255;
  return static_cast<uint32_t>((numerator + denominator / 2) / denominator);
}

}  // namespace thirdring
