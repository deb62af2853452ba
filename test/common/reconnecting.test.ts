import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reconnecting } from '../../src/common/reconnecting.js';

describe('Reconnecting', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('opens at start, reopens after doubling delays, starts over once the device answered, and stops for good', () => {
    const opened: number[] = [];
    const link = new Reconnecting(() => opened.push(Date.now()), { minMs: 100, maxMs: 300 });
    const t0 = Date.now();
    link.start();
    expect(opened).toEqual([t0]);
    for (const delay of [100, 200, 300, 300]) {
      expect(link.lost()).toBe(true);
      vi.advanceTimersByTime(delay - 1);
      const before = opened.length;
      vi.advanceTimersByTime(1);
      expect(opened.length).toBe(before + 1);
    }
    link.answered();
    link.lost();
    vi.advanceTimersByTime(100);
    expect(opened.map((t) => t - t0)).toEqual([0, 100, 300, 600, 900, 1000]);

    link.lost();
    link.stop();
    vi.advanceTimersByTime(10_000);
    expect(opened).toHaveLength(6);
    expect(link.lost()).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(opened).toHaveLength(6);
  });

  it('a second loss before the retry schedules one attempt, not two', () => {
    let opens = 0;
    const link = new Reconnecting(() => opens++, { minMs: 100, maxMs: 1000 });
    link.start();
    link.lost();
    link.lost();
    vi.advanceTimersByTime(1000);
    expect(opens).toBe(2);
  });
});
