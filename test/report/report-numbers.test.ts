import { afterAll, describe, expect, it } from 'vitest';
import { RingLogReader } from '../../src/bridge/store/ring-log-reader.js';
import { buildReport, type GroupBy } from '../../src/bridge/report/report.js';
import { formatReport } from '../../src/bridge/report/report-format.js';
import { at, SITE, writeHandDay, ZONE } from './hand-day.js';
import { tempDir } from '../helpers.js';

// The hand-made day of hand-day.ts, worked out by hand. Period: 2026-03-02 00:00 to 2026-03-03 00:00, Amsterdam.
// Calls 1–10 are in; the call the day before and the one at exactly 00:00 the next day are out.
//
// total: 10 calls; answered 7 (#1 2 4 5 7 8 9), on time 4 (#1 2 5 9), late 3 (#4 7 8), missed 3 (#3 6 10)
//   service level 4 / 10 = 40.0 %
//   waits of answered calls 4 8 12 6 16 10 2 s: average 58 / 7 = 8.29 → 8.3; sorted 2 4 6 8 10 12 16, nearest rank
//   ⌈0.9 × 7⌉ = 7th → 16.0
//   rings 1 2 3 2 4 3 1: 16 / 7 = 2.29 → 2.3
//   callbacks: A closed at 11:00 (not owed); B open, due tomorrow (owed); C open, due 17:30 (owed, overdue);
//   D opened the day before (not in the period) → owed 2, overdue 1
const TOTAL = {
  calls: 10, answered: 7, onTime: 4, late: 3, missed: 3, serviceLevel: 40, avgWaitSeconds: 8.3, p90WaitSeconds: 16, avgRings: 2.3,
  callbacksOwed: 2, callbacksOverdue: 1,
};

const row = (group: string, calls: number, answered: number, onTime: number, late: number, missed: number, serviceLevel: number | null,
  avgWaitSeconds: number | null, p90WaitSeconds: number | null, avgRings: number | null, callbacksOwed: number, callbacksOverdue: number) =>
  ({ group, calls, answered, onTime, late, missed, serviceLevel, avgWaitSeconds, p90WaitSeconds, avgRings, callbacksOwed, callbacksOverdue });

const EXPECTED: Record<GroupBy, ReturnType<typeof row>[]> = {
  // front: #1 2 5 8 answered (1 2 5 on time, 8 late), #6 missed → 3/5 = 60 %; waits 4 8 6 10 → 7.0, ⌈3.6⌉ = 4th → 10;
  //   rings 1 2 2 3 → 2.0; callback B
  // back:  #4 7 9 answered (9 on time), #3 10 missed → 1/5 = 20 %; waits 12 16 2 → 10.0, ⌈2.7⌉ = 3rd → 16;
  //   rings 3 4 1 → 2.67 → 2.7; callback C (overdue); A closed
  line: [row('back', 5, 3, 1, 2, 2, 20, 10, 16, 2.7, 1, 1), row('front', 5, 4, 3, 1, 1, 60, 7, 10, 2, 1, 0)],
  // d1: answered #1 5 (on time) 8 (late), should have answered missed #3 → 2/4 = 50 %; waits 4 6 10 → 6.67 → 6.7, 3rd → 10; rings 1 2 3 → 2
  // d2: answered #2 (on time) 7 (late) → 50 %; waits 8 16 → 12, ⌈1.8⌉ = 2nd → 16; rings 2 4 → 3; callback B
  // d3: answered #4 (late) 9 (on time), missed #10 → 1/3 = 33.3 %; waits 12 2 → 7, 2nd → 12; rings 3 1 → 2; callback C
  // (none): #6 missed with no desk → 0 %, nothing to average
  desk: [
    row('d1', 4, 3, 2, 1, 1, 50, 6.7, 10, 2, 0, 0),
    row('d2', 2, 2, 1, 1, 0, 50, 12, 16, 3, 1, 0),
    row('d3', 3, 2, 1, 1, 1, 33.3, 7, 12, 2, 1, 1),
    row('(none)', 1, 0, 0, 0, 1, 0, null, null, null, 0, 0),
  ],
  // 09: #1 2 (on time) 3 (missed) → 2/3 = 66.7 %; waits 4 8 → 6, 2nd → 8; rings 1 2 → 1.5
  // 10: #4 (late) 5 (on time) → 50 %; waits 12 6 → 9, 2nd → 12; rings 3 2 → 2.5
  // 11: #6 missed → 0 %; callback B    12: #7 8 late → 0 %; waits 16 10 → 13, → 16; rings 4 3 → 3.5
  // 14: #9 on time → 100 %              16: #10 missed → 0 %; callback C (overdue)
  hour: [
    row('09:00', 3, 2, 2, 0, 1, 66.7, 6, 8, 1.5, 0, 0),
    row('10:00', 2, 2, 1, 1, 0, 50, 9, 12, 2.5, 0, 0),
    row('11:00', 1, 0, 0, 0, 1, 0, null, null, null, 1, 0),
    row('12:00', 2, 2, 0, 2, 0, 0, 13, 16, 3.5, 0, 0),
    row('14:00', 1, 1, 1, 0, 0, 100, 2, 2, 1, 0, 0),
    row('16:00', 1, 0, 0, 0, 1, 0, null, null, null, 1, 1),
  ],
  day: [{ group: '2026-03-02', ...TOTAL }],
};

const dir = tempDir('thirdring-report-');
const reader = new RingLogReader(writeHandDay(dir));
afterAll(() => reader.close());
const period = { from: at('2026-03-02T00:00'), to: at('2026-03-03T00:00'), timeZone: ZONE };
const json = (by: GroupBy) => JSON.parse(formatReport(buildReport(reader, SITE, period, by), 'json'));

describe('report numbers for a hand-computed day', () => {
  it.each(Object.keys(EXPECTED) as GroupBy[])('by %s: every group and the total, in JSON', (by) => {
    const report = json(by);
    expect(report.groups).toEqual(EXPECTED[by]);
    expect(report.total).toEqual(TOTAL);
    expect(report).toMatchObject({ site: SITE, by, period: { from: '2026-03-02T00:00:00+01:00', to: '2026-03-03T00:00:00+01:00', timeZone: ZONE } });
  });

  it('counts a callback as owed only while it is open at the end of the period', () => {
    // Up to 10:59: A (closed at 11:00) is still open, and not yet due → owed 1, overdue 0. B and C are not missed yet.
    const morning = buildReport(reader, SITE, { ...period, to: at('2026-03-02T10:59') }, 'line');
    expect([morning.total.callbacksOwed, morning.total.callbacksOverdue]).toEqual([1, 0]);
    // Up to 17:00: B open; C open but due only at 17:30 → owed 2, overdue 0.
    const afternoon = buildReport(reader, SITE, { ...period, to: at('2026-03-02T17:00') }, 'line');
    expect([afternoon.total.callbacksOwed, afternoon.total.callbacksOverdue]).toEqual([2, 0]);
  });

  it('gives an empty report, not an error, for a period without calls', () => {
    const report = json('line');
    const empty = JSON.parse(formatReport(buildReport(reader, SITE, { ...period, from: at('2026-02-01T00:00'), to: at('2026-02-02T00:00') }, 'line'), 'json'));
    expect(report.groups.length).toBeGreaterThan(0);
    expect(empty.groups).toEqual([]);
    expect(empty.total).toMatchObject({ calls: 0, serviceLevel: null, avgWaitSeconds: null, p90WaitSeconds: null, avgRings: null });
  });
});
