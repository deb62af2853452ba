import { nearestWithTies, type Candidate } from './desk-index.js';
import type { Call, CoreState, DeskState } from './state.js';
import { touch, type StepContext } from './step-context.js';
import type { AssignReason } from './types.js';

/** Someone is at the desk, not on a call, not covered by another desk, and not already asked to answer. */
export function isAvailable(desk: DeskState): boolean {
  return desk.present && !desk.offHook && desk.assignedTo === null && desk.coveredBy === null;
}

/**
 * The nearest available desk to the line's phone. Desks within `tieMetres` of the nearest count as equally
 * near; among them the one that answered least recently takes it (then the nearer, then config order).
 */
export function nearestAvailableDesk(state: CoreState, call: Call): DeskState | null {
  const { desks, deskIndex, rules } = state;
  let candidates = nearestWithTies(deskIndex, call.line.phones, (n) => isAvailable(desks[n]!), rules.tieMetres);
  if (state.coveredDesks.size > 0) candidates = withCoverCandidates(state, call, candidates);
  let best: { desk: DeskState; distance: number } | null = null;
  for (const { desk: number, distance } of candidates) {
    const desk = desks[number]!;
    if (
      best === null ||
      desk.lastAnsweredAt < best.desk.lastAnsweredAt ||
      (desk.lastAnsweredAt === best.desk.lastAnsweredAt &&
        (distance < best.distance || (distance === best.distance && desk.number < best.desk.number)))
    ) {
      best = { desk, distance };
    }
  }
  return best?.desk ?? null;
}

/** A desk covering another stands at both places: the covered desk's distance counts for the cover too. */
function withCoverCandidates(state: CoreState, call: Call, candidates: Candidate[]): Candidate[] {
  const all = [...candidates];
  for (const covered of state.coveredDesks) {
    const cover = covered.coveredBy!;
    if (!isAvailable(cover)) continue;
    const distance = Math.min(...call.line.phones.map(([x, y]) => Math.hypot(x - covered.at[0], y - covered.at[1])));
    all.push({ desk: cover.number, distance });
  }
  if (all.length === 0) return all;
  const bound = Math.min(...all.map((c) => c.distance)) + state.rules.tieMetres;
  return all.filter((c) => c.distance <= bound);
}

/** Gives the call the nearest available desk, or records that it has none. */
export function assignDesk(ctx: StepContext, call: Call, reason: AssignReason): void {
  const desk = nearestAvailableDesk(ctx.state, call);
  if (desk === null) {
    if (!ctx.state.callsWithoutDesk.has(call)) {
      ctx.state.callsWithoutDesk.add(call);
      ctx.decisions.push({ t: ctx.t, type: 'unassigned', line: call.line.id });
    }
    return;
  }
  ctx.state.callsWithoutDesk.delete(call);
  call.assigned = desk;
  desk.assignedTo = call;
  touch(ctx, desk);
  ctx.decisions.push({ t: ctx.t, type: 'assign', line: call.line.id, desk: desk.id, reason });
}

/** The assigned desk can no longer answer (left, or took another call): hand the call to the next nearest. */
export function reassign(ctx: StepContext, call: Call): void {
  unassign(ctx, call);
  assignDesk(ctx, call, 'reassigned');
}

export function unassign(ctx: StepContext, call: Call): void {
  const desk = call.assigned;
  if (!desk) return;
  desk.assignedTo = null;
  call.assigned = null;
  touch(ctx, desk);
}

/** A desk became available: calls waiting for one, oldest first, get the nearest desk now free. */
export function offerFreedDesks(ctx: StepContext): void {
  for (const call of [...ctx.state.callsWithoutDesk]) assignDesk(ctx, call, 'freed');
}
