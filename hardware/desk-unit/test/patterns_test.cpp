// Host test for the desk unit's hardware-independent part: pattern timing, button debounce and press
// classification, the desk state machine, reconnect backoff, topic names and setting rules.
// Build and run: `make test` in hardware/desk-unit (plain g++, no ESP32 toolchain, no Arduino headers).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "button.h"
#include "desk_state.h"
#include "patterns.h"
#include "settings_rules.h"
#include "topics.h"

using namespace thirdring;

namespace {

int failures = 0;
int checks = 0;

void check(bool ok, const char* what, const char* file, int line) {
  ++checks;
  if (!ok) {
    ++failures;
    printf("FAIL %s:%d: %s\n", file, line, what);
  }
}

void checkEqual(long long actual, long long expected, const char* what, const char* file, int line) {
  ++checks;
  if (actual != expected) {
    ++failures;
    printf("FAIL %s:%d: %s: got %lld, expected %lld\n", file, line, what, actual, expected);
  }
}

#define CHECK(condition) check((condition), #condition, __FILE__, __LINE__)
#define CHECK_EQ(actual, expected) checkEqual(static_cast<long long>(actual), static_cast<long long>(expected), #actual, __FILE__, __LINE__)

// Counts off→on transitions and total on-time of a 0/255 level over [0, durationMs).
struct Edges {
  int risingEdges;
  uint32_t onMs;
};

template <typename LevelAt>
Edges measure(LevelAt levelAt, uint32_t durationMs) {
  Edges edges = {0, 0};
  bool previous = false;
  for (uint32_t t = 0; t < durationMs; ++t) {
    const bool on = levelAt(t);
    if (on && !previous) ++edges.risingEdges;
    if (on) ++edges.onMs;
    previous = on;
  }
  return edges;
}

void testNames() {
  LedColor color = LedColor::Off;
  CHECK(parseLedColor("blue", color) && color == LedColor::Blue);
  CHECK(parseLedColor("amber", color) && color == LedColor::Amber);
  CHECK(parseLedColor("white", color) && color == LedColor::White);
  CHECK(parseLedColor("off", color) && color == LedColor::Off);
  color = LedColor::White;
  CHECK(!parseLedColor("red", color) && color == LedColor::White);  // unknown leaves the value alone
  CHECK(!parseLedColor("Blue", color));                              // exact, case-sensitive
  CHECK(!parseLedColor(nullptr, color));

  LedPattern pattern = LedPattern::Off;
  CHECK(parseLedPattern("fast-blink", pattern) && pattern == LedPattern::FastBlink);
  CHECK(parseLedPattern("slow-blink", pattern) && pattern == LedPattern::SlowBlink);
  CHECK(parseLedPattern("pulse", pattern) && pattern == LedPattern::Pulse);
  CHECK(parseLedPattern("solid", pattern) && pattern == LedPattern::Solid);
  CHECK(parseLedPattern("off", pattern) && pattern == LedPattern::Off);
  CHECK(!parseLedPattern("blink", pattern));

  BuzzerPattern buzzer = BuzzerPattern::Off;
  CHECK(parseBuzzerPattern("chirp", buzzer) && buzzer == BuzzerPattern::Chirp);
  CHECK(parseBuzzerPattern("ring", buzzer) && buzzer == BuzzerPattern::Ring);
  CHECK(parseBuzzerPattern("off", buzzer) && buzzer == BuzzerPattern::Off);
  CHECK(!parseBuzzerPattern("beep", buzzer));

  CHECK(strcmp(ledColorName(LedColor::Amber), "amber") == 0);
  CHECK(strcmp(ledPatternName(LedPattern::FastBlink), "fast-blink") == 0);
  CHECK(strcmp(buzzerPatternName(BuzzerPattern::Ring), "ring") == 0);
}

void testLedPatterns() {
  for (uint32_t t = 0; t < 5000; t += 7) {
    CHECK_EQ(patternLevel(LedPattern::Off, t), 0);
    CHECK_EQ(patternLevel(LedPattern::Solid, t), 255);
  }

  // fast-blink: 4 Hz, 125 ms on / 125 ms off, on at once.
  CHECK_EQ(patternLevel(LedPattern::FastBlink, 0), 255);
  CHECK_EQ(patternLevel(LedPattern::FastBlink, 124), 255);
  CHECK_EQ(patternLevel(LedPattern::FastBlink, 125), 0);
  CHECK_EQ(patternLevel(LedPattern::FastBlink, 249), 0);
  CHECK_EQ(patternLevel(LedPattern::FastBlink, 250), 255);
  const Edges fast = measure([](uint32_t t) { return patternLevel(LedPattern::FastBlink, t) > 0; }, 10000);
  CHECK_EQ(fast.risingEdges, 40);  // 4 Hz × 10 s
  CHECK_EQ(fast.onMs, 5000);

  // slow-blink: 1 Hz, 500 / 500.
  CHECK_EQ(patternLevel(LedPattern::SlowBlink, 0), 255);
  CHECK_EQ(patternLevel(LedPattern::SlowBlink, 499), 255);
  CHECK_EQ(patternLevel(LedPattern::SlowBlink, 500), 0);
  CHECK_EQ(patternLevel(LedPattern::SlowBlink, 999), 0);
  const Edges slow = measure([](uint32_t t) { return patternLevel(LedPattern::SlowBlink, t) > 0; }, 10000);
  CHECK_EQ(slow.risingEdges, 10);
  CHECK_EQ(slow.onMs, 5000);

  // pulse: 0.5 Hz smooth breathing, full at 0 and every 2 s, dark at 1 s, half at 0.5 s.
  CHECK_EQ(patternLevel(LedPattern::Pulse, 0), 255);
  CHECK_EQ(patternLevel(LedPattern::Pulse, 1000), 0);
  CHECK_EQ(patternLevel(LedPattern::Pulse, 2000), 255);
  CHECK(patternLevel(LedPattern::Pulse, 500) >= 126 && patternLevel(LedPattern::Pulse, 500) <= 129);
  CHECK(patternLevel(LedPattern::Pulse, 1500) >= 126 && patternLevel(LedPattern::Pulse, 1500) <= 129);
  int largestStep = 0;
  bool fallsThenRises = true;
  for (uint32_t t = 1; t < 6000; ++t) {
    const int previous = patternLevel(LedPattern::Pulse, t - 1);
    const int current = patternLevel(LedPattern::Pulse, t);
    const int step = current > previous ? current - previous : previous - current;
    if (step > largestStep) largestStep = step;
    const uint32_t phase = t % 2000;
    if (phase > 0 && phase <= 1000 && current > previous) fallsThenRises = false;
    if (phase > 1000 && current < previous) fallsThenRises = false;
  }
  CHECK(largestStep <= 1);  // smooth: never more than one step per millisecond
  CHECK(fallsThenRises);
}

void testBuzzerPatterns() {
  for (uint32_t t = 0; t < 10000; t += 3) CHECK(!buzzerActive(BuzzerPattern::Off, t));

  // chirp: 80 ms beep, 80 ms gap, 80 ms beep, repeating every 2 s.
  CHECK(buzzerActive(BuzzerPattern::Chirp, 0));
  CHECK(buzzerActive(BuzzerPattern::Chirp, 79));
  CHECK(!buzzerActive(BuzzerPattern::Chirp, 80));
  CHECK(!buzzerActive(BuzzerPattern::Chirp, 159));
  CHECK(buzzerActive(BuzzerPattern::Chirp, 160));
  CHECK(buzzerActive(BuzzerPattern::Chirp, 239));
  CHECK(!buzzerActive(BuzzerPattern::Chirp, 240));
  CHECK(!buzzerActive(BuzzerPattern::Chirp, 1999));
  CHECK(buzzerActive(BuzzerPattern::Chirp, 2000));
  const Edges chirp = measure([](uint32_t t) { return buzzerActive(BuzzerPattern::Chirp, t); }, 10000);
  CHECK_EQ(chirp.risingEdges, 10);  // two beeps every 2 s
  CHECK_EQ(chirp.onMs, 10 * 80);

  // ring: 400 on / 200 off / 400 on / 2000 off = 3 s period.
  CHECK(buzzerActive(BuzzerPattern::Ring, 0));
  CHECK(buzzerActive(BuzzerPattern::Ring, 399));
  CHECK(!buzzerActive(BuzzerPattern::Ring, 400));
  CHECK(!buzzerActive(BuzzerPattern::Ring, 599));
  CHECK(buzzerActive(BuzzerPattern::Ring, 600));
  CHECK(buzzerActive(BuzzerPattern::Ring, 999));
  CHECK(!buzzerActive(BuzzerPattern::Ring, 1000));
  CHECK(!buzzerActive(BuzzerPattern::Ring, 2999));
  CHECK(buzzerActive(BuzzerPattern::Ring, 3000));
  const Edges ring = measure([](uint32_t t) { return buzzerActive(BuzzerPattern::Ring, t); }, 9000);
  CHECK_EQ(ring.risingEdges, 6);
  CHECK_EQ(ring.onMs, 6 * 400);
  CHECK_EQ(timing::kBuzzerToneHz, 2700);
}

void testLinkDownPattern() {
  // Double flash (100 on, 150 off, 100 on) every 2 s: no call pattern has two flashes this close.
  CHECK_EQ(linkDownLevel(0), 255);
  CHECK_EQ(linkDownLevel(99), 255);
  CHECK_EQ(linkDownLevel(100), 0);
  CHECK_EQ(linkDownLevel(249), 0);
  CHECK_EQ(linkDownLevel(250), 255);
  CHECK_EQ(linkDownLevel(349), 255);
  CHECK_EQ(linkDownLevel(350), 0);
  CHECK_EQ(linkDownLevel(1999), 0);
  const Edges flashes = measure([](uint32_t t) { return linkDownLevel(t) > 0; }, 10000);
  CHECK_EQ(flashes.risingEdges, 10);
  CHECK_EQ(flashes.onMs, 1000);
}

void testPwmDuty() {
  CHECK_EQ(pwmDuty(255, 255, 255, 8), 255);
  CHECK_EQ(pwmDuty(255, 255, 255, 12), 4095);
  CHECK_EQ(pwmDuty(255, 0, 255, 12), 0);
  CHECK_EQ(pwmDuty(0, 255, 255, 12), 0);
  CHECK_EQ(pwmDuty(255, 255, 0, 12), 0);
  CHECK_EQ(pwmDuty(255, 128, 255, 8), 64);    // gamma 2: half perceived ≈ quarter duty
  CHECK_EQ(pwmDuty(90, 255, 255, 8), 90);     // full level keeps the configured color exactly
  CHECK_EQ(pwmDuty(255, 255, 200, 8), 200);   // the brightness limit scales linearly
  uint32_t previous = 0;
  bool monotonic = true;
  for (int level = 0; level <= 255; ++level) {
    const uint32_t duty = pwmDuty(255, static_cast<uint8_t>(level), 255, 12);
    if (duty < previous) monotonic = false;
    previous = duty;
  }
  CHECK(monotonic);
  CHECK_EQ(pwmDuty(255, 255, 255, 0), 0);  // nonsense resolution
}

// Feeds the classifier a level for a span of time, 1 ms at a time; returns the events seen.
struct Events {
  int shortPresses = 0;
  int longPresses = 0;
  int doublePresses = 0;
  uint32_t lastEventAt = 0;
};

void hold(ButtonClassifier& button, bool pressed, uint32_t& now, uint32_t durationMs, Events& events) {
  for (uint32_t i = 0; i < durationMs; ++i, ++now) {  // counts steps, so it survives the millis() wrap
    const ButtonEvent event = button.update(pressed, now);
    if (event == ButtonEvent::ShortPress) ++events.shortPresses;
    if (event == ButtonEvent::LongPress) ++events.longPresses;
    if (event == ButtonEvent::DoublePress) ++events.doublePresses;
    if (event != ButtonEvent::None) events.lastEventAt = now;
  }
}

void testButton() {
  {  // clean short press: reported 400 ms after it started (time for a second press to make it a double)
    ButtonClassifier button;
    Events events;
    uint32_t now = 1000;
    hold(button, false, now, 100, events);
    hold(button, true, now, 300, events);
    CHECK(button.pressed());
    hold(button, false, now, 99, events);
    CHECK_EQ(events.shortPresses, 0);  // released at 1400, debounced at 1430, still waiting
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 1);
    CHECK_EQ(events.longPresses, 0);
    CHECK_EQ(events.doublePresses, 0);
    CHECK_EQ(events.lastEventAt, 1100 + 400);
  }
  {  // a short press of 400 ms or more cannot start a double: reported once the release is debounced (30 ms)
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 600, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 1);
    CHECK_EQ(events.lastEventAt, 700 + 30);
  }
  {  // double presses off (doubleMaxMs 0): a short press is reported once its release is debounced
    ButtonClassifier button(30, 1000, 2000, 0);
    Events events;
    uint32_t now = 1000;
    hold(button, false, now, 100, events);
    hold(button, true, now, 300, events);
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 2);
    CHECK_EQ(events.doublePresses, 0);
    CHECK_EQ(events.lastEventAt, 1600 + 30);
  }
  {  // double press: reported when the second press is debounced; neither press is a short one, and holding
     // the second one on does not make it long
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 120, events);
    hold(button, false, now, 150, events);
    hold(button, true, now, 100, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.lastEventAt, 370 + 30);
    hold(button, true, now, 3000, events);
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.shortPresses + events.longPresses, 0);
  }
  {  // second press starting 399 ms after the first (debounced after the window): still a double
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 299, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.shortPresses, 0);
    CHECK_EQ(events.lastEventAt, 499 + 30);
  }
  {  // second press starting at 400 ms: too late, two short presses
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 300, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.doublePresses, 0);
    CHECK_EQ(events.shortPresses, 2);
  }
  {  // a glitch (shorter than the debounce time) after a short press is no second press
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 150, events);
    hold(button, true, now, 10, events);
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.shortPresses, 1);
    CHECK_EQ(events.doublePresses, 0);
    CHECK_EQ(events.lastEventAt, 100 + 400);
  }
  {  // contact bounce on both presses of a double: one double
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 50, events);
    for (int press = 0; press < 2; ++press) {
      for (int i = 0; i < 3; ++i) {
        hold(button, true, now, 3, events);
        hold(button, false, now, 4, events);
      }
      hold(button, true, now, 80, events);
      for (int i = 0; i < 3; ++i) {
        hold(button, false, now, 5, events);
        hold(button, true, now, 2, events);
      }
      hold(button, false, now, 60, events);
    }
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.shortPresses + events.longPresses, 0);
  }
  {  // three quick presses: a double, then the third is a short press of its own
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    for (int i = 0; i < 3; ++i) {
      hold(button, true, now, 80, events);
      hold(button, false, now, 100, events);
    }
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.shortPresses, 1);
  }
  {  // no debounce and update() not called for a while: a late second press still reports the first as short
    ButtonClassifier button(0);
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 100, events);  // t = 300: waiting until 500
    CHECK(button.update(true, 2000) == ButtonEvent::ShortPress);
    now = 2001;
    hold(button, true, now, 100, events);
    hold(button, false, now, 1000, events);
    CHECK_EQ(events.shortPresses, 1);  // the second press, on its own
    CHECK_EQ(events.doublePresses, 0);
  }
  {  // contact bounce on press and release: still one short press
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 50, events);
    for (int i = 0; i < 4; ++i) {
      hold(button, true, now, 3, events);
      hold(button, false, now, 4, events);
    }
    hold(button, true, now, 200, events);
    for (int i = 0; i < 4; ++i) {
      hold(button, false, now, 5, events);
      hold(button, true, now, 2, events);
    }
    hold(button, false, now, 400, events);
    CHECK_EQ(events.shortPresses, 1);
    CHECK_EQ(events.longPresses, 0);
  }
  {  // glitches shorter than the debounce time are ignored
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 50, events);
    hold(button, true, now, 25, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 0);
    CHECK(!button.pressed());
  }
  {  // 0.99 s is short; 1.0–2.0 s is neither (deliberate dead band)
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 50, events);
    hold(button, true, now, 990, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 1);
    hold(button, true, now, 1500, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses, 1);
    CHECK_EQ(events.longPresses, 0);
  }
  {  // long press: reported while still held, at 2 s after the press edge; release adds nothing
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, false, now, 100, events);
    hold(button, true, now, 5000, events);
    CHECK_EQ(events.longPresses, 1);
    CHECK_EQ(events.lastEventAt, 100 + 2000);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.longPresses, 1);
    CHECK_EQ(events.shortPresses, 0);
  }
  {  // held at power-up (or stuck): nothing until released and pressed again
    ButtonClassifier button;
    Events events;
    uint32_t now = 0;
    hold(button, true, now, 3000, events);
    hold(button, false, now, 100, events);
    CHECK_EQ(events.shortPresses + events.longPresses, 0);
    hold(button, true, now, 100, events);
    hold(button, false, now, 400, events);
    CHECK_EQ(events.shortPresses, 1);
  }
  {  // millis() wrap-around in the middle of a press, and of a double press
    ButtonClassifier button;
    Events events;
    uint32_t now = 0xFFFFFFFFu - 200;
    hold(button, false, now, 100, events);
    hold(button, true, now, 300, events);  // crosses 0
    hold(button, false, now, 200, events);
    CHECK_EQ(events.shortPresses, 1);
    now = 0xFFFFFFFFu - 300;
    hold(button, false, now, 100, events);
    hold(button, true, now, 100, events);
    hold(button, false, now, 100, events);  // crosses 0
    hold(button, true, now, 100, events);
    hold(button, false, now, 500, events);
    CHECK_EQ(events.doublePresses, 1);
    CHECK_EQ(events.shortPresses, 1);
    CHECK(strcmp(buttonEventName(ButtonEvent::DoublePress), "double") == 0);
    CHECK(strcmp(buttonEventName(ButtonEvent::ShortPress), "short") == 0);
  }
}

