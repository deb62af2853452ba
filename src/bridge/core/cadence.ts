import { NATIONAL_CADENCES } from './national-cadences.js';

/** A line's cadence: the national on/off pattern in ms, or `auto` when the country is not known. */
export type Cadence = readonly number[] | 'auto';

/**
 * How bursts become rings on one line. A ring is one period of the cadence: the bursts that start within
 * `newRingAfterMs` of the current ring's first burst belong to it (a UK double burst is one ring).
 */
export interface RingTiming {
  newRingAfterMs: number;
  /** Silence after the last burst that means the caller gave up; `observedPeriodMs` is the measured ring period, if any. */
  missSilenceMs(observedPeriodMs: number | null): number;
}

/** Cadences are trusted to ±20 % (real exchanges and sensors drift). */
export const JITTER = 0.2;
const MISS_MARGIN_MS = 1000;

// `auto` covers national cadences with bursts of 0.3–2.5 s, silences of 0.15–6 s and a ring period of 3–7 s:
// a ring's bursts all start within 0.72 s (a double ring, +20 %), and the next ring starts at least 2.4 s
// (3 s, −20 %) after it, so a boundary at 1.5 s has room on both sides.
const AUTO_NEW_RING_AFTER_MS = 1500;
const AUTO_LONGEST_SILENCE_MS = 6000;

export function cadenceFor(code: string): readonly number[] | undefined {
  return NATIONAL_CADENCES[code.toUpperCase()]?.pattern;
}

export function ringTiming(cadence: Cadence): RingTiming {
  if (cadence === 'auto') {
    const longest = AUTO_LONGEST_SILENCE_MS * (1 + JITTER) + MISS_MARGIN_MS;
    return {
      newRingAfterMs: AUTO_NEW_RING_AFTER_MS,
      missSilenceMs: (observed) =>
        observed === null ? longest : Math.min(longest, observed * (1 + JITTER) + MISS_MARGIN_MS),
    };
  }
  const period = cadence.reduce((sum, ms) => sum + ms, 0);
  let lastBurstOffset = 0;
  let elapsed = 0;
  cadence.forEach((ms, i) => {
    if (i % 2 === 0) lastBurstOffset = elapsed;
    elapsed += ms;
  });
  const longestSilence = Math.max(...cadence.filter((_, i) => i % 2 === 1), 0);
  const missSilenceMs = Math.max(period, longestSilence * (1 + JITTER)) + MISS_MARGIN_MS;
  return {
    newRingAfterMs: (lastBurstOffset + period) / 2,
    missSilenceMs: () => missSilenceMs,
  };
}
