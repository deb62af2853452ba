import { kNearest } from './desk-index.js';
import type { Call, Callback, CoreState, DeskState, LineState } from './state.js';
import { touch, type StepContext } from './step-context.js';

// Every missed call is owed a callback within one business day. The desk that should have answered owes it
// (with none assigned, the desk nearest the phone). An outgoing call on the line or an ack at the desk returns
// it, oldest first; past its due time the desk shows a reminder until then.

export function oweCallback(ctx: StepContext, call: Call, missedAt: number): void {
  const { state } = ctx;
  const desk = call.assigned ?? nearestDesk(ctx, call.line);
  if (!desk) return;
  const dueAt = state.calendar.dueAfterOneBusinessDay(missedAt);
  const callback: Callback = { line: call.line, missedAt, desk, dueAt, overdue: false, open: true };
  state.openCallbacks.add(callback);
  call.line.callbacks.push(callback);
  desk.callbacks.push(callback);
  state.callbacksComingDue.items.push(callback);
  ctx.decisions.push({ t: ctx.t, type: 'callback-owed', line: call.line.id, missedAt, desk: desk.id, dueAt });
}

function nearestDesk({ state }: StepContext, line: LineState): DeskState | null {
  const [nearest] = kNearest(state.deskIndex, line.phones, () => true, 1);
  return nearest ? state.desks[nearest.desk]! : null;
}

const MIN_RETURNED_TO_CLEAR = 1024;

/** The next callback to fall due, or null. */
export function nextCallbackDue(state: CoreState): Callback | null {
  const coming = state.callbacksComingDue;
  while (coming.head < coming.items.length && !coming.items[coming.head]!.open) {
    coming.head++;
    coming.returned--;
  }
  if (coming.head >= MIN_RETURNED_TO_CLEAR && coming.head * 2 >= coming.items.length) {
    coming.items = coming.items.slice(coming.head);
    coming.head = 0;
  }
  return coming.items[coming.head] ?? null;
}

export function callbackFellDue(ctx: StepContext, callback: Callback): void {
  ctx.state.callbacksComingDue.head++;
  callback.overdue = true;
  callback.desk.overdueCallbacks++;
  touch(ctx, callback.desk);
  const { line, missedAt, desk, dueAt } = callback;
  ctx.decisions.push({ t: ctx.t, type: 'callback-overdue', line: line.id, missedAt, desk: desk.id, dueAt });
}


/** Someone dialled out: on `line` if known, else from `desk`. Returns the oldest callback it answers. */
export function onOutgoingCall(ctx: StepContext, line: LineState | null, desk: DeskState | null): void {
  const callback = line ? line.callbacks[0] : desk?.callbacks[0];
  if (callback) closeCallback(ctx, callback, 'outgoing', desk);
}

/** An ack at a desk with no call ringing for it: the desk's oldest callback (or the line's) is done. */
export function onCallbackAck(ctx: StepContext, desk: DeskState, line: LineState | null): boolean {
  const callback = line ? line.callbacks[0] : desk.callbacks[0];
  if (!callback) return false;
  closeCallback(ctx, callback, 'ack', desk);
  return true;
}

function closeCallback(ctx: StepContext, callback: Callback, by: 'outgoing' | 'ack', closer: DeskState | null): void {
  ctx.state.openCallbacks.delete(callback);
  remove(callback.line.callbacks, callback);
  remove(callback.desk.callbacks, callback);
  callback.open = false;
  if (callback.overdue) {
    callback.desk.overdueCallbacks--;
    touch(ctx, callback.desk);
  } else {
    forgetReturned(ctx.state);
  }
  ctx.decisions.push({
    t: ctx.t,
    type: 'callback-closed',
    line: callback.line.id,
    missedAt: callback.missedAt,
    desk: (closer ?? callback.desk).id,
    by,
    overdue: callback.overdue,
  });
}

/**
 * A returned callback waits in callbacksComingDue to be skipped; once most are such, they are cleared out
 * (those that reach the head are dropped there, see nextCallbackDue).
 */
function forgetReturned(state: CoreState): void {
  const coming = state.callbacksComingDue;
  if (++coming.returned < MIN_RETURNED_TO_CLEAR || coming.returned * 2 < coming.items.length - coming.head) return;
  coming.items = coming.items.slice(coming.head).filter((c) => c.open);
  coming.head = 0;
  coming.returned = 0;
}


/** Callbacks close nearly always oldest first, so this is usually the first element. */
function remove(list: Callback[], callback: Callback): void {
  list.splice(list.indexOf(callback), 1);
}
