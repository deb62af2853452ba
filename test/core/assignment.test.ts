import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../src/core/index.js';
import { byTime, coreConfig, ofType, ringBursts, run } from '../helpers.js';

const NL = [1000, 4000];

// A row of desks along y = 0; phones sit at the ends of the row.
const floor = coreConfig(`
site: t
desks:
  - { id: a, at: [0, 0] }
  - { id: b, at: [3, 0] }
  - { id: c, at: [6, 0] }
  - { id: d, at: [9, 0] }
lines:
  - { id: west, phone: { at: [0, 1] }, cadence: nl }
  - { id: east, phone: { at: [9, 1] }, cadence: nl }
`);

const hook = (t: number, desk: string, state: 'off' | 'on', line?: string): CoreEvent =>
  ({ t, type: 'hook', desk, state, ...(line ? { line } : {}) });
const presence = (t: number, desk: string, state: 'present' | 'away'): CoreEvent => ({ t, type: 'presence', desk, state });

describe('nearest available person', () => {
  it('assigns the desk nearest the line phone at ring 1', () => {
    expect(ofType(run(floor, ringBursts('west', NL, 0, 1)), 'assign')).toEqual([
      { t: 0, type: 'assign', line: 'west', desk: 'a', reason: 'first' },
    ]);
  });

  it('skips desks whose person is away or on a call', () => {
    const events = [presence(0, 'a', 'away'), hook(0, 'b', 'off'), ...ringBursts('west', NL, 100, 1)];
    expect(ofType(run(floor, events), 'assign').map((a) => a.desk)).toEqual(['c']);
  });

  it('gives concurrent calls distinct desks', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 0] }, { id: b, at: [5, 0] }]
lines:
  - { id: l1, phone: { at: [0, 1] }, cadence: nl }
  - { id: l2, phone: { at: [0, 2] }, cadence: nl }
`);
    const events = byTime([...ringBursts('l1', NL, 0, 1), ...ringBursts('l2', NL, 500, 1)]);
    expect(ofType(run(config, events), 'assign').map((a) => [a.line, a.desk])).toEqual([['l1', 'a'], ['l2', 'b']]);
  });

  it('keeps the assignment when a nearer desk frees up mid-ring', () => {
    const events = byTime([hook(0, 'a', 'off'), ...ringBursts('west', NL, 100, 2), hook(2000, 'a', 'on')]);
    expect(ofType(run(floor, events), 'assign').map((a) => a.desk)).toEqual(['b']);
  });

  it('reassigns when the assigned person walks away mid-ring', () => {
    const events = byTime([...ringBursts('west', NL, 0, 2), presence(2000, 'a', 'away')]);
    expect(ofType(run(floor, events), 'assign')).toEqual([
      { t: 0, type: 'assign', line: 'west', desk: 'a', reason: 'first' },
      { t: 2000, type: 'assign', line: 'west', desk: 'b', reason: 'reassigned' },
    ]);
  });

  it('reassigns when the assigned desk picks up another line', () => {
    const events = byTime([...ringBursts('west', NL, 0, 2), ...ringBursts('east', NL, 100, 2), hook(3000, 'a', 'off', 'east')]);
    const decisions = run(floor, events);
    expect(ofType(decisions, 'answered')).toEqual([
      { t: 3000, type: 'answered', line: 'east', rings: 1, waitMs: 2900, onTime: true, desk: 'a' },
    ]);
    expect(ofType(decisions, 'assign').filter((a) => a.line === 'west').map((a) => [a.desk, a.reason])).toEqual([
      ['a', 'first'],
      ['b', 'reassigned'],
    ]);
  });

  it('breaks a tie within 0.5 m by who answered least recently', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 1] }, { id: b, at: [0, -1.3] }]
lines: [{ id: L, phone: { at: [0, 0] }, cadence: nl }]
`);
    // a is nearer (1.0 m vs 1.3 m) and gets the first call; it answers, so the second goes to b.
    const first = [...ringBursts('L', NL, 0, 1), hook(2000, 'a', 'off'), hook(3000, 'a', 'on')];
    const second = [...ringBursts('L', NL, 10000, 1), hook(12000, 'b', 'off'), hook(13000, 'b', 'on')];
    const third = ringBursts('L', NL, 20000, 1);
    expect(ofType(run(config, [...first, ...second, ...third]), 'assign').map((a) => a.desk)).toEqual(['a', 'b', 'a']);
  });

  it('does not count desks more than 0.5 m apart as a tie', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 1] }, { id: b, at: [0, -1.6] }]
