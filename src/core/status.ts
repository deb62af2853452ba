import { indicationOf } from './indications.js';
import type { CoreState } from './state.js';

/** The retained `line/<id>` state: what the line is doing, since when, and who should (or did) answer. */
export function lineStatus(state: CoreState, lineId: string) {
  const line = state.lineById.get(lineId);
  if (!line) throw new RangeError(`unknown line "${lineId}"`);
  const desk = line.call?.assigned ?? line.answeredBy;
  return {
    state: line.phase,
    ring: line.call?.progress.rings ?? 0,
    since: line.since,
    desk: desk?.id ?? null,
    heldSince: line.heldSince,
    callbacksOwed: line.callbacks.length,
  };
}

/** The retained `desk/<id>` state. */
export function deskStatus(state: CoreState, deskId: string) {
  const desk = state.deskById.get(deskId);
  if (!desk) throw new RangeError(`unknown desk "${deskId}"`);
  const { alert, line, led, buzzer } = indicationOf(desk, state);
  return {
    presence: desk.present ? 'present' : 'away',
    busy: desk.offHook,
    /** What the desk is asked to do (yours, hold, nearby, everyone, callback, none), and for which line. */
    alert,
    alertLine: line,
    led,
    buzzer,
    coveredBy: desk.coveredBy?.id ?? null,
    /** The schedule (lunch cover) that sent the desk away, while it is away by schedule. */
    awayBySchedule: desk.awayBySchedule,
    callbacksOwed: desk.callbacks.length,
    callbacksOverdue: desk.overdueCallbacks,
  };
}

/** The callbacks still owed, oldest miss first (bridge/request/status, the floor page). */
export function openCallbacks(state: CoreState) {
  return [...state.openCallbacks].map(({ line, missedAt, desk, dueAt, overdue }) => ({ line: line.id, missedAt, desk: desk.id, dueAt, overdue }));
}