SetCommand setOf(const char* color, const char* pattern, const char* buzzer) {
  SetCommand command;
  if (color != nullptr) command.hasColor = parseLedColor(color, command.color);
  if (pattern != nullptr) command.hasPattern = parseLedPattern(pattern, command.pattern);
  if (buzzer != nullptr) command.hasBuzzer = parseBuzzerPattern(buzzer, command.buzzer);
  return command;
}

void testDeskState() {
  DeskState desk;
  uint32_t now = 10000;

  // Link down (at boot): red double flash, buzzer silent whatever the state says.
  desk.applySet(setOf("blue", "fast-blink", "ring"), now);
  Output out = desk.output(now);
  CHECK(out.hue == Hue::LinkDown && out.level == 255 && !out.buzzer);
  CHECK(!desk.showsCall());
  CHECK(desk.output(now + 150).level == 0);

  desk.setLinkUp(true, now);
  desk.applySet(setOf("blue", "fast-blink", "chirp"), now);
  out = desk.output(now);
  CHECK(out.hue == Hue::Blue && out.level == 255 && out.buzzer);
  CHECK(desk.output(now + 125).level == 0);
  CHECK(!desk.output(now + 100).buzzer);
  CHECK(desk.showsCall());

  // A re-delivered identical message does not restart the phases.
  desk.applySet(setOf("blue", "fast-blink", "chirp"), now + 60);
  CHECK(desk.output(now + 130).level == 0);

  // Missing parts keep what is shown.
  desk.applySet(setOf(nullptr, nullptr, "ring"), now + 1000);
  CHECK(desk.color() == LedColor::Blue && desk.pattern() == LedPattern::FastBlink);
  CHECK(desk.buzzer() == BuzzerPattern::Ring);
  desk.applySet(setOf("amber", nullptr, nullptr), now + 1000);
  CHECK(desk.color() == LedColor::Amber && desk.pattern() == LedPattern::FastBlink && desk.buzzer() == BuzzerPattern::Ring);

  // Short press during a call = ack, and the local buzzer goes quiet until the bridge changes it.
  CHECK(desk.onButton(ButtonEvent::ShortPress) == DeskAction::Ack);
  CHECK(desk.present());
  CHECK(desk.buzzerMuted());
  CHECK(!desk.output(now + 1000).buzzer);
  desk.applySet(setOf(nullptr, nullptr, "ring"), now + 1500);  // same pattern again: stays muted
  CHECK(!desk.output(now + 1500).buzzer);
  desk.applySet(setOf(nullptr, nullptr, "chirp"), now + 2000);  // different: sounds again
  CHECK(!desk.buzzerMuted());
  CHECK(desk.output(now + 2000).buzzer);

  // Call over: a short press toggles presence; away shows a faint steady glow.
  desk.applySet(SetCommand::allOff(), now + 3000);
  CHECK(!desk.showsCall());
  out = desk.output(now + 3000);
  CHECK(out.hue == Hue::None && out.level == 0 && !out.buzzer);
  CHECK(desk.onButton(ButtonEvent::ShortPress) == DeskAction::Away);
  CHECK(!desk.present());
  out = desk.output(now + 3001);
  CHECK(out.hue == Hue::Away && out.level == 255);
  CHECK(desk.onButton(ButtonEvent::ShortPress) == DeskAction::Present);
  CHECK(desk.present());

  // Long press = away, even during a call; the call still shows (it has priority over the away glow).
  desk.applySet(setOf("white", "pulse", "off"), now + 4000);
  CHECK(desk.onButton(ButtonEvent::LongPress) == DeskAction::Away);
  CHECK(!desk.present());
  CHECK(desk.output(now + 4000).hue == Hue::White);
  CHECK(desk.onButton(ButtonEvent::None) == DeskAction::None);
  // Double press = cover, even during a call: no ack, no mute, presence unchanged.
  CHECK(desk.onButton(ButtonEvent::DoublePress) == DeskAction::Cover);
  CHECK(!desk.present());
  CHECK(!desk.buzzerMuted());

  // A color with pattern "off" is not a visible call: a short press toggles presence, not ack.
  desk.applySet(setOf("blue", "off", "off"), now + 5000);
  CHECK(!desk.showsCall());
  CHECK(desk.onButton(ButtonEvent::ShortPress) == DeskAction::Present);

  // Link lost: the link-down flash replaces everything, and a press toggles presence (no ack).
  desk.applySet(setOf("blue", "solid", "ring"), now + 6000);
  desk.setLinkUp(false, now + 6000);
  CHECK(!desk.showsCall());
  CHECK(desk.output(now + 6000).hue == Hue::LinkDown);
  CHECK(!desk.output(now + 6000).buzzer);
  CHECK(desk.onButton(ButtonEvent::ShortPress) == DeskAction::Away);
  desk.setLinkUp(true, now + 7000);
  CHECK(desk.output(now + 7000).hue == Hue::Blue);

  CHECK(strcmp(deskActionName(DeskAction::Ack), "ack") == 0);
  CHECK(strcmp(deskActionName(DeskAction::Present), "present") == 0);
  CHECK(strcmp(deskActionName(DeskAction::Away), "away") == 0);
  CHECK(strcmp(deskActionName(DeskAction::Cover), "cover") == 0);
}

