import { createCoreState, step, type Command, type CoreConfig, type CoreEvent, type CoreState, type Decision } from '../core/index.js';

export interface ReplayOptions {
  /** Also emit the per-desk `indicate` commands, merged in time order with the decisions. */
  indications?: boolean;
  /** Run the clock on to this time after the last event (default: one minute after it). */
  until?: number;
}

/** After the last event the clock runs on this long by default: enough for ringing calls to end as missed. */
export const REPLAY_TAIL_MS = 60_000;

export type ReplayItem = Decision | Command;

/**
 * The core in virtual time, fed one event at a time (a stream): before each event the wake-ups the core asked for
 * up to the event's time (silence deadlines, hold reminders, callbacks falling due, schedules) are run as ticks;
 * what the core decides goes to `emit` in time order. Events must come in time order (the events file reader
 * checks it).
 */
export class Replayer {
  readonly state: CoreState;
  /** Time of the last event fed (-Infinity before the first). */
  lastT = -Infinity;
  private wakeAt: number | null = null;

  constructor(
    config: CoreConfig,
    private readonly emit: (item: ReplayItem) => void,
    private readonly indications = false,
  ) {
    this.state = createCoreState(config);
  }

  feed(event: CoreEvent): void {
    while (this.wakeAt !== null && this.wakeAt <= event.t) this.run({ t: this.wakeAt, type: 'tick' });
    this.run(event);
    this.lastT = event.t;
  }

  /**
   * Runs the next wake-up due by `end`, if any: after the last event, call until it returns false. Some wake-ups
   * repeat for ever (schedules, a caller left on hold), hence the end.
   */
  tickUntil(end: number): boolean {
    if (this.wakeAt === null || this.wakeAt > end) return false;
    this.run({ t: this.wakeAt, type: 'tick' });
    return true;
  }

  /** Where the clock stops after the last event: `until`, else REPLAY_TAIL_MS after the last event. */
  endOfRun(until?: number): number {
    return until ?? this.lastT + REPLAY_TAIL_MS;
  }

  private run(event: CoreEvent): void {
    const result = step(this.state, event);
    this.wakeAt = result.wakeAt;
    const emit = this.emit;
    for (const decision of result.decisions) emit(decision);
    if (this.indications) for (const command of result.commands) emit(command);
  }
}

/**
 * Runs the core over `events` in virtual time: the clock jumps from event to event, and the wake-ups the core
 * asks for are fed back as ticks in between and after the last event, up to `until` (see Replayer).
 */
export function* replay(config: CoreConfig, events: Iterable<CoreEvent>, options: ReplayOptions = {}): Generator<ReplayItem, CoreState> {
  const out: ReplayItem[] = [];
  const replayer = new Replayer(config, (item) => out.push(item), options.indications === true);
  for (const event of events) {
    replayer.feed(event);
    yield* out;
    out.length = 0;
  }
  const end = replayer.endOfRun(options.until);
  while (replayer.tickUntil(end)) {
    yield* out;
    out.length = 0;
  }
  return replayer.state;
}
