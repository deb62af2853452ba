import { createCoreState, step, type CoreConfig, type CoreEvent, type CoreState, type StepResult } from '../core/index.js';

/** Where the shell gets time from: wall-clock ms in the bridge, scaled or virtual time in the simulator. */
export interface Clock {
  now(): number;
  /** Calls `wake` at (or soon after) `at`; returns a function that cancels it. */
  wakeAt(at: number, wake: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  wakeAt(at, wake) {
    const timer = setTimeout(wake, Math.max(0, at - Date.now()));
    return () => clearTimeout(timer);
  },
};

export type EventWithoutTime = CoreEvent extends infer E ? (E extends CoreEvent ? Omit<E, 't'> : never) : never;

/**
 * The rules core in real time: stamps each event with the clock, and keeps one timer for the wake-up the core
 * last asked for, feeding it back as a `tick`. Every result goes to `onResult` with the event that made it, in order.
 */
export class CoreRunner {
  readonly state: CoreState;
  private cancelWake: (() => void) | null = null;

  constructor(
    config: CoreConfig,
    private readonly clock: Clock,
    private readonly onResult: (result: StepResult, event: CoreEvent) => void,
  ) {
    this.state = createCoreState(config);
  }

  /** `at` is when it happened, if the device knows better than the arrival time (e.g. a sensor's edge time). */
  feed(event: EventWithoutTime, at = this.clock.now()): StepResult {
    // Never let time run backwards into the core, even if the clock does (NTP steps) or a device lags.
    const t = Math.max(at, this.state.now);
    return this.apply({ ...event, t } as CoreEvent);
  }

  stop(): void {
    this.cancelWake?.();
    this.cancelWake = null;
  }

  private apply(event: CoreEvent): StepResult {
    const result = step(this.state, event);
    this.onResult(result, event);
    this.cancelWake?.();
    this.cancelWake = null;
    if (result.wakeAt !== null) {
      const at = result.wakeAt;
      this.cancelWake = this.clock.wakeAt(at, () => {
        this.cancelWake = null;
        this.apply({ t: Math.max(at, this.state.now), type: 'tick' });
      });
    }
    return result;
  }
}
