import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Command, CoreEvent, Decision } from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { coreConfig, ofType, ringBursts } from '../helpers.js';

const ZONE = 'Europe/Amsterdam';
/** Wall-clock time in the office → epoch ms. */
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

const office = (extra = '') =>
  coreConfig(`
site: t
timezone: ${ZONE}
desks:
  - { id: d1, at: [0, 0] }
  - { id: d2, at: [5, 0] }
lines:
  - { id: L, phone: { at: [0, 1] }, cadence: nl }
  - { id: M, phone: { at: [5, 1] }, cadence: nl }
rules:
  businessHours: { days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:30", holidays: [2026-12-25] }
${extra}
`);

/** Two NL rings nobody answers: the call is missed 12 s after it started (last burst ends at +6 s, then 5 s + 1 s). */
const missedCallAt = (line: string, missedAt: number) => ringBursts(line, [1000, 4000], missedAt - 12_000, 2);

const runUntil = (events: CoreEvent[], until: number, config = office()) => {
  const out = [...replay(config, events, { indications: true, until })];
  return {
    decisions: out.filter((x): x is Decision => x.type !== 'indicate'),
    commands: out.filter((x): x is Command => x.type === 'indicate'),
  };
};

describe('callbacks owed for missed calls', () => {
  it('a miss on Friday at 17:30 is owed by the desk that should have answered and falls due on Monday at close', () => {
    const missedAt = local('2026-11-20T17:30:00');
    const mondayClose = local('2026-11-23T17:30:00');
    const { decisions, commands } = runUntil(missedCallAt('L', missedAt), local('2026-11-24T09:00:00'));
    expect(ofType(decisions, 'missed')).toEqual([{ t: missedAt, type: 'missed', line: 'L', rings: 2, waitMs: 6000, desk: 'd1' }]);
    expect(ofType(decisions, 'callback-owed')).toEqual([
      { t: missedAt, type: 'callback-owed', line: 'L', missedAt, desk: 'd1', dueAt: mondayClose },
    ]);
    // Nothing over the weekend; overdue exactly at Monday's close, and d1 shows the reminder from then on.
    expect(ofType(decisions, 'callback-overdue')).toEqual([
      { t: mondayClose, type: 'callback-overdue', line: 'L', missedAt, desk: 'd1', dueAt: mondayClose },
    ]);
    expect(commands.filter((c) => c.desk === 'd1').at(-1)).toMatchObject({ t: mondayClose, alert: 'callback', led: { color: 'amber', pattern: 'solid' } });
  });

  it('counts only opening hours: a miss on Tuesday at 10:00 falls due on Wednesday at 10:00', () => {
    const missedAt = local('2026-11-24T10:00:00');
    const { decisions } = runUntil(missedCallAt('L', missedAt), missedAt + 1000);
    expect(ofType(decisions, 'callback-owed')[0]!.dueAt).toBe(local('2026-11-25T10:00:00'));
  });

  it('skips holidays and keeps local time across a DST change', () => {
    const christmasEve = local('2026-12-24T17:45:00'); // Thursday; Friday 25th is a holiday
    const dst = local('2026-03-27T12:00:00'); // Friday; clocks go forward on Sunday the 29th
    const { decisions } = runUntil([...missedCallAt('L', christmasEve)], christmasEve + 1000);
    expect(ofType(decisions, 'callback-owed')[0]!.dueAt).toBe(local('2026-12-28T17:30:00'));
    const spring = runUntil(missedCallAt('L', dst), dst + 1000).decisions;
    // 5.5 h left on Friday, 3 h on Monday (CEST, UTC+2 by then).
    expect(ofType(spring, 'callback-owed')[0]!.dueAt).toBe(local('2026-03-30T12:00:00'));
    expect(new Date(ofType(spring, 'callback-owed')[0]!.dueAt).toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });

  it('an outgoing call on the line returns its oldest callback; an overdue one takes the reminder off the desk', () => {
    const first = local('2026-11-20T17:30:00');
    const second = local('2026-11-20T17:31:00');
    const dial = local('2026-11-24T08:30:00');
    const events: CoreEvent[] = [
      ...missedCallAt('L', first),
      ...missedCallAt('L', second),
      { t: dial, type: 'hook', desk: 'd2', line: 'L', state: 'off' },
      { t: dial + 60_000, type: 'hook', desk: 'd2', state: 'on' },
    ];
    const { decisions, commands } = runUntil(events, dial + 120_000);
    expect(ofType(decisions, 'callback-overdue').map((d) => d.missedAt)).toEqual([first, second]);
    expect(ofType(decisions, 'callback-closed')).toEqual([
      { t: dial, type: 'callback-closed', line: 'L', missedAt: first, desk: 'd2', by: 'outgoing', overdue: true },
    ]);
    expect(ofType(decisions, 'ended')).toEqual([{ t: dial + 60_000, type: 'ended', line: 'L', durationMs: 60_000 }]);
    // d1 still owes the second callback, so it keeps its reminder.
    expect(commands.filter((c) => c.desk === 'd1' && c.t >= dial)).toEqual([]);
  });

  it('an ack at the desk returns its oldest callback, but not while a call rings for it', () => {
    const missedAt = local('2026-11-24T10:00:00');
    const ringing = missedAt + 60_000;
    const events: CoreEvent[] = [
      ...missedCallAt('L', missedAt),
      ...ringBursts('L', [1000, 4000], ringing, 1),
      { t: ringing + 2000, type: 'ack', desk: 'd1' },
      { t: ringing + 3000, type: 'hook', desk: 'd1', state: 'off' },
      { t: ringing + 30_000, type: 'hook', desk: 'd1', state: 'on' },
      { t: ringing + 40_000, type: 'ack', desk: 'd1' },
      { t: ringing + 50_000, type: 'ack', desk: 'd1' },
    ];
    const config = office();
    const replayed = replay(config, events);
    let next = replayed.next();
    const decisions: Decision[] = [];
    while (!next.done) {
      decisions.push(next.value as Decision);
      next = replayed.next();
    }
    expect(ofType(decisions, 'callback-closed')).toEqual([
      { t: ringing + 40_000, type: 'callback-closed', line: 'L', missedAt, desk: 'd1', by: 'ack', overdue: false },
    ]);
    expect(next.value.ignoredEvents).toBe(1); // the second ack: nothing left to return
    expect(next.value.openCallbacks.size).toBe(0);
  });

  it('with nobody assigned, the desk nearest the phone owes the callback', () => {
    const missedAt = local('2026-11-24T10:00:00');
    const events: CoreEvent[] = [
      { t: missedAt - 20_000, type: 'presence', desk: 'd1', state: 'away' },
      { t: missedAt - 20_000, type: 'presence', desk: 'd2', state: 'away' },
      ...missedCallAt('L', missedAt),
    ];
    const { decisions } = runUntil(events, missedAt + 1000);
    expect(ofType(decisions, 'missed')[0]).not.toHaveProperty('desk');
    expect(ofType(decisions, 'callback-owed')[0]!.desk).toBe('d1');
  });
});

describe('many callbacks', () => {
  it('returned ones are cleared out of the due list, and the rest still fall due in order', () => {
    const config = office();
    const start = local('2026-11-24T09:00:00');
    const events: CoreEvent[] = [];
    for (let i = 0; i < 2100; i++) events.push(...ringBursts('L', [1000, 4000], start + i * 14_000, 1));
    // d1 returns all but the last 100 (each ack returns its oldest), after every miss happened.
    const acksAt = start + 2100 * 14_000;
    for (let i = 0; i < 2000; i++) events.push({ t: acksAt + i, type: 'ack', desk: 'd1' });
    const run = replay(config, events, { until: local('2026-11-27T09:00:00') });
    const decisions: Decision[] = [];
    let next = run.next();
    for (; !next.done; next = run.next()) decisions.push(next.value as Decision);
    const owed = ofType(decisions, 'callback-owed');
    expect(owed).toHaveLength(2100);
    expect(ofType(decisions, 'callback-closed')).toHaveLength(2000);
    const overdue = ofType(decisions, 'callback-overdue');
    expect(overdue.map((d) => d.missedAt)).toEqual(owed.slice(2000).map((d) => d.missedAt));
    expect(overdue.map((d) => d.t)).toEqual(owed.slice(2000).map((d) => d.dueAt));
    expect(next.value.callbacksComingDue.items.length).toBeLessThan(1200); // cleared, not 2100
  });

  it('returned out of order (by line), they are cleared out too', () => {
    const config = office();
    const start = local('2026-11-24T09:00:00');
    const events: CoreEvent[] = [];
    // Alternate misses on L and M; then M's 1,050 are returned by dialling out on M, L's stay owed.
    for (let i = 0; i < 2100; i++) events.push(...ringBursts(i % 2 ? 'M' : 'L', [1000, 4000], start + i * 14_000, 1));
    let t = start + 2100 * 14_000;
    for (let i = 0; i < 1050; i++, t += 10) {
      events.push({ t, type: 'hook', line: 'M', state: 'off' }, { t: t + 5, type: 'hook', line: 'M', state: 'on' });
    }
    const run = replay(config, events, { until: t + 1000 });
    let next = run.next();
    while (!next.done) next = run.next();
    expect(next.value.openCallbacks.size).toBe(1050);
    expect(next.value.callbacksComingDue.items.length).toBeLessThan(1100);
  });
});
