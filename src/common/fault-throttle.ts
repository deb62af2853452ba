/** Reasons past this many share one entry: a reason is meant to be one of a handful, never a sender's word. */
const MAX_REASONS = 64;
export const OTHER_REASONS = 'other';

/**
 * Faults are counted every time but reported at most once per interval per reason, so a noisy device or a
 * misbehaving client cannot flood the log; each report carries the running count. Callers pass reasons from a
 * fixed set (what went wrong), never text a sender chose (a desk name from a topic, a sensor's ERR code): that
 * goes into the detail. Even so the table is bounded: beyond MAX_REASONS, new reasons are counted as "other".
 */
export class FaultThrottle {
  private readonly reasons = new Map<string, { count: number; lastReport: number }>();

  constructor(private readonly intervalMs = 1000) {}

  /** Counts the fault; returns its running count if it should be reported now, else null. */
  count(reason: string, now: number): number | null {
    let entry = this.reasons.get(reason);
    if (!entry) {
      const key = this.reasons.size < MAX_REASONS ? reason : OTHER_REASONS;
      entry = this.reasons.get(key);
      if (!entry) this.reasons.set(key, (entry = { count: 0, lastReport: -Infinity }));
    }
    entry.count++;
    if (now - entry.lastReport < this.intervalMs) return null;
    entry.lastReport = now;
    return entry.count;
  }
}

/** Text a sender chose, cut to a length that fits a log line. */
export function quoteUntrusted(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
