// Contracts of the rules core: what goes in (events), what comes out (decisions, commands).
// See README "`thirdring replay`" and docs/architecture.md; change only by extending.

export type Point = readonly [x: number, y: number];

export type RingEvent = { t: number; type: 'ring'; line: string; state: 'on' | 'off' };
/** Off-hook / on-hook at a line's phone (`line`) or at a desk (`desk`, optionally naming the `line` it picked up). */
export type HookEvent = { t: number; type: 'hook'; line?: string; desk?: string; state: 'off' | 'on' };
export type PresenceEvent = { t: number; type: 'presence'; desk: string; state: 'present' | 'away' };
/** A call put on hold / taken off hold, at a desk (headset Hold usage, desk unit) or on a line. */
export type HoldEvent = { t: number; type: 'hold'; line?: string; desk?: string; state: 'on' | 'off' };
/**
 * A person acknowledged at a desk (button, or MQTT). With no call ringing there it closes the oldest callback
 * owed by that desk (or on `line`, when given).
 */
export type AckEvent = { t: number; type: 'ack'; desk: string; line?: string };
/** `desk` takes over `from`'s calls (on) or gives them back (off): lunch and absence cover. */
export type TakeoverEvent = { t: number; type: 'takeover'; desk: string; from: string; state: 'on' | 'off' };
/** Fed back by the shell when the time the core asked for (`wakeAt`) has come. */
export type TickEvent = { t: number; type: 'tick' };
export type CoreEvent = RingEvent | HookEvent | PresenceEvent | HoldEvent | AckEvent | TakeoverEvent | TickEvent;

export type Decision =
  | { t: number; type: 'ring'; line: string; ring: number }
  | { t: number; type: 'assign'; line: string; desk: string; reason: AssignReason }
  | { t: number; type: 'unassigned'; line: string }
  /**
   * The call widened to `level`. `desks`: the desks it names (the assigned desk and the next nearest, a few at
   * most). A level that lights everyone says so in `everyone` — how many present desks were lit, and within what
   * radius of the phone (null: the whole floor) — never as a list, which would grow with the office.
   */
  | { t: number; type: 'escalate'; line: string; level: number; desks: string[]; everyone?: { desks: number; withinMetres: number | null } }
  | { t: number; type: 'answered'; line: string; rings: number; waitMs: number; onTime: boolean; desk?: string }
  | { t: number; type: 'missed'; line: string; rings: number; waitMs: number; desk?: string }
  /** An outgoing call on an idle line (off-hook at its phone, or at `desk` naming the line): the line is in use. */
  | { t: number; type: 'outgoing'; line: string; desk?: string }
  | { t: number; type: 'ended'; line: string; durationMs: number }
  /**
   * A ring burst went on far longer than the line's cadence allows (`burstMs`): its ring-off was lost. The core
   * ends the burst here, so the call goes on (another burst) or is missed after the usual silence.
   */
  | { t: number; type: 'ring-stuck'; line: string; burstMs: number }
  /** A designated line rang past `answerBy` unanswered: the call went to the fallback desks (see `escalate`). */
  | { t: number; type: 'alert'; line: string; reason: 'designated-unanswered'; ring: number; desks: string[] }
  /** A missed call owes a callback, by `desk`, due at `dueAt` (one business day later). Identified by line + missedAt. */
  | { t: number; type: 'callback-owed'; line: string; missedAt: number; desk: string; dueAt: number }
  | { t: number; type: 'callback-overdue'; line: string; missedAt: number; desk: string; dueAt: number }
  | { t: number; type: 'callback-closed'; line: string; missedAt: number; desk: string; by: 'outgoing' | 'ack'; overdue: boolean }
  | { t: number; type: 'hold'; line: string; desk?: string; state: 'on' | 'off'; heldMs: number }
  /** The call has been on hold `heldMs`: check back with the caller (repeats every holdCheckSeconds). */
  | { t: number; type: 'hold-reminder'; line: string; desk?: string; heldMs: number; reminder: number }
  | { t: number; type: 'takeover'; desk: string; from: string; state: 'on' | 'off' }
  /** A lunch / absence cover schedule changed a desk's presence. */
  | { t: number; type: 'schedule'; desk: string; state: 'present' | 'away'; schedule: string };

/** first: ring 1; reassigned: the previous desk left or took another call; freed: a desk became available. */
export type AssignReason = 'first' | 'reassigned' | 'freed';

export type LedPattern = 'off' | 'solid' | 'fast-blink' | 'slow-blink' | 'pulse';
export type BuzzerPattern = 'off' | 'chirp' | 'ring';
/** What a desk shows, from the strongest claim of all current calls (see indications.ts). */
export type DeskAlert = 'yours' | 'hold' | 'nearby' | 'everyone' | 'callback' | 'none';

export interface Indication {
  alert: DeskAlert;
  line: string | null;
  led: { color: string; pattern: LedPattern };
  buzzer: { pattern: BuzzerPattern };
}

export type Command = { t: number; type: 'indicate'; desk: string } & Indication;

/**
 * Why the core ignored an event, so the shell never has to infer it from the state: a name it does not know, or
 * an event that does not fit what is happening (a ring-off without a ring, a hold with no call, a takeover the
 * cover rules refuse). `unchanged`: it asked for what already is (hold while held, cover that is in place).
 */
export type IgnoredBecause =
  | 'unknown-line' | 'unknown-desk' | 'no-line-or-desk'
  | 'not-ringing' | 'line-in-use' | 'no-call' | 'already-off-hook' | 'already-on-hook'
  | 'nothing-to-ack' | 'own-desk' | 'cover-is-covered' | 'not-covering' | 'unchanged';

export interface StepResult {
  decisions: Decision[];
  commands: Command[];
  /** null: the event was taken; else why it was ignored (counted in the state's ignoredEvents too). */
  ignored: IgnoredBecause | null;
  /** The earliest time the core needs a `tick`, or null when nothing is pending. */
  wakeAt: number | null;
}
