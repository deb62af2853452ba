import { describe, expect, it } from 'vitest';
import { coreConfig, ofType, run } from '../helpers.js';

const office = coreConfig(`
site: t
desks: [{ id: anna, at: [0, 0] }, { id: bram, at: [3, 0] }]
lines: [{ id: front, phone: { at: [1, 0] }, cadence: nl }, { id: back, phone: { at: [9, 0] }, cadence: nl }]
`);

describe('outgoing calls', () => {
  it('a desk picking up an idle line it names is an outgoing call on it, said as a decision; hanging up ends it', () => {
    const decisions = run(office, [
      { t: 1000, type: 'hook', desk: 'anna', line: 'front', state: 'off' },
      { t: 61_000, type: 'hook', desk: 'anna', state: 'on' },
    ]);
    expect(decisions.filter((d) => d.type === 'outgoing' || d.type === 'ended')).toEqual([
      { t: 1000, type: 'outgoing', line: 'front', desk: 'anna' },
      { t: 61_000, type: 'ended', line: 'front', durationMs: 60_000 },
    ]);
  });

  it("off-hook at the line's own phone on an idle line is an outgoing call by nobody known", () => {
    expect(ofType(run(office, [{ t: 5, type: 'hook', line: 'back', state: 'off' }]), 'outgoing')).toEqual([{ t: 5, type: 'outgoing', line: 'back' }]);
  });

  it('a desk going off-hook without naming a line makes no outgoing call on any line', () => {
    expect(ofType(run(office, [{ t: 5, type: 'hook', desk: 'bram', state: 'off' }]), 'outgoing')).toEqual([]);
  });
});
