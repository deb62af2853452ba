import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDeskIndex, kNearest, nearestWithTies, withinRadius } from '../../src/core/desk-index.js';
import type { Point } from '../../src/core/index.js';

// Floors from a few metres to a whole building, desks sometimes on a 1 m grid so that ties and cell edges occur.
const scene = fc.oneof(fc.constant(8), fc.constant(60), fc.constant(200)).chain((size) => {
  const coordinate = fc.oneof(fc.double({ min: -size / 4, max: size, noNaN: true }), fc.integer({ min: 0, max: size }));
  const point = fc.tuple(coordinate, coordinate) as fc.Arbitrary<Point>;
  return fc.record({
    desks: fc.array(point, { minLength: 1, maxLength: 300, size: 'max' }),
    phones: fc.array(point, { minLength: 1, maxLength: 3 }),
    availableSeed: fc.integer(),
    count: fc.integer({ min: 1, max: 8 }),
  });
});

/** The obvious answer: every desk, its distance to the nearest phone, sorted. */
function bruteForce(desks: Point[], phones: Point[], accept: (n: number) => boolean) {
  return desks
    .map(([x, y], desk) => ({ desk, distance: Math.min(...phones.map(([px, py]) => Math.sqrt((x - px) ** 2 + (y - py) ** 2))) }))
    .filter((c) => accept(c.desk))
    .sort((a, b) => a.distance - b.distance || a.desk - b.desk);
}

const acceptEvery = (seed: number) => (n: number) => ((n * 2654435761 + seed) >>> 0) % 3 !== 0;

describe('desk index agrees with a scan of every desk', () => {
  it('nearest with ties', () => {
    fc.assert(
      fc.property(scene, ({ desks, phones, availableSeed }) => {
        const accept = acceptEvery(availableSeed);
        const expected = bruteForce(desks, phones, accept);
        const bound = expected.length ? expected[0]!.distance + 0.5 : 0;
        const got = nearestWithTies(buildDeskIndex(desks), phones, accept, 0.5);
        expect(got.map((c) => c.desk)).toEqual(expected.filter((c) => c.distance <= bound).map((c) => c.desk));
      }),
      { numRuns: 300 },
    );
  });

  it('k nearest', () => {
    fc.assert(
      fc.property(scene, ({ desks, phones, availableSeed, count }) => {
        const accept = acceptEvery(availableSeed);
        const got = kNearest(buildDeskIndex(desks), phones, accept, count);
        expect(got.map((c) => c.desk)).toEqual(bruteForce(desks, phones, accept).slice(0, count).map((c) => c.desk));
      }),
      { numRuns: 300 },
    );
  });

  it('within a radius', () => {
    fc.assert(
      fc.property(scene, fc.double({ min: 0, max: 60, noNaN: true }), ({ desks, phones, availableSeed }, radius) => {
        const accept = acceptEvery(availableSeed);
        const got = withinRadius(buildDeskIndex(desks), phones, accept, radius);
        expect(got.map((c) => c.desk)).toEqual(bruteForce(desks, phones, accept).filter((c) => c.distance <= radius).map((c) => c.desk));
      }),
      { numRuns: 300 },
    );
  });

  it('finds nothing when no desk is acceptable', () => {
    const index = buildDeskIndex([[0, 0], [5, 5]]);
    expect(nearestWithTies(index, [[1, 1]], () => false, 0.5)).toEqual([]);
  });
});
