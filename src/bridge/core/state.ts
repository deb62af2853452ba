import { ringTiming, type Cadence, type RingTiming } from './cadence.js';
import { buildDeskIndex, type DeskIndex } from './desk-index.js';
import { NO_INDICATION_CODE } from './indications.js';
import type { RingProgress } from './ring-counter.js';
import type { BuzzerPattern, Point } from './types.js';
import { createWakeQueue, type WakeQueue } from './wake-queue.js';

/** One widening of a ringing call, reached when ring `atRing` begins. Level 1 is the assignment at ring 1. */
export interface EscalationStep {
  atRing: number;
  /** The assigned desk's buzzer from this level on ('off' leaves it as it was). */
  buzzer: BuzzerPattern;
  /** Also light this many of the next nearest available desks. */
  nearest: number;
  /** Light every present desk (or, with `withinMetres`, every present desk that close to the phone). */
  everyone: boolean;
  withinMetres: number | null;
}

/** The rules core's view of the config: ids, positions and rules, nothing about devices. */
export interface CoreConfig {
  desks: readonly { id: string; at: Point }[];
  lines: readonly { id: string; phones: readonly Point[]; cadence: Cadence }[];
  rules: { answerBy: number; tieMetres: number; escalation: readonly EscalationStep[] };
}

export interface DeskState {
  readonly id: string;
  readonly number: number;
  present: boolean;
  offHook: boolean;
  /** The ringing call this desk should answer (LED "yours"). */
  assignedTo: Call | null;
  /** The line this desk answered and is talking on. */
  talkingOn: LineState | null;
  lastAnsweredAt: number;
  /** How many ringing calls light this desk as one of the next nearest / as part of "everyone". */
  nearbyClaims: number;
  everyoneClaims: number;
  /** The last indication sent for this desk, as a comparable code (see indications.ts). */
  shownCode: number;
  touchedInStep: number;
}

export type LinePhase = 'idle' | 'ringing' | 'answered' | 'in-use';

export interface LineState {
  readonly id: string;
  readonly number: number;
  readonly phones: readonly Point[];
  readonly timing: RingTiming;
  phase: LinePhase;
  /** When the line entered its phase; null until something happened on it. */
  since: number | null;
  call: Call | null;
  answeredBy: DeskState | null;
  /** The current silence deadline of the ringing call, matched against wake-queue entries. */
  missAt: number | null;
  /** Desks within a radius of the phone, by radius, nearest first (filled on first use). */
  readonly desksWithin: Map<number, readonly DeskState[]>;
}

export interface Call {
  readonly line: LineState;
  readonly progress: RingProgress;
  assigned: DeskState | null;
  level: number;
  buzzer: BuzzerPattern;
  nearby: DeskState[];
  /** 'all' = every present desk, counted once in `CoreState.callsLightingEveryone`. */
  everyone: DeskState[] | 'all' | null;
}

export interface CoreState {
  readonly rules: CoreConfig['rules'];
  readonly desks: DeskState[];
  readonly deskById: ReadonlyMap<string, DeskState>;
  readonly lines: LineState[];
  readonly lineById: ReadonlyMap<string, LineState>;
  readonly deskIndex: DeskIndex;
  /** In the order their calls started. */
  readonly ringingCalls: Set<Call>;
  /** Ringing calls with no desk available, in the order they lost (or never had) one. */
  readonly callsWithoutDesk: Set<Call>;
  callsLightingEveryone: number;
  readonly missQueue: WakeQueue<LineState>;
  now: number;
  stepNumber: number;
  /** Inputs that made no sense in the line's state (a burst while off-hook, an on-hook while idle...). */
  ignoredEvents: number;
}

export function createCoreState(config: CoreConfig): CoreState {
  const desks = config.desks.map(
    ({ id }, number): DeskState => ({
      id,
      number,
      present: true,
      offHook: false,
      assignedTo: null,
      talkingOn: null,
      lastAnsweredAt: -Infinity,
      nearbyClaims: 0,
      everyoneClaims: 0,
      shownCode: NO_INDICATION_CODE,
      touchedInStep: -1,
    }),
  );
  const lines = config.lines.map(
    ({ id, phones, cadence }, number): LineState => ({
      id,
      number,
      phones,
      timing: ringTiming(cadence),
      phase: 'idle',
      since: null,
      call: null,
      answeredBy: null,
      missAt: null,
      desksWithin: new Map(),
    }),
  );
  return {
    rules: config.rules,
    desks,
    deskById: new Map(desks.map((d) => [d.id, d])),
    lines,
    lineById: new Map(lines.map((l) => [l.id, l])),
    deskIndex: buildDeskIndex(config.desks.map((d) => d.at)),
    ringingCalls: new Set(),
    callsWithoutDesk: new Set(),
    callsLightingEveryone: 0,
    missQueue: createWakeQueue(),
    now: -Infinity,
    stepNumber: 0,
    ignoredEvents: 0,
  };
}
