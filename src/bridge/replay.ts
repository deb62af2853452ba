import { createCoreState, step, type CoreConfig, type CoreEvent, type StepResult } from './core/index.js';

export interface ReplayOptions {
  /** Also emit the per-desk `indicate` commands, merged in time order with the decisions. */
  indications?: boolean;
}

/**
 * Runs the core over `events` in virtual time: the clock jumps from event to event, and the wake-ups the core
 * asks for (silence deadlines) are fed back as ticks in between and after the last event.
 */
export function* replay(config: CoreConfig, events: Iterable<CoreEvent>, options: ReplayOptions = {}) {
  const state = createCoreState(config);
  let wakeAt: number | null = null;
  const emit = function* (result: StepResult) {
    wakeAt = result.wakeAt;
    yield* result.decisions;
    if (options.indications) yield* result.commands;
  };
  for (const event of events) {
    while (wakeAt !== null && wakeAt <= event.t) yield* emit(step(state, { t: wakeAt, type: 'tick' }));
    yield* emit(step(state, event));
  }
  while (wakeAt !== null) yield* emit(step(state, { t: wakeAt, type: 'tick' }));
  return state;
}
