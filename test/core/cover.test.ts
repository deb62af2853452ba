import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Command, CoreEvent, Decision } from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { byTime, coreConfig, ofType, ringBursts, run } from '../helpers.js';

const NL = [1000, 4000];
// d1 sits at the phone; d2 a little further; d3 across the floor; back1/back2 are the back office.
const office = (extra = '') =>
  coreConfig(`
site: t
timezone: Europe/London
desks:
  - { id: d1, at: [0, 0] }
  - { id: d2, at: [3, 0] }
  - { id: d3, at: [12, 0] }
  - { id: back1, at: [40, 0] }
  - { id: back2, at: [42, 0] }
lines:
  - { id: main, phone: { at: [0, 1] }, cadence: nl, designated: true }
  - { id: side, phone: { at: [0, 1] }, cadence: nl }
rules:
  escalation: [{ atRing: 2, buzzer: chirp, nearest: 1 }, { atRing: 3, buzzer: ring, everyone: true, withinMetres: 15 }]
  designated: { desks: [back1, back2] }
${extra}
`);

describe('designated lines', () => {
  it("past the floor's last ring, go to the fallback desks with a log alert instead of ringing out", () => {
    const decisions = run(office(), ringBursts('main', NL, 0, 5));
    expect(decisions.filter((d) => d.type === 'escalate' || d.type === 'alert')).toEqual([
      { t: 5000, type: 'escalate', line: 'main', level: 2, desks: ['d1', 'd2'] },
      { t: 10000, type: 'escalate', line: 'main', level: 3, desks: ['d1', 'd2'], everyone: { desks: 3, withinMetres: 15 } },
      { t: 15000, type: 'escalate', line: 'main', level: 4, desks: ['back1', 'back2'] },
      { t: 15000, type: 'alert', line: 'main', reason: 'designated-unanswered', ring: 4, desks: ['back1', 'back2'] },
    ]);
    const shown = [...replay(office(), ringBursts('main', NL, 0, 5), { indications: true })]
      .filter((x): x is Command => x.type === 'indicate' && x.desk === 'back1')
      .map((c) => [c.t, c.alert]);
    expect(shown).toEqual([[15000, 'nearby'], [27000, 'none']]); // missed: last burst ends at 21 s, + 5 s + 1 s
  });

  it('an ordinary line never leaves the floor', () => {
    const decisions = run(office(), ringBursts('side', NL, 0, 5));
    expect(ofType(decisions, 'alert')).toEqual([]);
    expect(ofType(decisions, 'escalate').flatMap((e) => e.desks)).not.toContain('back1');
  });

  it('a config with a designated line but no fallback desks is refused', () => {
    expect(() => coreConfig(`
site: t
desks: [{ id: d1, at: [0, 0] }]
lines: [{ id: main, phone: { at: [0, 1] }, designated: true }]
`)).toThrow('lines[0].designated: needs rules.designated.desks');
  });
});

