#include "desk_state.h"

namespace thirdring {

namespace {

Hue hueOf(LedColor color) {
  switch (color) {
    case LedColor::Blue:
      return Hue::Blue;
    case LedColor::Amber:
      return Hue::Amber;
    case LedColor::White:
      return Hue::White;
    case LedColor::Off:
      break;
  }
  return Hue::None;
}

}  // namespace

const char* deskActionName(DeskAction action) {
  switch (action) {
    case DeskAction::Ack:
      return "ack";
    case DeskAction::Present:
      return "present";
    case DeskAction::Away:
      return "away";
    case DeskAction::Cover:
      return "cover";
    case DeskAction::None:
      break;
  }
  return "none";
}

void DeskState::applySet(const SetCommand& command, uint32_t nowMs) {
  const LedColor color = command.hasColor ? command.color : color_;
  const LedPattern pattern = command.hasPattern ? command.pattern : pattern_;
  if (color != color_ || pattern != pattern_) {
    color_ = color;
    pattern_ = pattern;
    ledSince_ = nowMs;
  }
  if (command.hasBuzzer && command.buzzer != buzzer_) {
    buzzer_ = command.buzzer;
    buzzerSince_ = nowMs;
    buzzerMuted_ = false;
  }
}

void DeskState::setLinkUp(bool up, uint32_t nowMs) {
  if (up == linkUp_) return;
  linkUp_ = up;
  linkSince_ = nowMs;
}

DeskAction DeskState::onButton(ButtonEvent event) {
  switch (event) {
    case ButtonEvent::ShortPress:
      if (showsCall()) {
        buzzerMuted_ = true;  // instant quiet for the person answering; the bridge decides the rest
        return DeskAction::Ack;
      }
      present_ = !present_;
      return present_ ? DeskAction::Present : DeskAction::Away;
    case ButtonEvent::LongPress:
      present_ = false;
      return DeskAction::Away;
    case ButtonEvent::DoublePress:
      return DeskAction::Cover;  // presence and the buzzer stay as they are; the bridge's set shows the result
    case ButtonEvent::None:
      break;
  }
  return DeskAction::None;
}

Output DeskState::output(uint32_t nowMs) const {
  Output out;
  if (!linkUp_) {
    out.level = linkDownLevel(nowMs - linkSince_);
    out.hue = out.level ? Hue::LinkDown : Hue::None;
    return out;  // buzzer stays silent while disconnected
  }
  if (showsCall()) {
    out.hue = hueOf(color_);
    out.level = patternLevel(pattern_, nowMs - ledSince_);
  } else if (!present_) {
    out.hue = Hue::Away;  // a faint steady glow: "you are marked away"
    out.level = 255;
  }
  out.buzzer = !buzzerMuted_ && buzzerActive(buzzer_, nowMs - buzzerSince_);
  return out;
}

void PendingActions::push(DeskAction action, uint32_t nowMs) {
  switch (action) {
    case DeskAction::Ack:
      ackPending_ = true;
      ackQueuedAt_ = nowMs;
      break;
    case DeskAction::Present:
    case DeskAction::Away:
      presence_ = action;
      break;
    case DeskAction::Cover:
      if (coverPending_ && nowMs - coverQueuedAt_ > kCoverMaxAgeMs) coverPending_ = false;  // stale: gone already
      coverPending_ = !coverPending_;
      coverQueuedAt_ = nowMs;
      break;
    case DeskAction::None:
      break;
  }
}

DeskAction PendingActions::peek(uint32_t nowMs) {
  if (ackPending_ && nowMs - ackQueuedAt_ > kAckMaxAgeMs) ackPending_ = false;
  if (coverPending_ && nowMs - coverQueuedAt_ > kCoverMaxAgeMs) coverPending_ = false;
  if (presence_ != DeskAction::None) return presence_;
  if (ackPending_) return DeskAction::Ack;
  if (coverPending_) return DeskAction::Cover;
  return DeskAction::None;
}

void PendingActions::pop() {
  if (presence_ != DeskAction::None) {
    presence_ = DeskAction::None;
  } else if (ackPending_) {
    ackPending_ = false;
  } else {
    coverPending_ = false;
  }
}

}  // namespace thirdring
