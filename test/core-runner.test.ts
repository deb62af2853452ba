import { describe, expect, it } from 'vitest';
import type { Decision } from '../src/core/index.js';
import { CoreRunner } from '../src/bridge/core-runner.js';
import { coreConfig } from './helpers.js';
import { manualClock } from './manual-clock.js';

const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 0] }]
lines: [{ id: L, phone: { at: [1, 0] }, cadence: nl }]
`);

describe('CoreRunner (the core in real time)', () => {
  it('stamps events with the clock and turns silence into a missed call through its own timer', () => {
    const { clock, advanceTo, pending } = manualClock();
    const decisions: Decision[] = [];
    const runner = new CoreRunner(config, clock, (r) => decisions.push(...r.decisions));
    runner.feed({ type: 'ring', line: 'L', state: 'on' });
    advanceTo(1000);
    runner.feed({ type: 'ring', line: 'L', state: 'off' });
    expect(pending()).toBe(1);
    advanceTo(60_000);
    expect(decisions.map((d) => [d.t, d.type])).toEqual([[0, 'ring'], [0, 'assign'], [7000, 'missed'], [7000, 'callback-owed']]);
    expect(pending()).toBe(1); // the callback falling due
  });

  it('replaces the silence timer with the burst watch when the next burst comes, and cancels it on stop', () => {
    const { clock, advanceTo, pending } = manualClock();
    const decisions: Decision[] = [];
    const runner = new CoreRunner(config, clock, (r) => decisions.push(...r.decisions));
    runner.feed({ type: 'ring', line: 'L', state: 'on' });
    advanceTo(1000);
    runner.feed({ type: 'ring', line: 'L', state: 'off' });
    advanceTo(5000);
    runner.feed({ type: 'ring', line: 'L', state: 'on' });
    expect(pending()).toBe(1); // no silence timer, only the watch on the burst (a lost ring-off)
    advanceTo(6000);
    runner.feed({ type: 'ring', line: 'L', state: 'off' });
    runner.stop();
    expect(pending()).toBe(0);
    expect(decisions.filter((d) => d.type === 'ring').map((d) => d.t)).toEqual([0, 5000]);
  });
});