lines: [{ id: L, phone: { at: [0, 0] }, cadence: nl }]
`);
    const first = [...ringBursts('L', NL, 0, 1), hook(2000, 'a', 'off'), hook(3000, 'a', 'on')];
    const second = ringBursts('L', NL, 10000, 1);
    expect(ofType(run(config, [...first, ...second]), 'assign').map((a) => a.desk)).toEqual(['a', 'a']);
  });

  it('measures distance to the nearest of the desks a line rings on', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 0] }, { id: b, at: [10, 0] }, { id: c, at: [20, 0] }]
lines: [{ id: L, phone: { desks: [c] }, cadence: nl }]
`);
    const events = [presence(0, 'c', 'away'), ...ringBursts('L', NL, 100, 1)];
    expect(ofType(run(config, events), 'assign').map((a) => a.desk)).toEqual(['b']);
  });

  it('says so when nobody is available, and assigns the first desk that frees up', () => {
    const events = byTime([
      ...['a', 'b', 'c', 'd'].map((d) => presence(0, d, 'away')),
      ...ringBursts('west', NL, 100, 2),
      presence(3000, 'd', 'present'),
    ]);
    const decisions = run(floor, events).filter((d) => d.type === 'unassigned' || d.type === 'assign');
    expect(decisions).toEqual([
      { t: 100, type: 'unassigned', line: 'west' },
      { t: 3000, type: 'assign', line: 'west', desk: 'd', reason: 'freed' },
    ]);
  });

  it('hands a desk freed by an answered call to a call that had none', () => {
    const config = coreConfig(`
site: t
desks: [{ id: a, at: [0, 0] }]
lines:
  - { id: l1, phone: { at: [0, 1] }, cadence: nl }
  - { id: l2, phone: { at: [0, 2] }, cadence: nl }
`);
    const events = byTime([...ringBursts('l1', NL, 0, 2), ...ringBursts('l2', NL, 200, 2), { t: 3000, type: 'hook', line: 'l1', state: 'off' }]);
    expect(ofType(run(config, events), 'assign').map((a) => [a.t, a.line, a.desk, a.reason])).toEqual([
      [0, 'l1', 'a', 'first'],
      [3000, 'l2', 'a', 'freed'],
    ]);
  });
});

describe('answering from a desk', () => {
  it('a desk answers the line it was assigned', () => {
    const events = [...ringBursts('west', NL, 0, 1), hook(1500, 'a', 'off')];
    expect(ofType(run(floor, events), 'answered')).toEqual([
      { t: 1500, type: 'answered', line: 'west', rings: 1, waitMs: 1500, onTime: true, desk: 'a' },
    ]);
  });

  it('a desk nobody asked picks up an outgoing call and becomes busy', () => {
    const events = [hook(0, 'd', 'off'), ...ringBursts('west', NL, 100, 1)];
    const decisions = run(floor, events);
    expect(ofType(decisions, 'answered')).toEqual([]);
    expect(ofType(decisions, 'missed')).toHaveLength(1);
  });

  it('hanging up ends the call and frees the desk', () => {
    const events = [
      ...ringBursts('west', NL, 0, 1), hook(1500, 'a', 'off'), hook(61500, 'a', 'on'),
      ...ringBursts('west', NL, 70000, 1),
    ];
    const decisions = run(floor, events);
    expect(ofType(decisions, 'ended')).toEqual([{ t: 61500, type: 'ended', line: 'west', durationMs: 60000 }]);
    expect(ofType(decisions, 'assign').map((a) => a.desk)).toEqual(['a', 'a']);
  });
});
