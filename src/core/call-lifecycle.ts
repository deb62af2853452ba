import { assignDesk, offerFreedDesks, reassign, unassign } from './assignment.js';
import { onOutgoingCall, oweCallback } from './callbacks.js';
import { releaseHold } from './hold.js';
import { escalateAtRing, withdrawAlerts } from './escalation.js';
import { burstEnded, burstStarted, firstBurst, missDeadline } from './ring-counter.js';
import type { Call, DeskState, LineState } from './state.js';
import { ignore, touch, type StepContext } from './step-context.js';
import { pushWake } from './wake-queue.js';

// idle → ringing(n) → answered (off-hook at the line's phone or a desk) → idle (on-hook), or
// ringing(n) → missed (silence past the cadence) → idle. 'in-use' is an outgoing call on the line.

export function onBurstStart(ctx: StepContext, line: LineState): void {
  line.missAt = null;
  const call = line.call;
  if (line.phase === 'idle') return startCall(ctx, line);
  if (line.phase !== 'ringing' || !call) return ignore(ctx, 'line-in-use');
  // A burst while one is on: the ring-off between them was lost. The old burst ends where the new one begins.
  if (call.progress.burstOn) burstEnded(call.progress, ctx.t);
  watchBurst(ctx, line);
  if (!burstStarted(call.progress, ctx.t, line.timing)) return;
  ctx.decisions.push({ t: ctx.t, type: 'ring', line: line.id, ring: call.progress.rings });
  escalateAtRing(ctx, call);
}

function startCall(ctx: StepContext, line: LineState): void {
  const call: Call = { line, progress: firstBurst(ctx.t), assigned: null, level: 1, buzzer: 'off', nearby: [], everyone: null };
  line.call = call;
  line.phase = 'ringing';
  line.since = ctx.t;
  ctx.state.ringingCalls.add(call);
  watchBurst(ctx, line);
  ctx.decisions.push({ t: ctx.t, type: 'ring', line: line.id, ring: 1 });
  assignDesk(ctx, call, 'first');
  escalateAtRing(ctx, call);
}

export function onBurstEnd(ctx: StepContext, line: LineState): void {
  const call = line.call;
  if (line.phase !== 'ringing' || !call || !call.progress.burstOn) return ignore(ctx, 'not-ringing');
  burstEnded(call.progress, ctx.t);
  line.stuckAt = null;
  line.missAt = missDeadline(call.progress, line.timing);
  if (line.missAt !== null) pushWake(ctx.state.timers, line.missAt, line.missTimer);
}

/** A burst that goes on longer than the cadence allows is cut off if its ring-off never comes. */
function watchBurst(ctx: StepContext, line: LineState): void {
  line.stuckAt = ctx.t + line.timing.stuckBurstMs;
  pushWake(ctx.state.timers, line.stuckAt, line.stuckTimer);
}

/**
 * The burst's ring-off was lost (a corrupted line, a sensor fault): said as a `ring-stuck` decision, and the burst
 * ends now, so the call rings on with the next burst or is missed after the usual silence — never rings forever.
 */
export function endStuckBurst(ctx: StepContext, line: LineState): void {
  const call = line.call;
  line.stuckAt = null;
  if (!call || !call.progress.burstOn) return;
  ctx.decisions.push({ t: ctx.t, type: 'ring-stuck', line: line.id, burstMs: ctx.t - call.progress.lastEdgeAt });
  onBurstEnd(ctx, line);
}

/** Off-hook at the line's own phone: answers a ringing call (by whom is unknown), or an outgoing call. */
export function onLineOffHook(ctx: StepContext, line: LineState): void {
  if (line.phase === 'ringing' && line.call) return answer(ctx, line.call, null);
  if (line.phase !== 'idle') return ignore(ctx, 'line-in-use');
  dialOut(ctx, line, null);
}

/** An outgoing call on an idle line, from `desk` if known; it returns the line's oldest callback owed. */
function dialOut(ctx: StepContext, line: LineState, desk: DeskState | null): void {
  line.phase = 'in-use';
  line.since = ctx.t;
  line.answeredBy = desk;
  if (desk) desk.talkingOn = line;
  ctx.decisions.push({ t: ctx.t, type: 'outgoing', line: line.id, ...(desk ? { desk: desk.id } : {}) });
  onOutgoingCall(ctx, line, desk);
}