describe("takeover: one desk takes another's calls", () => {
  it('calls that would go to the covered desk go to the cover, and come back when it gives them back', () => {
    const events: CoreEvent[] = [
      { t: 0, type: 'takeover', desk: 'd3', from: 'd1', state: 'on' },
      ...ringBursts('side', NL, 1000, 1),
      { t: 3000, type: 'hook', desk: 'd3', state: 'off' },
      { t: 20_000, type: 'hook', desk: 'd3', state: 'on' },
      { t: 30_000, type: 'takeover', desk: 'd3', from: 'd1', state: 'off' },
      ...ringBursts('side', NL, 31_000, 1),
    ];
    const decisions = run(office(), events);
    expect(decisions.filter((d) => d.type === 'takeover' || d.type === 'assign' || d.type === 'answered')).toEqual([
      { t: 0, type: 'takeover', desk: 'd3', from: 'd1', state: 'on' },
      // d3 stands in at d1's place, nearer than d2.
      { t: 1000, type: 'assign', line: 'side', desk: 'd3', reason: 'first' },
      { t: 3000, type: 'answered', line: 'side', rings: 1, waitMs: 2000, onTime: true, desk: 'd3' },
      { t: 30_000, type: 'takeover', desk: 'd3', from: 'd1', state: 'off' },
      { t: 31_000, type: 'assign', line: 'side', desk: 'd1', reason: 'first' },
    ]);
  });

  it('taking over mid-ring moves the call; a busy cover leaves it to the next nearest', () => {
    const events: CoreEvent[] = [
      ...ringBursts('side', NL, 0, 2),
      { t: 2000, type: 'takeover', desk: 'd3', from: 'd1', state: 'on' },
      { t: 40_000, type: 'hook', desk: 'd3', state: 'off' },
      ...ringBursts('main', NL, 41_000, 1),
    ];
    const assigns = ofType(run(office(), byTime(events)), 'assign').map((d) => [d.t, d.line, d.desk, d.reason]);
    expect(assigns).toEqual([[0, 'side', 'd1', 'first'], [2000, 'side', 'd3', 'reassigned'], [41_000, 'main', 'd2', 'first']]);
  });

  it('a covered desk shows nothing; nonsense takeovers are ignored', () => {
    const events: CoreEvent[] = [
      { t: 0, type: 'takeover', desk: 'd1', from: 'd1', state: 'on' },
      { t: 0, type: 'takeover', desk: 'd2', from: 'd1', state: 'off' },
      { t: 1, type: 'takeover', desk: 'd2', from: 'd1', state: 'on' },
      { t: 2, type: 'takeover', desk: 'd2', from: 'd1', state: 'on' },
      ...ringBursts('side', NL, 10, 3),
    ];
    const out = [...replay(office(), events, { indications: true })];
    expect(out.filter((x): x is Command => x.type === 'indicate' && x.desk === 'd1')).toEqual([]);
    expect(ofType(out as Decision[], 'takeover')).toHaveLength(1);
  });
});

describe('lunch schedules', () => {
  const lunch = `schedules: [{ name: lunch-early, desks: [d1], away: ["12:00", "12:45"] }]`;
  const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' }).toMillis();

  it('send desks away and bring them back by time of day, on working days only', () => {
    const events: CoreEvent[] = [
      { t: at('2026-11-20T11:00'), type: 'tick' }, // Friday
      ...ringBursts('side', NL, at('2026-11-20T12:10'), 1),
      { t: at('2026-11-21T12:30'), type: 'tick' }, // Saturday: no schedule
    ];
    const decisions = run(office(lunch), events);
    expect(ofType(decisions, 'schedule')).toEqual([
      { t: at('2026-11-20T12:00'), type: 'schedule', desk: 'd1', state: 'away', schedule: 'lunch-early' },
      { t: at('2026-11-20T12:45'), type: 'schedule', desk: 'd1', state: 'present', schedule: 'lunch-early' },
    ]);
    expect(ofType(decisions, 'assign')[0]!.desk).toBe('d2');
  });

  it('start in the middle of lunch, and leave alone a desk that went away by hand', () => {
    const events: CoreEvent[] = [
      { t: at('2026-11-20T12:30'), type: 'tick' },
      { t: at('2026-11-20T12:40'), type: 'presence', desk: 'd1', state: 'away' },
      { t: at('2026-11-20T13:00'), type: 'tick' },
    ];
    const decisions = run(office(lunch), events);
    expect(decisions).toEqual([{ t: at('2026-11-20T12:30'), type: 'schedule', desk: 'd1', state: 'away', schedule: 'lunch-early' }]);
  });

  it('unknown desks in a schedule are a config error', () => {
    expect(() => office(`schedules: [{ name: x, desks: [nobody], away: ["12:00", "13:00"] }]`)).toThrow('schedules[0].desks[0]: unknown desk "nobody"');
  });
});
