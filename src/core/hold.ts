import type { DeskState, LineState } from './state.js';
import { touch, type StepContext } from './step-context.js';
import { pushWake } from './wake-queue.js';
import type { IgnoredBecause } from './types.js';

// A caller on hold must be checked on every rules.holdCheckMs: each time, the desk gets a reminder (its hold
// LED, and the buzzer for a short chirp), until the call is taken off hold or hung up.

/** How long the buzzer sounds at each reminder. */
export const HOLD_CHIRP_MS = 2000;

/** Null when it took effect, else why not. */
export function onHold(ctx: StepContext, line: LineState, on: boolean): IgnoredBecause | null {
  if (line.phase !== 'answered' && line.phase !== 'in-use') return 'no-call';
  if (on === (line.heldSince !== null)) return 'unchanged';
  if (!on) {
    releaseHold(ctx, line);
    return null;
  }
  line.heldSince = ctx.t;
  line.holdReminders = 0;
  line.holdReminderAt = ctx.t + ctx.state.rules.holdCheckMs;
  pushWake(ctx.state.timers, line.holdReminderAt, line.holdTimer);
  ctx.decisions.push({ t: ctx.t, type: 'hold', line: line.id, ...deskOf(line), state: 'on', heldMs: 0 });
  return null;
}

/** Off hold (resumed, or the call ended while held). */
export function releaseHold(ctx: StepContext, line: LineState): void {
  if (line.heldSince === null) return;
  ctx.decisions.push({ t: ctx.t, type: 'hold', line: line.id, ...deskOf(line), state: 'off', heldMs: ctx.t - line.heldSince });
  line.heldSince = null;
  line.holdReminders = 0;
  line.holdReminderAt = null;
  line.holdChirpUntil = null;
  touch(ctx, line.answeredBy);
}

export function remindOfHold(ctx: StepContext, line: LineState): void {
  const heldSince = line.heldSince!;
  line.holdReminders++;
  line.holdReminderAt = ctx.t + ctx.state.rules.holdCheckMs;
  line.holdChirpUntil = ctx.t + HOLD_CHIRP_MS;
  pushWake(ctx.state.timers, line.holdReminderAt, line.holdTimer);
  pushWake(ctx.state.timers, line.holdChirpUntil, { kind: 'hold-chirp-end', line });
  touch(ctx, line.answeredBy);
  ctx.decisions.push({ t: ctx.t, type: 'hold-reminder', line: line.id, ...deskOf(line), heldMs: ctx.t - heldSince, reminder: line.holdReminders });
}

/** Someone checked back with the held caller (ack at the desk): reminder off, the next a full interval away. */
export function checkedBack(ctx: StepContext, line: LineState): void {
  line.holdReminders = 0;
  line.holdReminderAt = ctx.t + ctx.state.rules.holdCheckMs;
  line.holdChirpUntil = null;
  pushWake(ctx.state.timers, line.holdReminderAt, line.holdTimer);
  touch(ctx, line.answeredBy);
}

export function endHoldChirp(ctx: StepContext, line: LineState): void {
  line.holdChirpUntil = null;
  touch(ctx, line.answeredBy);
}

/** The line held by the person at this desk, if any. */
export function heldLineAt(desk: DeskState): LineState | null {
  const line = desk.talkingOn;
  return line && line.heldSince !== null ? line : null;
}

const deskOf = (line: LineState) => (line.answeredBy ? { desk: line.answeredBy.id } : {});
