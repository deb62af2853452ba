import type { RingTiming } from './cadence.js';

/** Where one ringing call is in its cadence. */
export interface RingProgress {
  rings: number;
  firstBurstAt: number;
  ringStartedAt: number;
  burstOn: boolean;
  lastEdgeAt: number;
  /** Start-to-start time of the last two rings, once two were heard. */
  observedPeriodMs: number | null;
}

export function firstBurst(t: number): RingProgress {
  return { rings: 1, firstBurstAt: t, ringStartedAt: t, burstOn: true, lastEdgeAt: t, observedPeriodMs: null };
}

/** A burst began; returns true when it starts a new ring (the ring number is then `progress.rings`). */
export function burstStarted(progress: RingProgress, t: number, timing: RingTiming): boolean {
  const wasOn = progress.burstOn;
  const silence = t - progress.lastEdgeAt;
  progress.burstOn = true;
  progress.lastEdgeAt = t;
  if (wasOn || !timing.startsNewRing(t - progress.ringStartedAt, silence)) return false;
  progress.observedPeriodMs = t - progress.ringStartedAt;
  progress.ringStartedAt = t;
  progress.rings += 1;
  return true;
}

export function burstEnded(progress: RingProgress, t: number): void {
  progress.burstOn = false;
  progress.lastEdgeAt = t;
}

/** When silence since the last burst means nobody is calling any more; null while a burst is on. */
export function missDeadline(progress: RingProgress, timing: RingTiming): number | null {
  if (progress.burstOn) return null;
  return progress.lastEdgeAt + timing.missSilenceMs(progress.observedPeriodMs);
}