void testPendingActions() {
  PendingActions pending;
  CHECK(pending.empty());
  CHECK(pending.peek(0) == DeskAction::None);

  pending.push(DeskAction::Away, 0);
  pending.push(DeskAction::Present, 10);  // latest presence wins
  pending.push(DeskAction::Ack, 20);
  CHECK(pending.peek(30) == DeskAction::Present);
  pending.pop();
  CHECK(pending.peek(30) == DeskAction::Ack);
  pending.pop();
  CHECK(pending.empty());

  pending.push(DeskAction::Ack, 1000);
  const uint32_t maxAge = PendingActions::kAckMaxAgeMs;
  CHECK(pending.peek(1000 + maxAge) == DeskAction::Ack);
  CHECK(pending.peek(1000 + maxAge + 1) == DeskAction::None);  // a stale ack is dropped
  CHECK(pending.empty());

  // Cover (a toggle): sent after presence and ack, dropped once stale, and two waiting covers cancel.
  const uint32_t coverAge = PendingActions::kCoverMaxAgeMs;
  pending.push(DeskAction::Cover, 20000);
  pending.push(DeskAction::Ack, 20010);
  pending.push(DeskAction::Away, 20020);
  CHECK(!pending.empty());
  CHECK(pending.peek(20030) == DeskAction::Away);
  pending.pop();
  CHECK(pending.peek(20030) == DeskAction::Ack);
  pending.pop();
  CHECK(pending.peek(20030) == DeskAction::Cover);
  pending.pop();
  CHECK(pending.empty());
  pending.push(DeskAction::Cover, 30000);
  CHECK(pending.peek(30000 + coverAge) == DeskAction::Cover);
  CHECK(pending.peek(30000 + coverAge + 1) == DeskAction::None);  // a stale cover is dropped
  CHECK(pending.empty());
  pending.push(DeskAction::Cover, 50000);
  pending.push(DeskAction::Cover, 51000);  // on, off: nothing to send
  CHECK(pending.empty());
  CHECK(pending.peek(51000) == DeskAction::None);
  pending.push(DeskAction::Cover, 60000);
  pending.push(DeskAction::Cover, 60000 + coverAge + 1);  // the first was stale: this one is sent
  CHECK(pending.peek(60000 + coverAge + 2) == DeskAction::Cover);
}

