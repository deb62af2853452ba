/** Where the shell and the drivers get time from: wall-clock ms in the bridge, scaled or virtual time in the simulator. */
export interface Clock {
  now(): number;
  /** Calls `wake` at (or soon after) `at`; returns a function that cancels it. */
  wakeAt(at: number, wake: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  wakeAt(at, wake) {
    const timer = setTimeout(wake, Math.max(0, at - Date.now()));
    return () => clearTimeout(timer);
  },
};