export function onLineOnHook(ctx: StepContext, line: LineState): void {
  if (line.phase === 'answered' || line.phase === 'in-use') return endCall(ctx, line);
  ignore(ctx, 'no-call');
}

/**
 * Off-hook at a desk. It answers `requested` if given, else the call this desk was asked to answer, else the
 * oldest ringing call that lights this desk; with none of those it is the desk's own outgoing call (on
 * `requested` when that line is idle).
 */
export function onDeskOffHook(ctx: StepContext, desk: DeskState, requested: LineState | null): void {
  if (desk.offHook) return ignore(ctx, 'already-off-hook');
  desk.offHook = true;
  touch(ctx, desk);
  const call = requested ? requested.call : callLightingDesk(ctx, desk);
  const previouslyAssigned = desk.assignedTo;
  if (call && call.line.phase === 'ringing') answer(ctx, call, desk);
  else if (requested?.phase === 'idle') dialOut(ctx, requested, desk);
  else if (!requested && !call) onOutgoingCall(ctx, null, desk);
  if (previouslyAssigned && previouslyAssigned !== call && ctx.state.ringingCalls.has(previouslyAssigned)) {
    reassign(ctx, previouslyAssigned);
  }
}

export function callLightingDesk(ctx: StepContext, desk: DeskState): Call | null {
  if (desk.assignedTo) return desk.assignedTo;
  for (const call of ctx.state.ringingCalls) {
    if (call.everyone === 'all' || call.nearby.includes(desk) || call.everyone?.includes(desk)) return call;
  }
  return null;
}

export function onDeskOnHook(ctx: StepContext, desk: DeskState): void {
  if (!desk.offHook) return ignore(ctx, 'already-on-hook');
  desk.offHook = false;
  touch(ctx, desk);
  if (desk.talkingOn) endCall(ctx, desk.talkingOn);
  offerFreedDesks(ctx);
}

export function onPresence(ctx: StepContext, desk: DeskState, present: boolean): void {
  desk.awayBySchedule = null;
  if (desk.present === present) return;
  desk.present = present;
  ctx.state.presentDesks += present ? 1 : -1;
  touch(ctx, desk);
  if (present) return offerFreedDesks(ctx);
  if (desk.assignedTo) reassign(ctx, desk.assignedTo);
}

function answer(ctx: StepContext, call: Call, desk: DeskState | null): void {
  const { line, progress } = call;
  const rings = progress.rings;
  ctx.decisions.push({
    t: ctx.t,
    type: 'answered',
    line: line.id,
    rings,
    waitMs: ctx.t - progress.firstBurstAt,
    onTime: rings < ctx.state.rules.answerBy,
    ...(desk ? { desk: desk.id } : {}),
  });
  finishRinging(ctx, call);
  line.phase = 'answered';
  line.answeredBy = desk;
  if (desk) {
    desk.talkingOn = line;
    desk.lastAnsweredAt = ctx.t;
  }
}

/** The caller gave up: no burst for longer than the cadence allows. `at` is when the silence ran out. */
export function miss(ctx: StepContext, call: Call, at: number): void {
  const { progress } = call;
  ctx.decisions.push({
    t: at,
    type: 'missed',
    line: call.line.id,
    rings: progress.rings,
    waitMs: progress.lastEdgeAt - progress.firstBurstAt,
    ...(call.assigned ? { desk: call.assigned.id } : {}),
  });
  oweCallback(ctx, call, at);
  finishRinging(ctx, call);
  call.line.phase = 'idle';
  call.line.since = at;
}

function finishRinging(ctx: StepContext, call: Call): void {
  const { state } = ctx;
  const freedDesk = call.assigned;
  unassign(ctx, call);
  withdrawAlerts(ctx, call);
  state.ringingCalls.delete(call);
  state.callsWithoutDesk.delete(call);
  call.line.call = null;
  call.line.missAt = null;
  call.line.stuckAt = null;
  call.line.since = ctx.t;
  if (freedDesk) offerFreedDesks(ctx);
}

function endCall(ctx: StepContext, line: LineState): void {
  releaseHold(ctx, line);
  ctx.decisions.push({ t: ctx.t, type: 'ended', line: line.id, durationMs: ctx.t - (line.since ?? ctx.t) });
  if (line.answeredBy) line.answeredBy.talkingOn = null;
  line.answeredBy = null;
  line.phase = 'idle';
  line.since = ctx.t;
}
