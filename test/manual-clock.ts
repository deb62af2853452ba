import type { Clock } from '../src/bridge/core-runner.js';

/** A clock the test moves by hand; due wake-ups run as time passes them, in time order. */
export function manualClock(start = 0) {
  let now = start;
  let timers: { at: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    wakeAt(at, wake) {
      const timer = { at, wake };
      timers.push(timer);
      return () => void (timers = timers.filter((x) => x !== timer));
    },
  };
  const advanceTo = (t: number) => {
    for (;;) {
      const due = timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((x) => x !== due);
      now = Math.max(now, due.at);
      due.wake();
    }
    now = Math.max(now, t);
  };
  return { clock, advanceTo, advance: (ms: number) => advanceTo(now + ms), pending: () => timers.length };
}
