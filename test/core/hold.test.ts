import { describe, expect, it } from 'vitest';
import type { Command, CoreEvent, Decision } from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { coreConfig, ofType, ringBursts } from '../helpers.js';

const office = (rules = '') =>
  coreConfig(`
site: t
timezone: UTC
desks:
  - { id: d1, at: [0, 0] }
  - { id: d2, at: [5, 0] }
lines: [{ id: L, phone: { at: [0, 1] }, cadence: nl }]
${rules}
`);

const replayed = (events: CoreEvent[], until: number, config = office()) => {
  const out = [...replay(config, events, { indications: true, until })];
  return {
    decisions: out.filter((x): x is Decision => x.type !== 'indicate'),
    shown: (desk: string) => out.filter((x): x is Command => x.type === 'indicate' && x.desk === desk).map((c) => [c.t, c.alert, c.led.pattern, c.buzzer.pattern]),
  };
};

/** d1 answers at 2 s and puts the caller on hold at 10 s. */
const answeredThenHeld: CoreEvent[] = [
  ...ringBursts('L', [1000, 4000], 0, 1),
  { t: 2000, type: 'hook', desk: 'd1', state: 'off' },
  { t: 10_000, type: 'hold', desk: 'd1', state: 'on' },
];

describe('hold watchdog', () => {
  it('reminds every holdCheckSeconds (default 120 s) while the caller waits, with a short chirp each time', () => {
    const { decisions, shown } = replayed(answeredThenHeld, 400_000);
    expect(ofType(decisions, 'hold')).toEqual([{ t: 10_000, type: 'hold', line: 'L', desk: 'd1', state: 'on', heldMs: 0 }]);
    expect(ofType(decisions, 'hold-reminder')).toEqual([
      { t: 130_000, type: 'hold-reminder', line: 'L', desk: 'd1', heldMs: 120_000, reminder: 1 },
      { t: 250_000, type: 'hold-reminder', line: 'L', desk: 'd1', heldMs: 240_000, reminder: 2 },
      { t: 370_000, type: 'hold-reminder', line: 'L', desk: 'd1', heldMs: 360_000, reminder: 3 },
    ]);
    expect(shown('d1').filter(([t]) => (t as number) >= 10_000)).toEqual([
      [130_000, 'hold', 'solid', 'chirp'],
      [132_000, 'hold', 'solid', 'off'],
      [250_000, 'hold', 'solid', 'chirp'],
      [252_000, 'hold', 'solid', 'off'],
      [370_000, 'hold', 'solid', 'chirp'],
      [372_000, 'hold', 'solid', 'off'],
    ]);
  });

  it('stops on resume, and starts counting again from the next hold', () => {
    const events: CoreEvent[] = [
      ...answeredThenHeld,
      { t: 200_000, type: 'hold', desk: 'd1', state: 'off' },
      { t: 300_000, type: 'hold', line: 'L', state: 'on' },
    ];
    const { decisions, shown } = replayed(events, 500_000);
    expect(ofType(decisions, 'hold').map((d) => [d.t, d.state, d.heldMs])).toEqual([[10_000, 'on', 0], [200_000, 'off', 190_000], [300_000, 'on', 0]]);
    expect(ofType(decisions, 'hold-reminder').map((d) => [d.t, d.reminder])).toEqual([[130_000, 1], [420_000, 1]]);
    expect(shown('d1').filter(([t]) => (t as number) >= 190_000 && (t as number) < 420_000)).toEqual([[200_000, 'none', 'off', 'off']]);
  });

  it('an ack at the desk counts as checking back: reminder off, the next one a full interval later', () => {
    const events: CoreEvent[] = [...answeredThenHeld, { t: 150_000, type: 'ack', desk: 'd1' }];
    const { decisions, shown } = replayed(events, 400_000);
    expect(ofType(decisions, 'hold-reminder').map((d) => [d.t, d.heldMs, d.reminder])).toEqual([[130_000, 120_000, 1], [270_000, 260_000, 1], [390_000, 380_000, 2]]);
    expect(shown('d1').filter(([t]) => (t as number) >= 140_000 && (t as number) < 270_000)).toEqual([[150_000, 'none', 'off', 'off']]);
  });

  it('stops when the call is hung up on hold', () => {
    const events: CoreEvent[] = [...answeredThenHeld, { t: 140_000, type: 'hook', desk: 'd1', state: 'on' }];
    const { decisions, shown } = replayed(events, 1_000_000);
    expect(decisions.filter((d) => d.t >= 130_000).map((d) => d.type)).toEqual(['hold-reminder', 'hold', 'ended']);
    expect(ofType(decisions, 'hold').at(-1)).toEqual({ t: 140_000, type: 'hold', line: 'L', desk: 'd1', state: 'off', heldMs: 130_000 });
    expect(shown('d1').at(-1)).toEqual([140_000, 'none', 'off', 'off']);
  });

  it('follows rules.holdCheckSeconds, and ignores hold with no call at the desk', () => {
    const config = office('rules: { holdCheckSeconds: 30 }');
    const events: CoreEvent[] = [{ t: 0, type: 'hold', desk: 'd2', state: 'on' }, ...answeredThenHeld.map((e) => ({ ...e, t: e.t + 1 }))];
    const run = replay(config, events, { until: 100_000 });
    const decisions: Decision[] = [];
    for (let next = run.next(); ; next = run.next()) {
      if (next.done) {
        expect(next.value.ignoredEvents).toBe(1);
        break;
      }
      decisions.push(next.value as Decision);
    }
    expect(ofType(decisions, 'hold-reminder').map((d) => d.t)).toEqual([40_001, 70_001]); // the third (100_001) is past --until
  });
});
