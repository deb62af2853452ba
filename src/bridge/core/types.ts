// Contracts of the rules core: what goes in (events), what comes out (decisions, commands).
// See DESIGN.md "Events" and README "Replay"; change only by extending.

export type Point = readonly [x: number, y: number];

export type RingEvent = { t: number; type: 'ring'; line: string; state: 'on' | 'off' };
/** Off-hook / on-hook at a line's phone (`line`) or at a desk (`desk`, optionally naming the `line` it picked up). */
export type HookEvent = { t: number; type: 'hook'; line?: string; desk?: string; state: 'off' | 'on' };
export type PresenceEvent = { t: number; type: 'presence'; desk: string; state: 'present' | 'away' };
/** Fed back by the shell when the time the core asked for (`wakeAt`) has come. */
export type TickEvent = { t: number; type: 'tick' };
export type CoreEvent = RingEvent | HookEvent | PresenceEvent | TickEvent;

export type Decision =
  | { t: number; type: 'ring'; line: string; ring: number }
  | { t: number; type: 'assign'; line: string; desk: string; reason: AssignReason }
  | { t: number; type: 'unassigned'; line: string }
  | { t: number; type: 'escalate'; line: string; level: number; desks: string[] }
  | { t: number; type: 'answered'; line: string; rings: number; waitMs: number; onTime: boolean; desk?: string }
  | { t: number; type: 'missed'; line: string; rings: number; waitMs: number }
  | { t: number; type: 'ended'; line: string; durationMs: number };

/** first: ring 1; reassigned: the previous desk left or took another call; freed: a desk became available. */
export type AssignReason = 'first' | 'reassigned' | 'freed';

export type LedPattern = 'off' | 'solid' | 'fast-blink' | 'slow-blink' | 'pulse';
export type BuzzerPattern = 'off' | 'chirp' | 'ring';
/** What a desk shows, from the strongest claim of all current calls (see indications.ts). */
export type DeskAlert = 'yours' | 'nearby' | 'everyone' | 'none';

export interface Indication {
  alert: DeskAlert;
  line: string | null;
  led: { color: string; pattern: LedPattern };
  buzzer: { pattern: BuzzerPattern };
}

export type Command = { t: number; type: 'indicate'; desk: string } & Indication;

export interface StepResult {
  decisions: Decision[];
  commands: Command[];
  /** The earliest time the core needs a `tick`, or null when nothing is pending. */
  wakeAt: number | null;
}
