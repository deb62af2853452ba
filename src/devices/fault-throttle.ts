/**
 * Faults are counted every time but reported at most once per interval per reason, so a noisy device or a
 * misbehaving client cannot flood the log; each report carries the running count.
 */
export class FaultThrottle {
  private readonly lastReport = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly intervalMs = 1000) {}

  /** Counts the fault; returns its running count if it should be reported now, else null. */
  count(reason: string, now: number): number | null {
    const count = (this.counts.get(reason) ?? 0) + 1;
    this.counts.set(reason, count);
    const last = this.lastReport.get(reason);
    if (last !== undefined && now - last < this.intervalMs) return null;
    this.lastReport.set(reason, now);
    return count;
  }
}
