import { Backoff } from './backoff.js';

/**
 * Keeps a device's connection coming back: opens it on start(), and after every loss opens it again after a
 * delay that doubles (Backoff) until the device answers. What a loss means (offline events, wording) stays with
 * the device; this only schedules the next attempt.
 */
export class Reconnecting {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(
    private readonly open: () => void,
    delays: { minMs: number; maxMs: number },
  ) {
    this.backoff = new Backoff(delays.minMs, delays.maxMs);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** The device answered: the next loss is retried after the shortest delay again. */
  answered(): void {
    this.backoff.reset();
  }

  /** The connection failed or closed: opens it again later. False once stopped (nothing is scheduled then). */
  lost(): boolean {
    if (this.stopped) return false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, this.backoff.next());
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
