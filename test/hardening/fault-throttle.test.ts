import { describe, expect, it } from 'vitest';
import { FaultThrottle, quoteUntrusted } from '../../src/common/fault-throttle.js';

describe('FaultThrottle', () => {
  it('reports each reason at most once per interval with its running count', () => {
    const throttle = new FaultThrottle(1000);
    expect([0, 10, 999, 1000, 1500, 2001].map((t) => throttle.count('bad-line', t))).toEqual([1, null, null, 4, null, 6]);
  });

  it('never holds more than 64 reasons: past that, new ones are counted together as "other"', () => {
    const throttle = new FaultThrottle(1000);
    for (let i = 0; i < 64; i++) expect(throttle.count(`reason-${i}`, 0)).toBe(1);
    // The 65th and every later new reason share one entry: its count runs on, its reports are throttled.
    expect(throttle.count('reason-64', 0)).toBe(1);
    expect(throttle.count('reason-65', 0)).toBeNull();
    for (let i = 66; i < 100_000; i++) throttle.count(`reason-${i}`, 0);
    expect(throttle.count(`reason-${Math.random()}`, 1000)).toBe(100_000 - 64 + 1);
    // Reasons seen before the table filled keep their own entry.
    expect(throttle.count('reason-3', 1000)).toBe(2);
  });

  it('quotes a sender\'s words, cut to a length', () => {
    expect(quoteUntrusted('anna')).toBe('"anna"');
    expect(quoteUntrusted('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
    expect(quoteUntrusted('a"b\nc')).toBe('"a\\"b\\nc"');
  });
});
