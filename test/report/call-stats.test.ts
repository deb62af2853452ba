import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/bridge/report/call-stats.js';

describe('percentile (nearest rank)', () => {
  it('is the ⌈p·n⌉-th smallest value, whatever the order and repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 400 }), fc.constantFrom(0.5, 0.9, 0.99, 1), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        expect(percentile(values, p)).toBe(sorted[Math.ceil(p * values.length) - 1]);
      }),
    );
  });

  it('matches worked examples', () => {
    expect(percentile([4, 8, 12, 6, 16, 10, 2], 0.9)).toBe(16); // ⌈6.3⌉ = 7th
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90); // ⌈9⌉ = 9th
    expect(percentile([5], 0.9)).toBe(5);
  });
});