void testBackoff() {
  Backoff backoff;
  const uint32_t expected[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (uint32_t delay : expected) CHECK_EQ(backoff.next(), delay);
  backoff.reset();
  CHECK_EQ(backoff.next(), 1000);
  CHECK_EQ(backoff.peek(), 2000);
}

void testTopics() {
  CHECK(isValidSite("branch-01"));
  CHECK(!isValidSite("Branch-01"));
  CHECK(!isValidSite(""));
  CHECK(!isValidSite("a/b"));
  CHECK(!isValidSite("a+"));
  CHECK(!isValidSite(nullptr));
  CHECK(isValidDeskId("d1"));
  CHECK(isValidDeskId("Desk_7-b"));
  CHECK(!isValidDeskId("-d1"));
  CHECK(!isValidDeskId("_d1"));
  CHECK(!isValidDeskId("d 1"));
  CHECK(!isValidDeskId("d#"));
  CHECK(!isValidDeskId(""));

  DeskTopics topics;
  CHECK(buildDeskTopics("branch-01", "d1", topics));
  CHECK(strcmp(topics.set, "thirdring/branch-01/desk/d1/set") == 0);
  CHECK(strcmp(topics.action, "thirdring/branch-01/desk/d1/action") == 0);
  CHECK(strcmp(topics.availability, "thirdring/branch-01/desk/d1/availability") == 0);
  CHECK(strcmp(topics.clientId, "thirdring-desk-d1") == 0);
  CHECK(!buildDeskTopics("Branch", "d1", topics));
  CHECK(!buildDeskTopics("branch-01", "d/1", topics));
  char longDesk[80];
  memset(longDesk, 'd', sizeof longDesk - 1);
  longDesk[sizeof longDesk - 1] = '\0';
  CHECK(!buildDeskTopics("branch-01", longDesk, topics));  // client id would not fit
}

void testSettingRules() {
  uint16_t port = 0;
  CHECK(parsePort("1883", port) && port == 1883);
  CHECK(parsePort("65535", port) && port == 65535);
  CHECK(!parsePort("0", port));
  CHECK(!parsePort("65536", port));
  CHECK(!parsePort("18a3", port));
  CHECK(!parsePort("", port));
  bool flag = false;
  CHECK(parseFlag("on", flag) && flag);
  CHECK(parseFlag("0", flag) && !flag);
  CHECK(!parseFlag("maybe", flag));

  CHECK(checkSetting("wifi_ssid", "Office WiFi") == SettingCheck::Ok);
  CHECK(checkSetting("wifi_pass", "") == SettingCheck::Ok);  // open network
  CHECK(checkSetting("wifi_ssid", "123456789012345678901234567890123") == SettingCheck::TooLong);
  CHECK(checkSetting("mqtt_port", "8883") == SettingCheck::Ok);
  CHECK(checkSetting("mqtt_port", "http") == SettingCheck::Invalid);
  CHECK(checkSetting("mqtt_tls", "yes") == SettingCheck::Ok);
  CHECK(checkSetting("site", "branch-01") == SettingCheck::Ok);
  CHECK(checkSetting("site", "Branch 01") == SettingCheck::Invalid);
  CHECK(checkSetting("desk", "d7") == SettingCheck::Ok);
  CHECK(checkSetting("desk", "d7/set") == SettingCheck::Invalid);
  CHECK(checkSetting("colour", "blue") == SettingCheck::UnknownKey);
  for (size_t i = 0; i < kSettingRuleCount; ++i) CHECK(strlen(kSettingRules[i].key) <= 15);  // Preferences limit
}

}  // namespace

int main() {
  testNames();
  testLedPatterns();
  testBuzzerPatterns();
  testLinkDownPattern();
  testPwmDuty();
  testButton();
  testDeskState();
  testPendingActions();
  testBackoff();
  testTopics();
  testSettingRules();
  if (failures > 0) {
    printf("%d of %d checks FAILED\n", failures, checks);
    return 1;
  }
  printf("desk-unit host test: all %d checks passed\n", checks);
  return 0;
}
