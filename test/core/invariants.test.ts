import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCoreState, NATIONAL_CADENCES, step, type CoreConfig, type CoreEvent, type Decision,
} from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { defaultEscalation } from '../../src/core/escalation.js';
import { DEFAULT_BUSINESS_HOURS } from '../../src/core/business-hours.js';

// Random offices and random days: calls with jittered national cadences, answered from a desk, from the line's
// phone, or not at all; people coming and going; desks making their own calls.

const cadences = Object.values(NATIONAL_CADENCES).map((c) => c.pattern);

const officeArb = fc
  .record({
    desks: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 25, size: 'max' }),
    lines: fc.array(
      fc.record({
        at: fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20 })),
        cadence: fc.oneof(fc.constantFrom(...cadences), fc.constant('auto' as const)),
      }),
      { minLength: 1, maxLength: 5, size: 'max' },
    ),
    answerBy: fc.integer({ min: 2, max: 4 }),
  })
  .map(({ desks, lines, answerBy }): CoreConfig => ({
    desks: desks.map((at, i) => ({ id: `d${i}`, at })),
    lines: lines.map(({ at, cadence }, i) => ({ id: `l${i}`, phones: [at], cadence, designated: false })),
    rules: { answerBy, tieMetres: 0.5, escalation: defaultEscalation(answerBy), holdCheckMs: 120_000, businessHours: DEFAULT_BUSINESS_HOURS, designated: null },
    timezone: 'UTC',
    schedules: [],
  }));

type Timed = CoreEvent & { order: number };

function dayArb(config: CoreConfig): fc.Arbitrary<CoreEvent[]> {
  const deskIds = config.desks.map((d) => d.id);
  const call = fc.record({
    line: fc.integer({ min: 0, max: config.lines.length - 1 }),
    start: fc.integer({ min: 0, max: 120_000 }),
    rings: fc.integer({ min: 1, max: 5 }),
    jitter: fc.double({ min: 0.85, max: 1.15, noNaN: true }),
    answer: fc.oneof(
      fc.constant(null),
      fc.record({ after: fc.integer({ min: 100, max: 25_000 }), by: fc.oneof(fc.constant(null), fc.constantFrom(...deskIds)) }),
    ),
    /** Put on hold this long after the answer (twice, to try a double hold), taken off after `length` (or never). */
    hold: fc.option(fc.record({ after: fc.integer({ min: 0, max: 19_000 }), length: fc.option(fc.integer({ min: 0, max: 300_000 })) })),
  });
  const deskEvent = fc.record({
    t: fc.integer({ min: 0, max: 150_000 }),
    desk: fc.constantFrom(...deskIds),
    kind: fc.constantFrom('present', 'away', 'off', 'on', 'hold', 'resume', 'ack', 'takeover', 'release'),
    other: fc.constantFrom(...deskIds),
  });
  return fc
    .tuple(fc.array(call, { maxLength: 12, size: 'max' }), fc.array(deskEvent, { maxLength: 30, size: 'max' }))
    .map(([calls, deskEvents]) => {
      const events: Timed[] = [];
      let order = 0;
      const push = (e: CoreEvent) => events.push({ ...e, order: order++ } as Timed);
      for (const c of calls) {
        const line = config.lines[c.line]!;
        const pattern = line.cadence === 'auto' ? [1000, 4000] : line.cadence;
        let t = c.start;
        const answerAt = c.answer ? c.start + c.answer.after : Infinity;
        for (let r = 0; r < c.rings && t < answerAt; r++) {
          for (let i = 0; i < pattern.length && t < answerAt; i += 2) {
            push({ t: Math.round(t), type: 'ring', line: line.id, state: 'on' });
            t = Math.min(t + pattern[i]! * c.jitter, answerAt);
            push({ t: Math.round(t), type: 'ring', line: line.id, state: 'off' });
            t += pattern[i + 1]! * c.jitter;
          }
        }
        if (c.answer && answerAt < t) {
          const by = c.answer.by;
          push(by ? { t: answerAt, type: 'hook', desk: by, state: 'off' } : { t: answerAt, type: 'hook', line: line.id, state: 'off' });
          if (c.hold) {
            const holdAt = answerAt + c.hold.after;
            push(by ? { t: holdAt, type: 'hold', desk: by, state: 'on' } : { t: holdAt, type: 'hold', line: line.id, state: 'on' });
            push({ t: holdAt + 1, type: 'hold', line: line.id, state: 'on' });
            if (c.hold.length !== null) push({ t: holdAt + 1 + c.hold.length, type: 'hold', line: line.id, state: 'off' });
          }
          push(by ? { t: answerAt + 20_000, type: 'hook', desk: by, state: 'on' } : { t: answerAt + 20_000, type: 'hook', line: line.id, state: 'on' });
        }
      }
      for (const d of deskEvents) push(deskEventOf(d));
      return events.sort((a, b) => a.t - b.t || a.order - b.order).map(({ order: _order, ...e }) => e as CoreEvent);
    });
}

function deskEventOf({ t, desk, kind, other }: { t: number; desk: string; kind: string; other: string }): CoreEvent {
  switch (kind) {
    case 'present':
    case 'away':
      return { t, type: 'presence', desk, state: kind };
    case 'hold':
    case 'resume':
      return { t, type: 'hold', desk, state: kind === 'hold' ? 'on' : 'off' };
    case 'ack':
      return { t, type: 'ack', desk };
    case 'takeover':
    case 'release':
      return { t, type: 'takeover', desk, from: other, state: kind === 'takeover' ? 'on' : 'off' };
    default:
      return { t, type: 'hook', desk, state: kind === 'off' ? 'off' : 'on' };
  }
}

