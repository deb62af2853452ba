import { callbackFellDue, nextCallbackDue, onCallbackAck } from './callbacks.js';
import {
  callLightingDesk, endStuckBurst, miss, onBurstEnd, onBurstStart, onDeskOffHook, onDeskOnHook, onLineOffHook, onLineOnHook, onPresence,
} from './call-lifecycle.js';
import { applySchedules, onTakeover } from './cover.js';
import { checkedBack, endHoldChirp, heldLineAt, onHold, remindOfHold } from './hold.js';
import { changedIndications } from './indications.js';
import type { CoreState, Timer } from './state.js';
import { ignore, type StepContext } from './step-context.js';
import type { AckEvent, CoreEvent, HoldEvent, HookEvent, StepResult } from './types.js';
import { peekWake, popDue } from './wake-queue.js';

/** Timers are never cancelled; one whose deadline has moved on (or whose reason is gone) is skipped. */
function isLiveTimer(time: number, timer: Timer): boolean {
  switch (timer.kind) {
    case 'miss':
      return timer.line.missAt === time;
    case 'burst-stuck':
      return timer.line.stuckAt === time;
    case 'hold-reminder':
      return timer.line.holdReminderAt === time;
    case 'hold-chirp-end':
      return timer.line.holdChirpUntil === time;
    case 'schedule':
      return true; // only applySchedules pushes these, one per boundary
  }
}

/**
 * Feeds one event to the core. The state is updated in place (the caller owns it and must not share it);
 * given the same config and events, the results are the same, byte for byte. Events must come in time order.
 * Timers that fell due before `event.t` (silences that ran out, hold reminders, callbacks falling due,
 * schedule changes) run first, each at its own time, so a late `tick` loses nothing.
 */
export function step(state: CoreState, event: CoreEvent): StepResult {
  if (event.t < state.now) throw new RangeError(`event at t=${event.t} is before the previous one (t=${state.now})`);
  state.now = event.t;
  state.stepNumber++;
  const ctx: StepContext = { state, t: event.t, decisions: [], touched: [], touchedAll: false, ignored: null };

  if (!state.schedulesStarted) {
    state.schedulesStarted = true;
    if (state.schedules.length > 0) applySchedules(ctx);
  }
  for (;;) {
    const timerAt = peekWake(state.timers, isLiveTimer);
    const callback = nextCallbackDue(state);
    if (callback && callback.dueAt <= event.t && (timerAt === null || callback.dueAt < timerAt)) {
      ctx.t = callback.dueAt;
      callbackFellDue(ctx, callback);
      continue;
    }
    const due = popDue(state.timers, event.t, isLiveTimer);
    if (!due) break;
    ctx.t = due.time;
    runTimer(ctx, due.key);
  }
  ctx.t = event.t;
  apply(ctx, event);

  const commands = changedIndications(state, ctx.touchedAll ? state.desks : ctx.touched, event.t);
  return { decisions: ctx.decisions, commands, ignored: ctx.ignored, wakeAt: nextWakeAt(state) };
}

export function nextWakeAt(state: CoreState): number | null {
  const timerAt = peekWake(state.timers, isLiveTimer);
  const callbackAt = nextCallbackDue(state)?.dueAt ?? null;
  if (timerAt === null) return callbackAt;
  return callbackAt === null ? timerAt : Math.min(timerAt, callbackAt);
}

function runTimer(ctx: StepContext, timer: Timer): void {
  switch (timer.kind) {
    case 'miss':
      if (timer.line.call) miss(ctx, timer.line.call, ctx.t);
      return;
    case 'burst-stuck':
      return endStuckBurst(ctx, timer.line);
    case 'hold-reminder':
      return remindOfHold(ctx, timer.line);
    case 'hold-chirp-end':
      return endHoldChirp(ctx, timer.line);
    case 'schedule':
      return applySchedules(ctx);
  }
}

function apply(ctx: StepContext, event: CoreEvent): void {
  const { state } = ctx;
  switch (event.type) {
    case 'tick':
      return;
    case 'ring': {
      const line = state.lineById.get(event.line);
      if (!line) return ignore(ctx, 'unknown-line');
      return event.state === 'on' ? onBurstStart(ctx, line) : onBurstEnd(ctx, line);
    }
    case 'hook':
      return applyHook(ctx, event);
    case 'presence': {
      const desk = state.deskById.get(event.desk);
      if (!desk) return ignore(ctx, 'unknown-desk');
      return onPresence(ctx, desk, event.state === 'present');
    }
    case 'hold':
      return applyHold(ctx, event);
    case 'ack':
      return applyAck(ctx, event);
    case 'takeover': {
      const desk = state.deskById.get(event.desk);
      const from = state.deskById.get(event.from);
      if (!desk || !from) return ignore(ctx, 'unknown-desk');
      const refused = onTakeover(ctx, desk, from, event.state === 'on');
      if (refused) ignore(ctx, refused);
      return;
    }
  }
}

function applyHook(ctx: StepContext, event: HookEvent): void {
  const { state } = ctx;
  const line = event.line === undefined ? null : state.lineById.get(event.line) ?? null;
  const desk = event.desk === undefined ? null : state.deskById.get(event.desk) ?? null;
  if (event.line !== undefined && !line) return ignore(ctx, 'unknown-line');
  if (event.desk !== undefined && !desk) return ignore(ctx, 'unknown-desk');
  if (!line && !desk) return ignore(ctx, 'no-line-or-desk');
  if (desk) return event.state === 'off' ? onDeskOffHook(ctx, desk, line) : onDeskOnHook(ctx, desk);
  if (line) return event.state === 'off' ? onLineOffHook(ctx, line) : onLineOnHook(ctx, line);
}

/** Hold at a desk means the line the person there is talking on. */
function applyHold(ctx: StepContext, event: HoldEvent): void {
  const { state } = ctx;
  const desk = event.desk === undefined ? null : state.deskById.get(event.desk) ?? null;
  if (event.desk !== undefined && !desk) return ignore(ctx, 'unknown-desk');
  if (event.line !== undefined && !state.lineById.has(event.line)) return ignore(ctx, 'unknown-line');
  const line = event.line !== undefined ? state.lineById.get(event.line)! : desk?.talkingOn ?? null;
  if (!line) return ignore(ctx, desk ? 'no-call' : 'no-line-or-desk');
  const refused = onHold(ctx, line, event.state === 'on');
  if (refused) ignore(ctx, refused);
}

/**
 * An ack acknowledges a call ringing for the desk; at a desk with a caller on hold it means "checked back";
 * otherwise it returns the desk's (or the given line's) oldest callback.
 */
function applyAck(ctx: StepContext, event: AckEvent): void {
  const { state } = ctx;
  const desk = state.deskById.get(event.desk);
  const line = event.line === undefined ? null : state.lineById.get(event.line) ?? null;
  if (!desk) return ignore(ctx, 'unknown-desk');
  if (event.line !== undefined && !line) return ignore(ctx, 'unknown-line');
  if (callLightingDesk(ctx, desk)) return;
  const held = heldLineAt(desk);
  if (held && !line) return checkedBack(ctx, held);
  if (!onCallbackAck(ctx, desk, line)) ignore(ctx, 'nothing-to-ack');
}
