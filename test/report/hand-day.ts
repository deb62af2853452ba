import { DateTime } from 'luxon';
import { join } from 'node:path';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../../src/bridge/store/ring-log-store.js';

export const ZONE = 'Europe/Amsterdam';
export const SITE = 'branch-01';
/** Local wall-clock time in ZONE → epoch ms. */
export const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toMillis();

const DAY = '2026-03-02'; // a Monday, CET (UTC+1)
const local = (time: string) => at(`${DAY}T${time}`);

/**
 * One hand-made day at branch-01, lines front and back, desks d1–d3. The report for 2026-03-02 (local) must give
 * exactly the numbers worked out in report-numbers.test.ts. Calls count by their answer / miss time.
 *
 *  #  time      line   outcome             rings  wait  desk
 *  1  09:10:04  front  answered on time    1      4 s   d1
 *  2  09:40:08  front  answered on time    2      8 s   d2
 *  3  09:55:30  back   missed              6     30 s   d1 (should have answered) → callback A, closed 11:00
 *  4  10:05:12  back   answered late       3     12 s   d3
 *  5  10:30:06  front  answered on time    2      6 s   d1
 *  6  11:15:20  front  missed              5     20 s   —  → callback B (desk d2), due tomorrow: open, not overdue
 *  7  12:20:16  back   answered late       4     16 s   d2
 *  8  12:45:10  front  answered late       3     10 s   d1
 *  9  14:02:02  back   answered on time    1      2 s   d3
 * 10  16:30:25  back   missed              5     25 s   d3 → callback C, due 17:30 today: open and overdue
 * Outside the day: a call at 23:50 the day before, a callback D opened then (still open), a call at 00:00 the next day.
 */
export function handDay(): object[] {
  const answered = (time: string, line: string, rings: number, waitS: number, onTime: boolean, desk: string) =>
    [
      { t: local(time) - waitS * 1000, type: 'ring', line, ring: 1 },
      { t: local(time) - waitS * 1000 + 50, type: 'assign', line, desk, reason: 'first' },
      { t: local(time), type: 'answered', line, rings, waitMs: waitS * 1000, onTime, desk },
      { t: local(time) + 95_000, type: 'ended', line, durationMs: 95_000 },
    ];
  const missed = (time: string, line: string, rings: number, waitS: number, desk?: string) => [
    { t: local(time) - waitS * 1000, type: 'ring', line, ring: 1 },
    { t: local(time), type: 'missed', line, rings, waitMs: waitS * 1000, ...(desk ? { desk } : {}) },
  ];
  const callbackA = { line: 'back', missedAt: local('09:55:30'), desk: 'd1', dueAt: at('2026-03-03T09:55:30') };
  const callbackB = { line: 'front', missedAt: local('11:15:20'), desk: 'd2', dueAt: at('2026-03-03T11:15:20') };
  const callbackC = { line: 'back', missedAt: local('16:30:25'), desk: 'd3', dueAt: local('17:30:00') };
  const callbackD = { line: 'front', missedAt: at('2026-03-01T23:50:00'), desk: 'd1', dueAt: at('2026-03-02T17:30:00') };
  return [
    ...missed('23:50:00', 'front', 5, 20, 'd1').map((d) => ({ ...d, t: d.t - 86_400_000 })),
    { t: callbackD.missedAt, type: 'callback-owed', ...callbackD },
    { type: 'device', family: 'ring-sensor', device: '/dev/ttyACM0', state: 'connected', ts: new Date(local('08:00:00')).toISOString() },
    ...answered('09:10:04', 'front', 1, 4, true, 'd1'),
    ...answered('09:40:08', 'front', 2, 8, true, 'd2'),
    ...missed('09:55:30', 'back', 6, 30, 'd1'),
    { t: callbackA.missedAt, type: 'callback-owed', ...callbackA },
    ...answered('10:05:12', 'back', 3, 12, false, 'd3'),
    ...answered('10:30:06', 'front', 2, 6, true, 'd1'),
    { t: local('11:00:00'), type: 'callback-closed', ...callbackA, by: 'outgoing', overdue: false },
    ...missed('11:15:20', 'front', 5, 20),
    { t: callbackB.missedAt, type: 'callback-owed', ...callbackB },
    ...answered('12:20:16', 'back', 4, 16, false, 'd2'),
    ...answered('12:45:10', 'front', 3, 10, false, 'd1'),
    { t: local('13:00:00'), type: 'desk-action', desk: 'd2', action: 'ack', line: 'front' },
    ...answered('14:02:02', 'back', 1, 2, true, 'd3'),
    ...missed('16:30:25', 'back', 5, 25, 'd3'),
    { t: callbackC.missedAt, type: 'callback-owed', ...callbackC },
    { t: callbackC.dueAt, type: 'callback-overdue', ...callbackC },
    ...answered('00:00:00', 'front', 1, 3, true, 'd1').map((d) => ({ ...d, t: d.t + 86_400_000 })),
  ];
}

/**
 * The day as the bridge would publish it (ts, site, stream, seq), parsed as the recorder stores it; `shiftMs` moves
 * every time in it (a site in another zone at the same local times: New York is 6 h after Amsterdam that day).
 */
export function handDayEntries(site = SITE, stream = 'hand', shiftMs = 0): StoredEntry[] {
  const shift = (value: unknown) => (typeof value === 'number' ? value + shiftMs : value);
  return handDay().map((decision, i) => {
    const d = decision as Record<string, unknown>;
    const moved = { ...d, t: shift(d.t), missedAt: shift(d.missedAt), dueAt: shift(d.dueAt) };
    const ts = typeof d.ts === 'string' ? new Date(Date.parse(d.ts) + shiftMs).toISOString() : new Date(moved.t as number).toISOString();
    const parsed = parseLogPayload(JSON.stringify({ ...moved, ts, site, stream, seq: i + 1 }));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  });
}

/** Writes the day into a new ring log at dir/ring-log.sqlite. */
export function writeHandDay(dir: string): string {
  const path = join(dir, 'ring-log.sqlite');
  const store = new RingLogStore(path);
  store.ingest(handDayEntries());
  store.close();
  return path;
}