const scenario = officeArb.chain((config) => dayArb(config).map((events) => ({ config, events })));

/** Runs the core step by step, checking the state after every step; returns every decision. */
function runChecked(config: CoreConfig, events: CoreEvent[]): Decision[] {
  const state = createCoreState(config);
  const decisions: Decision[] = [];
  let wakeAt: number | null = null;
  const feed = (event: CoreEvent) => {
    const result = step(state, event);
    decisions.push(...result.decisions);
    wakeAt = result.wakeAt;
    const assignedDesks = [...state.ringingCalls].map((c) => c.assigned).filter((d) => d !== null);
    expect(new Set(assignedDesks).size, 'a desk assigned to two ringing lines').toBe(assignedDesks.length);
    for (const desk of assignedDesks) {
      expect(desk.present && !desk.offHook && desk.coveredBy === null, `assigned desk ${desk.id} is away, on a call or covered`).toBe(true);
      expect(desk.assignedTo?.assigned).toBe(desk);
    }
    for (const line of state.lines) {
      if (line.heldSince !== null) expect(line.phase === 'answered' || line.phase === 'in-use', `${line.id} held while ${line.phase}`).toBe(true);
    }
    expect(state.presentDesks, 'the present-desk count').toBe(state.desks.filter((d) => d.present).length);
    for (const desk of state.desks) {
      expect(desk.overdueCallbacks).toBe(desk.callbacks.filter((c) => c.overdue).length);
      if (desk.coveredBy) expect(desk.coveredBy.coveredBy, 'a chain of cover').toBeNull();
    }
  };
  for (const event of events) {
    while (wakeAt !== null && wakeAt <= event.t) feed({ t: wakeAt, type: 'tick' });
    feed(event);
  }
  // Everyone hangs up at the end (a caller left on hold would be reminded about for ever), then every
  // remaining timer runs out: silences, callbacks falling due.
  const end = Math.max(state.now, 0) + 60_000;
  while (wakeAt !== null && wakeAt <= end) feed({ t: wakeAt, type: 'tick' });
  for (const desk of state.desks) if (desk.offHook) feed({ t: end, type: 'hook', desk: desk.id, state: 'on' });
  for (const line of state.lines) if (line.phase === 'answered' || line.phase === 'in-use') feed({ t: end, type: 'hook', line: line.id, state: 'on' });
  while (wakeAt !== null) feed({ t: wakeAt, type: 'tick' });
  expect(state.ringingCalls.size, 'calls still ringing after every burst ended').toBe(0);
  expect(state.desks.every((d) => d.nearbyClaims === 0 && d.everyoneClaims === 0)).toBe(true);
  expect(state.callsLightingEveryone).toBe(0);
  return decisions;
}

describe('core invariants over random days', () => {
  it('never double-assigns, counts rings by one, ends every call once, keeps time order', () => {
    fc.assert(
      fc.property(scenario, ({ config, events }) => {
        const decisions = runChecked(config, events);
        const lastRing = new Map<string, number>();
        const openCalls = new Set<string>();
        const owed: Decision[] = [];
        const closedOrOverdue = new Set<string>();
        const held = new Set<string>();
        let previousT = -Infinity;
        for (const d of decisions) {
          expect(d.t).toBeGreaterThanOrEqual(previousT);
          previousT = d.t;
          if (d.type === 'ring') {
            if (d.ring === 1) {
              expect(openCalls.has(d.line), `${d.line} started a call while one was ringing`).toBe(false);
              openCalls.add(d.line);
            } else {
              expect(d.ring).toBe((lastRing.get(d.line) ?? 0) + 1);
            }
            lastRing.set(d.line, d.ring);
          }
          if (d.type === 'answered' || d.type === 'missed') {
            expect(openCalls.delete(d.line), `${d.line} ended a call that was not ringing`).toBe(true);
            expect(d.rings).toBe(lastRing.get(d.line));
          }
          if (d.type === 'answered') expect(d.onTime).toBe(d.rings < config.rules.answerBy);
          if (d.type === 'missed') owed.push(d);
          if (d.type === 'callback-owed') expect(owed.shift()?.t, 'a callback for each miss, at the miss').toBe(d.missedAt);
          if (d.type === 'callback-closed' || d.type === 'callback-overdue') {
            const key = `${d.line}@${d.missedAt}`;
            expect(closedOrOverdue.has(`${d.type} ${key}`), `${d.type} twice for ${key}`).toBe(false);
            closedOrOverdue.add(`${d.type} ${key}`);
          }
          if (d.type === 'hold') {
            expect(held.has(d.line), `hold ${d.state} twice on ${d.line}`).toBe(d.state === 'off');
            if (d.state === 'on') held.add(d.line);
            else held.delete(d.line);
          }
        }
        expect([...openCalls]).toEqual([]);
        expect(owed).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('replays byte for byte the same', () => {
    fc.assert(
      fc.property(scenario, ({ config, events }) => {
        const once = [...replay(config, events, { indications: true })].map((d) => JSON.stringify(d)).join('\n');
        const twice = [...replay(config, structuredClone(events), { indications: true })].map((d) => JSON.stringify(d)).join('\n');
        expect(twice).toBe(once);
      }),
      { numRuns: 100 },
    );
  });
});
