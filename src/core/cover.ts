import { offerFreedDesks, reassign } from './assignment.js';
import { onPresence } from './call-lifecycle.js';
import { nextScheduleChange, scheduledAway } from './schedule-clock.js';
import type { DeskState } from './state.js';
import type { IgnoredBecause } from './types.js';
import { touch, type StepContext } from './step-context.js';
import { pushWake } from './wake-queue.js';

// Cover: one desk takes another's calls (the covered desk is not asked; its calls go to the cover as if the
// cover sat there too), and lunch schedules that send desks away and bring them back by time of day.

/** Null when it took effect, else why not (no chains of cover: a covered desk covers nobody). */
export function onTakeover(ctx: StepContext, desk: DeskState, from: DeskState, on: boolean): IgnoredBecause | null {
  if (desk === from) return 'own-desk';
  if (!on) {
    if (from.coveredBy !== desk) return 'not-covering';
    endCover(ctx, from);
    offerFreedDesks(ctx);
    return null;
  }
  if (from.coveredBy === desk) return 'unchanged';
  if (desk.coveredBy !== null) return 'cover-is-covered';
  if (from.coveredBy) endCover(ctx, from);
  from.coveredBy = desk;
  ctx.state.coveredDesks.add(from);
  touch(ctx, from);
  ctx.decisions.push({ t: ctx.t, type: 'takeover', desk: desk.id, from: from.id, state: 'on' });
  // Desks that `from` covered go back to being answered by their own people (no chains of cover).
  for (const covered of [...ctx.state.coveredDesks]) if (covered.coveredBy === from) endCover(ctx, covered);
  if (from.assignedTo) reassign(ctx, from.assignedTo);
  return null;
}

function endCover(ctx: StepContext, covered: DeskState): void {
  const cover = covered.coveredBy!;
  covered.coveredBy = null;
  ctx.state.coveredDesks.delete(covered);
  touch(ctx, covered);
  ctx.decisions.push({ t: ctx.t, type: 'takeover', desk: cover.id, from: covered.id, state: 'off' });
}

/** At the first event and at every schedule boundary: send desks away, and bring back those a schedule sent. */
export function applySchedules(ctx: StepContext): void {
  const { state } = ctx;
  const away = scheduledAway(state.schedules, ctx.t, state.timezone);
  for (const desk of state.desks) {
    const schedule = away.get(desk.id);
    if (schedule !== undefined && desk.present) {
      ctx.decisions.push({ t: ctx.t, type: 'schedule', desk: desk.id, state: 'away', schedule });
      onPresence(ctx, desk, false);
      desk.awayBySchedule = schedule;
    } else if (schedule === undefined && desk.awayBySchedule !== null) {
      ctx.decisions.push({ t: ctx.t, type: 'schedule', desk: desk.id, state: 'present', schedule: desk.awayBySchedule });
      onPresence(ctx, desk, true);
    }
  }
  state.nextScheduleAt = nextScheduleChange(state.schedules, ctx.t, state.timezone);
  if (state.nextScheduleAt !== null) pushWake(state.timers, state.nextScheduleAt, { kind: 'schedule' });
}
