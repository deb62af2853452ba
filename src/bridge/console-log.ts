import type { DeviceEvent } from '../devices/device-events.js';
import type { Bridge, Feature } from './bridge.js';
import type { Decision } from './core/index.js';
import { describeDecision, subjectOf } from './format.js';

/** Writes decisions and device events to a stream: JSON Lines with an ISO `ts`, or lines a person reads. */
export class ConsoleLog implements Feature {
  readonly name = 'console-log';
  private readonly onDecision = (d: Decision) => this.write(d, `${subjectOf(d)}  ${describeDecision(d, this.bridge.config.timezone)}`, d.t);
  private readonly onDevice = (e: DeviceEvent) => this.write(e, describeDeviceEvent(e), this.bridge.clock.now());

  constructor(
    private readonly bridge: Bridge,
    private readonly out: (line: string) => void,
    private readonly json: boolean,
  ) {}

  start(): void {
    this.bridge.on('decision', this.onDecision);
    this.bridge.on('device', this.onDevice);
  }

  stop(): void {
    this.bridge.off('decision', this.onDecision);
    this.bridge.off('device', this.onDevice);
  }

  private write(item: object, text: string, t: number): void {
    const ts = new Date(t).toISOString();
    this.out(this.json ? JSON.stringify({ ...item, ts }) : `${ts}  ${text}`);
  }
}

export function describeDeviceEvent(event: DeviceEvent): string {
  if (event.type === 'fault') return `${event.family} ${event.device}: ${event.reason} ${event.detail} (${event.count} so far)`;
  if (event.state === 'online') return `${event.family} ${event.device}: online${event.detail ? ` (${event.detail})` : ''}`;
  return `${event.family} ${event.device}: OFFLINE — ${event.reason}${event.lines ? `; calls on ${event.lines.join(', ')} were ringing` : ''}`;
}
