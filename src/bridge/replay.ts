import { createCoreState, step, type CoreConfig, type CoreEvent, type StepResult } from './core/index.js';

export interface ReplayOptions {
  /** Also emit the per-desk `indicate` commands, merged in time order with the decisions. */
  indications?: boolean;
  /** Run the clock on to this time after the last event (default: one minute after it). */
  until?: number;
}

/** After the last event the clock runs on this long by default: enough for ringing calls to end as missed. */
export const REPLAY_TAIL_MS = 60_000;

/**
 * Runs the core over `events` in virtual time: the clock jumps from event to event, and the wake-ups the core
 * asks for (silence deadlines, hold reminders, callbacks falling due, schedules) are fed back as ticks in
 * between and after the last event, up to `until`. Some wake-ups repeat for ever (schedules), hence the end.
 */
export function* replay(config: CoreConfig, events: Iterable<CoreEvent>, options: ReplayOptions = {}) {
  const state = createCoreState(config);
  let wakeAt: number | null = null;
  const emit = function* (result: StepResult) {
    wakeAt = result.wakeAt;
    yield* result.decisions;
    if (options.indications) yield* result.commands;
  };
  let lastT = -Infinity;
  for (const event of events) {
    while (wakeAt !== null && wakeAt <= event.t) yield* emit(step(state, { t: wakeAt, type: 'tick' }));
    yield* emit(step(state, event));
    lastT = event.t;
  }
  const end = options.until ?? lastT + REPLAY_TAIL_MS;
  while (wakeAt !== null && wakeAt <= end) yield* emit(step(state, { t: wakeAt, type: 'tick' }));
  return state;
}
