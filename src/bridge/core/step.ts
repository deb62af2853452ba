import {
  miss, onBurstEnd, onBurstStart, onDeskOffHook, onDeskOnHook, onLineOffHook, onLineOnHook, onPresence,
} from './call-lifecycle.js';
import { changedIndications } from './indications.js';
import type { CoreState, LineState } from './state.js';
import type { StepContext } from './step-context.js';
import type { CoreEvent, HookEvent, StepResult } from './types.js';
import { peekWake, popDue } from './wake-queue.js';

const isLiveDeadline = (time: number, line: LineState) => line.missAt === time;

/**
 * Feeds one event to the core. The state is updated in place (the caller owns it and must not share it);
 * given the same config and events, the results are the same, byte for byte. Events must come in time order.
 * Calls whose silence ran out before `event.t` are closed first, so a late `tick` loses nothing.
 */
export function step(state: CoreState, event: CoreEvent): StepResult {
  if (event.t < state.now) throw new RangeError(`event at t=${event.t} is before the previous one (t=${state.now})`);
  state.now = event.t;
  state.stepNumber++;
  const ctx: StepContext = { state, t: event.t, decisions: [], touched: [], touchedAll: false };

  for (let due = popDue(state.missQueue, event.t, isLiveDeadline); due; due = popDue(state.missQueue, event.t, isLiveDeadline)) {
    if (due.key.call) miss(ctx, due.key.call, due.time);
  }
  apply(ctx, event);

  const commands = changedIndications(state, ctx.touchedAll ? state.desks : ctx.touched, event.t);
  return { decisions: ctx.decisions, commands, wakeAt: nextWakeAt(state) };
}

export function nextWakeAt(state: CoreState): number | null {
  return peekWake(state.missQueue, isLiveDeadline);
}

function apply(ctx: StepContext, event: CoreEvent): void {
  const { state } = ctx;
  switch (event.type) {
    case 'tick':
      return;
    case 'ring': {
      const line = state.lineById.get(event.line);
      if (!line) return void state.ignoredEvents++;
      return event.state === 'on' ? onBurstStart(ctx, line) : onBurstEnd(ctx, line);
    }
    case 'hook':
      return applyHook(ctx, event);
    case 'presence': {
      const desk = state.deskById.get(event.desk);
      if (!desk) return void state.ignoredEvents++;
      return onPresence(ctx, desk, event.state === 'present');
    }
  }
}

function applyHook(ctx: StepContext, event: HookEvent): void {
  const { state } = ctx;
  const line = event.line === undefined ? null : state.lineById.get(event.line) ?? null;
  const desk = event.desk === undefined ? null : state.deskById.get(event.desk) ?? null;
  if ((event.line !== undefined && !line) || (event.desk !== undefined && !desk) || (!line && !desk)) {
    return void state.ignoredEvents++;
  }
  if (desk) return event.state === 'off' ? onDeskOffHook(ctx, desk, line) : onDeskOnHook(ctx, desk);
  if (line) return event.state === 'off' ? onLineOffHook(ctx, line) : onLineOnHook(ctx, line);
}
