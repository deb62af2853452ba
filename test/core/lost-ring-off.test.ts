import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/core/index.js';
import { coreConfig, ofType, ringBursts, run } from '../helpers.js';

const office = (cadence: string) =>
  coreConfig(`
site: t
desks: [{ id: d1, at: [0, 0] }, { id: d2, at: [3, 0] }]
lines: [{ id: L, phone: { at: [1, 0] }, cadence: ${cadence} }]
`);

const on = (t: number): CoreEvent => ({ t, type: 'ring', line: 'L', state: 'on' });
const off = (t: number): CoreEvent => ({ t, type: 'ring', line: 'L', state: 'off' });
/** Heartbeats only: the shell's ticks while nothing else happens. */
const ticksUntil = (end: number): CoreEvent[] => Array.from({ length: end / 1000 }, (_, i) => ({ t: (i + 1) * 1000, type: 'tick' }));

describe('a ring-off that never comes', () => {
  it('NL: the burst is cut off after 5 s, said as ring-stuck, and the call is missed after the usual silence', () => {
    const decisions = run(office('nl'), [on(0), ...ticksUntil(3_600_000)]);
    // NL bursts are 1 s: stuck after max(5 s, 3 × 1 s); missed one NL period + 1 s margin later.
    expect(ofType(decisions, 'ring-stuck')).toEqual([{ t: 5000, type: 'ring-stuck', line: 'L', burstMs: 5000 }]);
    expect(ofType(decisions, 'missed')).toEqual([{ t: 11_000, type: 'missed', line: 'L', rings: 1, waitMs: 5000, desk: 'd1' }]);
    expect(decisions.at(-1)!.t).toBeLessThan(3_600_000);
  });

  it('the next real call after a lost ring-off gets ring 1, on time, not "missed after an hour"', () => {
    const events = [on(0), ...ringBursts('L', [1000, 4000], 3_600_000, 3)];
    const decisions = run(office('nl'), events);
    expect(ofType(decisions, 'ring').map((r) => [r.t, r.ring])).toEqual([
      [0, 1],
      [3_600_000, 1],
      [3_605_000, 2],
      [3_610_000, 3],
    ]);
    expect(ofType(decisions, 'missed').map((m) => m.waitMs)).toEqual([5000, 11_000]);
  });

  it('US bursts are 2 s: a 5.9 s burst is still a ring, 6 s is stuck', () => {
    const fine = run(office('us'), [on(0), off(5900), ...ringBursts('L', [2000, 4000], 10_000, 1)]);
    expect(ofType(fine, 'ring-stuck')).toEqual([]);
    const stuck = run(office('us'), [on(0), { t: 7000, type: 'tick' }]);
    expect(ofType(stuck, 'ring-stuck')).toEqual([{ t: 6000, type: 'ring-stuck', line: 'L', burstMs: 6000 }]);
  });

  it('auto cadence: stuck after 7.5 s (3 × the longest national burst, 2.5 s)', () => {
    const decisions = run(office('auto'), [on(0), { t: 60_000, type: 'tick' }]);
    expect(ofType(decisions, 'ring-stuck').map((d) => d.t)).toEqual([7500]);
    expect(ofType(decisions, 'missed')).toHaveLength(1);
  });

  it('a lost ring-off in the middle of a call: the next ring-on still counts as the next ring', () => {
    // NL (a little fast): ring 1 at 0 (its OFF lost), ring 2 at 4.8 s, ring 3 at 9.8 s.
    const events = [on(0), on(4800), off(5800), on(9800), off(10_800)];
    const decisions = run(office('nl'), events);
    expect(ofType(decisions, 'ring').map((r) => [r.t, r.ring])).toEqual([[0, 1], [4800, 2], [9800, 3]]);
    expect(ofType(decisions, 'ring-stuck')).toEqual([]);
    expect(ofType(decisions, 'escalate').map((e) => e.level)).toEqual([2, 3]);
  });

  it('a late ring-off after the cut is ignored, and an answer during the stuck burst stops the watch', () => {
    const late = run(office('nl'), [on(0), off(8000), ...ringBursts('L', [1000, 4000], 60_000, 1)]);
    expect(ofType(late, 'ring-stuck')).toHaveLength(1);
    expect(ofType(late, 'ring').map((r) => r.ring)).toEqual([1, 1]);
    const answered = run(office('nl'), [on(0), { t: 2000, type: 'hook', desk: 'd1', state: 'off' }, { t: 30_000, type: 'tick' }]);
    expect(ofType(answered, 'answered')).toHaveLength(1);
    expect(ofType(answered, 'ring-stuck')).toEqual([]);
  });
});
