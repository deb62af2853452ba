import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cadence, CoreEvent } from '../../src/core/index.js';
import { MAX_CALLS_PER_LINE, WholeRing, type RingBurst } from '../../src/devices/whole-ring.js';
import { coreConfig, ofType, run } from '../helpers.js';

function ringer(cadences: Record<string, Cadence>) {
  const bursts: { at: number; line: string; state: string }[] = [];
  const ring = new WholeRing({
    cadence: (line) => cadences[line] ?? 'auto',
    emit: (burst: RingBurst, at) => bursts.push({ at, line: burst.line, state: burst.state }),
  });
  return { ring, bursts };
}

const asEvents = (bursts: { at: number; line: string; state: string }[]): CoreEvent[] =>
  bursts.map((b) => ({ t: b.at, type: 'ring', line: b.line, state: b.state as 'on' | 'off' }));

describe('whole-ring: ringing calls → ring bursts at the line cadence', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays the cadence from the moment the call rings, and stops at once mid-burst', () => {
    const { ring, bursts } = ringer({ L: [1000, 4000] });
    ring.set('L', 'c1', true);
    vi.advanceTimersByTime(11_500);
    ring.set('L', 'c1', false);
    expect(bursts).toEqual([
      { at: 0, line: 'L', state: 'on' },
      { at: 1000, line: 'L', state: 'off' },
      { at: 5000, line: 'L', state: 'on' },
      { at: 6000, line: 'L', state: 'off' },
      { at: 10_000, line: 'L', state: 'on' },
      { at: 11_000, line: 'L', state: 'off' },
    ]);
    ring.set('L', 'c2', true);
    vi.advanceTimersByTime(500);
    ring.set('L', 'c2', false);
    expect(bursts.slice(6)).toEqual([
      { at: 11_500, line: 'L', state: 'on' },
      { at: 12_000, line: 'L', state: 'off' },
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('plays a double burst as the cadence has it (GB)', () => {
    const { ring, bursts } = ringer({ L: [400, 200, 400, 2000] });
    ring.set('L', 'c', true);
    vi.advanceTimersByTime(3000);
    expect(bursts.map((b) => [b.at, b.state])).toEqual([[0, 'on'], [400, 'off'], [600, 'on'], [1000, 'off'], [3000, 'on']]);
    ring.stopAll();
    expect(bursts.at(-1)).toEqual({ at: 3000, line: 'L', state: 'off' });
  });

  it('several ringing calls on one line ring it once; it stops when the last one stops', () => {
    const { ring, bursts } = ringer({ L: [1000, 4000] });
    ring.set('L', 'a', true);
    vi.advanceTimersByTime(2000);
    ring.set('L', 'b', true);
    ring.set('L', 'a', true);
    ring.set('L', 'a', false);
    vi.advanceTimersByTime(3500);
    expect(ring.isRinging('L')).toBe(true);
    ring.set('L', 'b', false);
    expect(ring.isRinging('L')).toBe(false);
    expect(bursts.map((b) => [b.at, b.state])).toEqual([[0, 'on'], [1000, 'off'], [5000, 'on'], [5500, 'off']]);
  });

  it('lines ring independently; stopCalls ends the calls of one source', () => {
    const { ring, bursts } = ringer({ A: [1000, 4000], B: [2000, 4000] });
    ring.set('A', 'phone1/x', true);
    ring.set('B', 'phone2/y', true);
    ring.set('B', 'phone1/z', true);
    vi.advanceTimersByTime(500);
    ring.stopCalls((call) => call.startsWith('phone1/'));
    expect(ring.isRinging('A')).toBe(false);
    expect(ring.isRinging('B')).toBe(true);
    expect(bursts.filter((b) => b.line === 'A').map((b) => b.state)).toEqual(['on', 'off']);
  });

  it('an unknown cadence (auto) plays 1 s on, 4 s off', () => {
    const { ring, bursts } = ringer({});
    ring.set('L', 'c', true);
    vi.advanceTimersByTime(5000);
    expect(bursts.map((b) => [b.at, b.state])).toEqual([[0, 'on'], [1000, 'off'], [5000, 'on']]);
  });

  it('bounds the calls it tracks per line (call keys come from senders)', () => {
    const { ring } = ringer({});
    for (let i = 0; i < MAX_CALLS_PER_LINE + 10; i++) ring.set('L', `call-${i}`, true);
    expect(ring.droppedCalls).toBe(10);
    for (let i = 0; i < MAX_CALLS_PER_LINE; i++) ring.set('L', `call-${i}`, false);
    expect(ring.isRinging('L')).toBe(false);
  });

  it.each([
    ['nl', [1000, 4000]],
    ['gb', [400, 200, 400, 2000]],
    ['us', [2000, 4000]],
    ['auto', 'auto'],
  ] as const)('the core counts ring 1 at the call, one per period, and a miss after the cancel (%s)', (name, cadence) => {
    const { ring, bursts } = ringer({ L: cadence as Cadence });
    ring.set('L', 'c', true);
    const period = cadence === 'auto' ? 5000 : cadence.reduce((a, b) => a + b, 0);
    vi.advanceTimersByTime(3 * period - 1);
    ring.set('L', 'c', false);
    const config = coreConfig(`
site: t
desks: [{ id: d1, at: [0, 0] }]
lines: [{ id: L, phone: { at: [1, 0] }, cadence: ${name} }]
`);
    const decisions = run(config, [...asEvents(bursts), { t: 60_000, type: 'tick' }]);
    expect(ofType(decisions, 'ring').map((r) => [r.t, r.ring])).toEqual([[0, 1], [period, 2], [2 * period, 3]]);
    expect(ofType(decisions, 'missed')).toEqual([expect.objectContaining({ rings: 3 })]);
    expect(ofType(decisions, 'callback-owed')).toHaveLength(1);
  });
});
