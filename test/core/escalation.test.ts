import { describe, expect, it } from 'vitest';
import type { Command, CoreEvent } from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { coreConfig, ofType, ringBursts, run } from '../helpers.js';

const NL = [1000, 4000];
const desksInARow = (n: number) => Array.from({ length: n }, (_, i) => `  - { id: d${i + 1}, at: [${i * 2}, 0] }`).join('\n');
const floor = (rules = '') =>
  coreConfig(`
site: t
desks:
${desksInARow(6)}
lines: [{ id: L, phone: { at: [0, 1] }, cadence: nl }]
${rules}
`);

const commandsOf = (config: ReturnType<typeof floor>, events: CoreEvent[]) =>
  [...replay(config, events, { indications: true })].filter((x): x is Command => x.type === 'indicate');

describe('third-ring escalation (defaults)', () => {
  const decisions = run(floor(), ringBursts('L', NL, 0, 3));

  it('ring 1 assigns, ring 2 widens to the next two nearest, ring 3 to everyone present', () => {
    expect(decisions.filter((d) => d.type === 'assign' || d.type === 'escalate')).toEqual([
      { t: 0, type: 'assign', line: 'L', desk: 'd1', reason: 'first' },
      { t: 5000, type: 'escalate', line: 'L', level: 2, desks: ['d1', 'd2', 'd3'] },
      // Everyone is said as a count, never a list of every desk (a big floor would make each entry huge).
      { t: 10000, type: 'escalate', line: 'L', level: 3, desks: ['d1', 'd2', 'd3'], everyone: { desks: 6, withinMetres: null } },
    ]);
  });

  it('drives LEDs and buzzer: yours, then chirp + nearby, then ring + everyone, then all off', () => {
    const shown = (desk: string) =>
      commandsOf(floor(), ringBursts('L', NL, 0, 3))
        .filter((c) => c.desk === desk)
        .map((c) => [c.t, c.alert, c.led.pattern, c.buzzer.pattern]);
    expect(shown('d1')).toEqual([
      [0, 'yours', 'fast-blink', 'off'],
      [5000, 'yours', 'fast-blink', 'chirp'],
      [10000, 'yours', 'fast-blink', 'ring'],
      [17000, 'none', 'off', 'off'],
    ]);
    expect(shown('d2')).toEqual([[5000, 'nearby', 'slow-blink', 'off'], [17000, 'none', 'off', 'off']]);
    expect(shown('d6')).toEqual([[10000, 'everyone', 'pulse', 'off'], [17000, 'none', 'off', 'off']]);
  });

  it('leaves desks that are away out of "everyone"', () => {
    const events = [{ t: 0, type: 'presence', desk: 'd6', state: 'away' } as const, ...ringBursts('L', NL, 10, 3)];
    expect(ofType(run(floor(), events), 'escalate').at(-1)?.everyone).toEqual({ desks: 5, withinMetres: null });
    const d6 = commandsOf(floor(), events).filter((c) => c.desk === 'd6');
    expect(d6).toEqual([]);
  });
});

describe('configured escalation', () => {
  it('follows the configured steps and radius', () => {
    const config = floor(`rules:
  answerBy: 4
  escalation:
    - { atRing: 3, buzzer: ring, nearest: 1 }
    - { atRing: 4, everyone: true, withinMetres: 5 }
`);
    expect(ofType(run(config, ringBursts('L', NL, 0, 4)), 'escalate')).toEqual([
      { t: 10000, type: 'escalate', line: 'L', level: 2, desks: ['d1', 'd2'] },
      // d1, d2 and d3 are within 5 m of the phone at [0, 1].
      { t: 15000, type: 'escalate', line: 'L', level: 3, desks: ['d1', 'd2'], everyone: { desks: 3, withinMetres: 5 } },
    ]);
  });

  it('answerBy 2 goes straight to everyone at ring 2', () => {
    expect(ofType(run(floor('rules: { answerBy: 2 }'), ringBursts('L', NL, 0, 2)), 'escalate')).toEqual([
      { t: 5000, type: 'escalate', line: 'L', level: 2, desks: ['d1'], everyone: { desks: 6, withinMetres: null } },
    ]);
  });
});

describe('indication precedence between calls', () => {
  it('"yours" for one line beats "nearby" for another, and the desk goes back to nearby when its call ends', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 0] }, { id: b, at: [2, 0] }, { id: c, at: [4, 0] }, { id: e, at: [40, 0] }]
lines:
  - { id: near, phone: { at: [0, 1] }, cadence: nl }
  - { id: far, phone: { at: [40, 1] }, cadence: nl }
`);
    // `near` reaches ring 2 and lights b and c as nearby; then c (the nearer to far) is assigned `far` once e walks off, then `far` is answered by e.
    const events: CoreEvent[] = [
      ...ringBursts('near', NL, 0, 2),
      { t: 6500, type: 'presence', desk: 'e', state: 'away' },
    ];
    const farEvents: CoreEvent[] = [
      ...ringBursts('far', NL, 6000, 1),
      { t: 8000, type: 'hook', line: 'far', state: 'off' },
    ];
    const all = [...events, ...farEvents].sort((x, y) => x.t - y.t);
    const c = commandsOf(config, all).filter((x) => x.desk === 'c').map((c) => [c.t, c.alert, c.line]);
    expect(c).toEqual([
      [5000, 'nearby', null],
      [6500, 'yours', 'far'],
      [8000, 'nearby', null],
      [12000, 'none', null],
    ]);
  });
});
