import { isAvailable } from './assignment.js';
import { kNearest, withinRadius } from './desk-index.js';
import type { Call, DeskState, EscalationStep, LineState } from './state.js';
import { touch, type StepContext } from './step-context.js';

/** Ring 2: the assigned desk's buzzer and the next two nearest desks' LEDs; ring `answerBy`: every present desk. */
export function defaultEscalation(answerBy: number): EscalationStep[] {
  const everyone: EscalationStep = { atRing: answerBy, buzzer: 'ring', nearest: 0, everyone: true, withinMetres: null };
  if (answerBy <= 2) return [everyone];
  return [{ atRing: 2, buzzer: 'chirp', nearest: 2, everyone: false, withinMetres: null }, everyone];
}

/** Widens the call for every step that starts at its current ring. */
export function escalateAtRing(ctx: StepContext, call: Call): void {
  ctx.state.rules.escalation.forEach((step, i) => {
    if (step.atRing === call.progress.rings) widen(ctx, call, step, i + 2);
  });
  const designated = ctx.state.rules.designated;
  if (call.line.designated && designated?.atRing === call.progress.rings) escalateBeyondFloor(ctx, call);
}

/**
 * A designated line is always answered: when the floor has let it ring to `rules.designated.atRing`, the
 * fallback desks (a back office, a manager) are lit too, and the log carries an alert.
 */
function escalateBeyondFloor(ctx: StepContext, call: Call): void {
  const lit = new Set<DeskState>([...call.nearby, ...(call.assigned ? [call.assigned] : [])]);
  const fallback = ctx.state.designatedDesks.filter((desk) => desk.present && desk.coveredBy === null);
  for (const desk of fallback) {
    if (lit.has(desk)) continue;
    call.nearby.push(desk);
    desk.nearbyClaims++;
    touch(ctx, desk);
  }
  call.level++;
  const desks = fallback.map((d) => d.id);
  ctx.decisions.push({ t: ctx.t, type: 'escalate', line: call.line.id, level: call.level, desks });
  ctx.decisions.push({ t: ctx.t, type: 'alert', line: call.line.id, reason: 'designated-unanswered', ring: call.progress.rings, desks });
}

function widen(ctx: StepContext, call: Call, step: EscalationStep, level: number): void {
  const { state } = ctx;
  call.level = level;
  if (step.buzzer !== 'off') {
    call.buzzer = step.buzzer;
    touch(ctx, call.assigned);
  }
  if (step.nearest > 0) {
    const alreadyLit = new Set<DeskState>(call.nearby);
    const next = kNearest(state.deskIndex, call.line.phones, (n) => {
      const desk = state.desks[n]!;
      return isAvailable(desk) && !alreadyLit.has(desk);
    }, step.nearest);
    for (const { desk: number } of next) {
      const desk = state.desks[number]!;
      call.nearby.push(desk);
      desk.nearbyClaims++;
      touch(ctx, desk);
    }
  }
  if (step.everyone && call.everyone === null) lightEveryone(ctx, call, step.withinMetres);
  const named = [...(call.assigned ? [call.assigned.id] : []), ...call.nearby.map((d) => d.id)];
  if (!step.everyone) return void ctx.decisions.push({ t: ctx.t, type: 'escalate', line: call.line.id, level, desks: named });
  const everyone = call.everyone === 'all' ? state.presentDesks : (call.everyone?.length ?? 0);
  ctx.decisions.push({ t: ctx.t, type: 'escalate', line: call.line.id, level, desks: named, everyone: { desks: everyone, withinMetres: step.withinMetres } });
}


function lightEveryone(ctx: StepContext, call: Call, withinMetres: number | null): void {
  const { state } = ctx;
  if (withinMetres === null) {
    call.everyone = 'all';
    if (state.callsLightingEveryone++ === 0) ctx.touchedAll = true;
    return;
  }
  call.everyone = desksWithin(ctx, call.line, withinMetres).filter((desk) => desk.present);
  for (const desk of call.everyone) {
    desk.everyoneClaims++;
    touch(ctx, desk);
  }
}

/** Desks and phones never move, so each line's neighbourhood is worked out once, nearest first. */
function desksWithin({ state }: StepContext, line: LineState, metres: number): readonly DeskState[] {
  let desks = line.desksWithin.get(metres);
  if (!desks) {
    desks = withinRadius(state.deskIndex, line.phones, () => true, metres).map(({ desk }) => state.desks[desk]!);
    line.desksWithin.set(metres, desks);
  }
  return desks;
}

/** The call is over: take back every LED it lit. */
export function withdrawAlerts(ctx: StepContext, call: Call): void {
  for (const desk of call.nearby) {
    desk.nearbyClaims--;
    touch(ctx, desk);
  }
  call.nearby = [];
  if (call.everyone === 'all') {
    if (--ctx.state.callsLightingEveryone === 0) ctx.touchedAll = true;
  } else if (call.everyone) {
    for (const desk of call.everyone) {
      desk.everyoneClaims--;
      touch(ctx, desk);
    }
  }
  call.everyone = null;
}
