import { NATIONAL_CADENCES } from './national-cadences.js';

/** A line's cadence: the national on/off pattern in ms, or `auto` when the country is not known. */
export type Cadence = readonly number[] | 'auto';

/**
 * How bursts become rings on one line. A ring is one period of the cadence, so the bursts of one period belong
 * to one ring (a UK double burst is one ring).
 */
export interface RingTiming {
  /** Whether a burst starting `sinceRingStartMs` after the current ring's first burst, after `silenceMs` of quiet, begins the next ring. */
  startsNewRing(sinceRingStartMs: number, silenceMs: number): boolean;
  /** Silence after the last burst that means the caller gave up; `observedPeriodMs` is the measured ring period, if any. */
  missSilenceMs(observedPeriodMs: number | null): number;
  /** A burst longer than this is not a ring: its ring-off was lost (noise, a sensor fault). */
  readonly stuckBurstMs: number;
}

/** Cadences are trusted to ±20 % (real exchanges and sensors drift). */
export const JITTER = 0.2;
const MISS_MARGIN_MS = 1000;

// `auto` knows no country. National cadences have bursts of 0.3–2.5 s and a ring period of 3–7 s; within a ring,
// bursts are separated by short silences (0.15–0.8 s) and start within ~1.9 s of the first; between rings the
// silence is long (≥ 1.25 s) or the ring period has passed. With ±20 % drift, a burst begins the next ring when
// the silence before it reached 1 s, or when 2.3 s have passed since the current ring began (a 3 s period −20 %
// is 2.4 s; a ring's last burst starts by 1.9 s +20 % ≈ 2.3 s).
const AUTO_LONG_SILENCE_MS = 1000;
const AUTO_MIN_PERIOD_MS = 2300;
const AUTO_LONGEST_SILENCE_MS = 6000;
const AUTO_LONGEST_BURST_MS = 2500;
/** A burst is stuck after three times the cadence's longest burst, and never before 5 s. */
const STUCK_BURSTS = 3;
const STUCK_MIN_MS = 5000;
const stuckAfter = (longestBurstMs: number) => Math.max(STUCK_MIN_MS, STUCK_BURSTS * longestBurstMs);

export function cadenceFor(code: string): readonly number[] | undefined {
  return NATIONAL_CADENCES[code.toUpperCase()]?.pattern;
}

export function ringTiming(cadence: Cadence): RingTiming {
  if (cadence === 'auto') {
    const longest = AUTO_LONGEST_SILENCE_MS * (1 + JITTER) + MISS_MARGIN_MS;
    // A period measured 20 % short may be followed by a silence 20 % long: allow 1.5 × the measured period.
    const measuredSlack = (1 + JITTER) / (1 - JITTER);
    return {
      startsNewRing: (sinceRingStart, silence) => silence >= AUTO_LONG_SILENCE_MS || sinceRingStart >= AUTO_MIN_PERIOD_MS,
      missSilenceMs: (observed) =>
        observed === null ? longest : Math.min(longest, observed * measuredSlack + MISS_MARGIN_MS),
      stuckBurstMs: stuckAfter(AUTO_LONGEST_BURST_MS),
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
  const longestBurst = Math.max(...cadence.filter((_, i) => i % 2 === 0));
  const missSilenceMs = Math.max(period, longestSilence * (1 + JITTER)) + MISS_MARGIN_MS;
  // Halfway between where the ring's last burst starts and where the next ring starts: ±20 % fits either side.
  const newRingAfterMs = (lastBurstOffset + period) / 2;
  return {
    startsNewRing: (sinceRingStart) => sinceRingStart >= newRingAfterMs,
    missSilenceMs: () => missSilenceMs,
    stuckBurstMs: stuckAfter(longestBurst),
  };
}
