/**
 * At most one message per `minIntervalMs` to one Zigbee device: a mesh carries a few dozen messages a second in
 * all, and a light flooded with commands lags or drops them. A message asked for too soon waits; a newer one
 * replaces it (each is the device's whole wanted state), so a burst of changes costs one message, not many.
 */
export class DeviceThrottle {
  sent = 0;
  /** Messages replaced by a newer one before they went out. */
  coalesced = 0;
  /** The shortest gap between two messages sent, ms (Infinity before the second). */
  shortestGapMs = Infinity;
  private lastSent = -Infinity;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly minIntervalMs: number,
    private readonly publish: (payload: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  send(payload: string): void {
    if (this.pending !== null) this.coalesced++;
    this.pending = payload;
    const wait = this.lastSent + this.minIntervalMs - this.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    this.timer = null;
    const payload = this.pending;
    if (payload === null) return;
    this.pending = null;
    const now = this.now();
    this.shortestGapMs = Math.min(this.shortestGapMs, now - this.lastSent);
    this.lastSent = now;
    this.sent++;
    this.publish(payload);
  }
}
