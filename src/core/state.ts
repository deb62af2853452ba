import { BusinessCalendar, type BusinessHours } from './business-hours.js';
import { ringTiming, type Cadence, type RingTiming } from './cadence.js';
import { buildDeskIndex, type DeskIndex } from './desk-index.js';
import { NONE_CODE } from './indication-code.js';
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


/** Desks away from `away[0]` until `away[1]` (local time) on `days`: lunch cover. */
export interface Schedule {
  name: string;
  desks: readonly string[];
  away: readonly [from: string, until: string];
  days: readonly number[];
}

/** The rules core's view of the config: ids, positions and rules, nothing about devices. */
export interface CoreConfig {
  /** IANA zone for business hours and schedules; event times stay epoch ms. */
  timezone: string;
  desks: readonly { id: string; at: Point }[];
  lines: readonly { id: string; phones: readonly Point[]; cadence: Cadence; designated: boolean }[];
  rules: {
    answerBy: number;
    tieMetres: number;
    escalation: readonly EscalationStep[];
    holdCheckMs: number;
    businessHours: BusinessHours;
    /** Where designated lines go from ring `atRing` when nobody on the floor answered. */
    designated: { desks: readonly string[]; atRing: number } | null;
  };
  schedules: readonly Schedule[];
}

export interface DeskState {
  readonly id: string;
  readonly number: number;
  readonly at: Point;
  present: boolean;
  /** The schedule that sent this desk away (it brings it back when it ends); null when away by hand or present. */
  awayBySchedule: string | null;
  /** The desk taking this desk's calls (lunch / absence cover); a covered desk is not asked to answer. */
  coveredBy: DeskState | null;
  /** Callbacks this desk owes, oldest miss first. */
  readonly callbacks: Callback[];
  /** How many of them are overdue (the desk shows a reminder). */
  overdueCallbacks: number;
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
  readonly designated: boolean;
  /** Callbacks owed for this line's missed calls, oldest first. */
  readonly callbacks: Callback[];
  phase: LinePhase;
  /** When the line entered its phase; null until something happened on it. */
  since: number | null;
  call: Call | null;
  answeredBy: DeskState | null;
  /** The current silence deadline of the ringing call, matched against wake-queue entries. */
  missAt: number | null;
  readonly missTimer: Timer;
  /** When the current burst has lasted too long to be real (its ring-off was lost); null while no burst is on. */
  stuckAt: number | null;
  readonly stuckTimer: Timer;
  /** The call on this line is on hold since; null when not on hold. */
  heldSince: number | null;
  holdReminders: number;
  /** When the next hold reminder is due, and until when the current one sounds the buzzer. */
  holdReminderAt: number | null;
  holdChirpUntil: number | null;
  readonly holdTimer: Timer;
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

/** A missed call someone should return: owed by `desk`, overdue after `dueAt`. */
export interface Callback {
  readonly line: LineState;
  readonly missedAt: number;
  readonly desk: DeskState;
  readonly dueAt: number;
  overdue: boolean;
  open: boolean;
}

/** Something the core wants to be woken for; stale entries are recognised and skipped (see isLiveTimer). */
export type Timer =
  | { kind: 'miss'; line: LineState }
  | { kind: 'burst-stuck'; line: LineState }
  | { kind: 'hold-reminder'; line: LineState }
  | { kind: 'hold-chirp-end'; line: LineState }
  | { kind: 'schedule' };

export interface CoreState {
  readonly rules: CoreConfig['rules'];
  readonly timezone: string;
  readonly schedules: CoreConfig['schedules'];
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
  /** How many desks are present (kept by onPresence): what "everyone" at the widest level lights. */
  presentDesks: number;
  readonly timers: WakeQueue<Timer>;
  /** Callbacks not yet returned, oldest miss first. */
  readonly openCallbacks: Set<Callback>;
  /**
   * Open callbacks not yet overdue, in due order (a later miss is never due earlier), from `head`; returned ones
   * are skipped, and cleared out once they outnumber the rest. Not in `timers`: there they would stay until due.
   */
  readonly callbacksComingDue: { items: Callback[]; head: number; returned: number };
  readonly calendar: BusinessCalendar;
  /** Desks whose calls another desk takes. */
  readonly coveredDesks: Set<DeskState>;
  /** Fallback desks for designated lines (rules.designated). */
  readonly designatedDesks: readonly DeskState[];
  /** The next schedule boundary; null before the first event or without schedules. */
  nextScheduleAt: number | null;
  schedulesStarted: boolean;
  now: number;
  stepNumber: number;
  /** Inputs that made no sense in the line's state (a burst while off-hook, an on-hook while idle...). */
  ignoredEvents: number;
}

export function createCoreState(config: CoreConfig): CoreState {
  const desks = config.desks.map(
    ({ id, at }, number): DeskState => ({
      id,
      number,
      at,
      present: true,
      awayBySchedule: null,
      coveredBy: null,
      callbacks: [],
      overdueCallbacks: 0,
      offHook: false,
      assignedTo: null,
      talkingOn: null,
      lastAnsweredAt: -Infinity,
      nearbyClaims: 0,
      everyoneClaims: 0,
      shownCode: NONE_CODE,
      touchedInStep: -1,
    }),
  );
  const lines = config.lines.map(({ id, phones, cadence, designated }, number): LineState => {
    const line: LineState = {
      id,
      number,
      phones,
      timing: ringTiming(cadence),
      designated,
      callbacks: [],
      phase: 'idle',
      since: null,
      call: null,
      answeredBy: null,
      missAt: null,
      missTimer: null!,
      stuckAt: null,
      stuckTimer: null!,
      heldSince: null,
      holdReminders: 0,
      holdReminderAt: null,
      holdChirpUntil: null,
      holdTimer: null!,
      desksWithin: new Map(),
    };
    return Object.assign(line, { missTimer: { kind: 'miss', line }, stuckTimer: { kind: 'burst-stuck', line }, holdTimer: { kind: 'hold-reminder', line } });
  });
  const deskById = new Map(desks.map((d) => [d.id, d]));
  return {
    rules: config.rules,
    timezone: config.timezone,
    schedules: config.schedules,
    desks,
    deskById,
    lines,
    lineById: new Map(lines.map((l) => [l.id, l])),
    deskIndex: buildDeskIndex(config.desks.map((d) => d.at)),
    ringingCalls: new Set(),
    callsWithoutDesk: new Set(),
    callsLightingEveryone: 0,
    presentDesks: desks.length,
    timers: createWakeQueue(),
    openCallbacks: new Set(),
    callbacksComingDue: { items: [], head: 0, returned: 0 },
    calendar: new BusinessCalendar(config.rules.businessHours, config.timezone),
    coveredDesks: new Set(),
    designatedDesks: (config.rules.designated?.desks ?? []).map((id) => deskById.get(id)!),
    nextScheduleAt: null,
    schedulesStarted: false,
    now: -Infinity,
    stepNumber: 0,
    ignoredEvents: 0,
  };
}
