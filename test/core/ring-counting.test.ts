import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NATIONAL_CADENCES } from '../../src/core/index.js';
import { coreConfig, ofType, ringBursts, run } from '../helpers.js';

const oneLine = (cadence: string) =>
  coreConfig(`
site: t
desks: [{ id: d1, at: [0, 0] }]
lines: [{ id: L, phone: { at: [1, 0] }, cadence: ${cadence} }]
`);

const countries = Object.entries(NATIONAL_CADENCES);

describe('ring counting', () => {
  it('counts a GB double burst as one ring, not two', () => {
    const rings = ofType(run(oneLine('gb'), ringBursts('L', [400, 200, 400, 2000], 0, 3)), 'ring');
    expect(rings.map((r) => [r.t, r.ring])).toEqual([[0, 1], [3000, 2], [6000, 3]]);
  });

  it('counts NL rings at 0, 5 and 10 s', () => {
    const rings = ofType(run(oneLine('nl'), ringBursts('L', [1000, 4000], 0, 3)), 'ring');
    expect(rings.map((r) => [r.t, r.ring])).toEqual([[0, 1], [5000, 2], [10000, 3]]);
  });

  it.each(countries)('%s: known and auto cadence count every ring, with ±20 %% jitter on every segment', (code, { pattern }) => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.8, max: 1.2, noNaN: true }), { minLength: 40, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (factors, count) => {
        const events = ringBursts('L', pattern, 1000, count, (i) => factors[i % factors.length]!);
        for (const cadence of [code.toLowerCase(), 'auto']) {
          const decisions = run(oneLine(cadence), events);
          expect(ofType(decisions, 'ring').map((r) => r.ring)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
          expect(ofType(decisions, 'missed')).toEqual([expect.objectContaining({ rings: count })]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('ends a call as missed once the silence outlasts one ring period plus a margin', () => {
    const decisions = run(oneLine('nl'), ringBursts('L', [1000, 4000], 0, 2));
    // last burst ends at 6000; NL period 5000 + 1000 margin → missed at 12000
    expect(ofType(decisions, 'missed')).toEqual([{ t: 12000, type: 'missed', line: 'L', rings: 2, waitMs: 6000, desk: 'd1' }]);
  });

  it('starts a new call (ring 1) after a missed one', () => {
    const events = [...ringBursts('L', [1000, 4000], 0, 1), ...ringBursts('L', [1000, 4000], 30000, 2)];
    const rings = ofType(run(oneLine('nl'), events), 'ring');
    expect(rings.map((r) => r.ring)).toEqual([1, 1, 2]);
  });

  it('treats a burst broken by a dropout as the same ring', () => {
    const events = [
      { t: 0, type: 'ring', line: 'L', state: 'on' },
      { t: 400, type: 'ring', line: 'L', state: 'off' },
      { t: 600, type: 'ring', line: 'L', state: 'on' },
      { t: 1000, type: 'ring', line: 'L', state: 'off' },
      { t: 5000, type: 'ring', line: 'L', state: 'on' },
      { t: 6000, type: 'ring', line: 'L', state: 'off' },
    ] as const;
    expect(ofType(run(oneLine('nl'), [...events]), 'ring').map((r) => r.ring)).toEqual([1, 2]);
  });
});

describe('answered on time', () => {
  const nl = oneLine('nl');
  const answerAt = (t: number) => [
    ...ringBursts('L', [1000, 4000], 0, 3).filter((e) => e.t < t),
    { t, type: 'hook' as const, line: 'L', state: 'off' as const },
  ];

  it('NL: answered at 9.5 s (before ring 3 begins at 10 s) is on time', () => {
    expect(ofType(run(nl, answerAt(9500)), 'answered')).toEqual([
      { t: 9500, type: 'answered', line: 'L', rings: 2, waitMs: 9500, onTime: true },
    ]);
  });

  it('NL: answered at 10.2 s (ring 3 began) is late', () => {
    expect(ofType(run(nl, answerAt(10200)), 'answered')).toEqual([
      { t: 10200, type: 'answered', line: 'L', rings: 3, waitMs: 10200, onTime: false },
    ]);
  });

  it('answerBy 4 makes ring 3 still on time', () => {
    const config = coreConfig(`
site: t
desks: [{ id: d1, at: [0, 0] }]
lines: [{ id: L, phone: { at: [1, 0] }, cadence: nl }]
rules: { answerBy: 4 }
`);
    expect(ofType(run(config, answerAt(10200)), 'answered')[0]?.onTime).toBe(true);
  });

  it('an answered call is not also missed, and bursts after pick-up are ignored', () => {
    const events = [...answerAt(3000), { t: 5000, type: 'ring' as const, line: 'L', state: 'on' as const }];
    const decisions = run(nl, events);
    expect(ofType(decisions, 'missed')).toEqual([]);
    expect(ofType(decisions, 'ring').map((r) => r.ring)).toEqual([1]);
  });
});

describe('auto cadence beyond the national table', () => {
  // Cadences of the family `auto` promises: bursts 0.3–2.5 s, ring period 3–7 s; multi-burst rings with short
  // silences (0.15–0.8 s) whose bursts start within 1.9 s, and a long silence (≥ 1.25 s) before the next ring.
  const singleBurst = fc
    .record({ on: fc.integer({ min: 300, max: 2500 }), period: fc.integer({ min: 3000, max: 7000 }) })
    .map(({ on, period }) => [on, period - on]);
  const multiBurst = fc
    .record({
      bursts: fc.array(fc.record({ on: fc.integer({ min: 300, max: 1000 }), gap: fc.integer({ min: 150, max: 800 }) }), { minLength: 2, maxLength: 3 }),
      period: fc.integer({ min: 3000, max: 7000 }),
    })
    .filter(({ bursts, period }) => {
      const lastStart = bursts.slice(0, -1).reduce((sum, b) => sum + b.on + b.gap, 0);
      const used = lastStart + bursts.at(-1)!.on;
      return lastStart <= 1900 && period - used >= 1250;
    })
    .map(({ bursts, period }) => {
      const pattern = bursts.flatMap((b, i) => [b.on, i === bursts.length - 1 ? 0 : b.gap]);
      pattern[pattern.length - 1] = period - pattern.slice(0, -1).reduce((a, b) => a + b, 0);
      return pattern;
    });

  it('counts rings of any such cadence with ±20 % jitter', () => {
    fc.assert(
      fc.property(
        fc.oneof(singleBurst, multiBurst),
        fc.array(fc.double({ min: 0.8, max: 1.2, noNaN: true }), { minLength: 48, maxLength: 48 }),
        fc.integer({ min: 1, max: 6 }),
        (pattern, factors, count) => {
          const events = ringBursts('L', pattern, 0, count, (i) => factors[i % factors.length]!);
          const rings = ofType(run(oneLine('auto'), events), 'ring').map((r) => r.ring);
          expect(rings, `cadence ${pattern.join('/')}`).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
      { numRuns: 500 },
    );
  });
});
