/**
 * Maps the sensor's uptime (ms since its boot) to bridge time. Each line arrives some time after its edge;
 * the smallest recent delay (arrival − uptime) is the best estimate of the clock offset, and a sliding window
 * lets the estimate follow crystal drift. A mapped time is never later than the line's arrival.
 */
export class UptimeMap {
  private readonly offsets: number[] = [];

  constructor(private readonly window = 32) {}

  toBridgeTime(sensorMs: number, arrivedAt: number): number {
    this.offsets.push(arrivedAt - sensorMs);
    if (this.offsets.length > this.window) this.offsets.shift();
    return Math.min(arrivedAt, sensorMs + Math.min(...this.offsets));
  }

  /** The sensor rebooted: its uptime starts again from zero. */
  reset(): void {
    this.offsets.length = 0;
  }
}
