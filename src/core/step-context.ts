import type { CoreState, DeskState } from './state.js';
import type { Decision } from './types.js';

/** What one step has produced so far: decisions in time order, and the desks whose indication may change. */
export interface StepContext {
  readonly state: CoreState;
  /** The time of what is being handled: the event, or a timer that fell due before it. */
  t: number;
  readonly decisions: Decision[];
  readonly touched: DeskState[];
  touchedAll: boolean;
}

export function touch(ctx: StepContext, desk: DeskState | null): void {
  if (!desk || desk.touchedInStep === ctx.state.stepNumber) return;
  desk.touchedInStep = ctx.state.stepNumber;
  ctx.touched.push(desk);
}
