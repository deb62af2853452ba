import type { CoreState, DeskState } from './state.js';
import type { Decision, IgnoredBecause } from './types.js';

/** What one step has produced so far: decisions in time order, and the desks whose indication may change. */
export interface StepContext {
  readonly state: CoreState;
  /** The time of what is being handled: the event, or a timer that fell due before it. */
  t: number;
  readonly decisions: Decision[];
  readonly touched: DeskState[];
  touchedAll: boolean;
  /** Why the event itself was ignored, if it was. */
  ignored: IgnoredBecause | null;
}

/** The event does not apply: counted, and said in the step's result. */
export function ignore(ctx: StepContext, because: IgnoredBecause): void {
  ctx.state.ignoredEvents++;
  ctx.ignored ??= because;
}

export function touch(ctx: StepContext, desk: DeskState | null): void {
  if (!desk || desk.touchedInStep === ctx.state.stepNumber) return;
  desk.touchedInStep = ctx.state.stepNumber;
  ctx.touched.push(desk);
}
