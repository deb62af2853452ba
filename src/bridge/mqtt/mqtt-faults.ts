import { FaultThrottle } from '../../common/fault-throttle.js';
import type { MqttConnection } from './connection.js';
import type { LogPump } from './log-pump.js';

/** Why an inbound message was dropped: one of a few words, never a sender's. */
export type DropKind = 'unknown-desk' | 'desk-action' | 'desk-availability' | 'request';

/** The MQTT side's faults, into the ring log as `{"type":"fault","family":"mqtt",…}` entries. */
export class MqttFaults {
  private readonly throttle = new FaultThrottle();
  /** A broker that stays away makes the client fail every second: log that once a minute. */
  private readonly connectionThrottle = new FaultThrottle(60_000);

  constructor(
    private readonly connection: MqttConnection,
    private readonly log: LogPump,
  ) {}

  report(reason: string, detail: string, throttle = this.throttle): void {
    const { clock } = this.connection.bridge;
    const count = throttle.count(reason, clock.now());
    if (count === null) return;
    this.log.queue({ type: 'fault', family: 'mqtt', device: 'bridge', reason, detail, count }, clock.now());
  }

  connectionFailed(detail: string): void {
    this.report('broker-connection', detail, this.connectionThrottle);
  }

  /** Counted, and logged at most once a second per kind. */
  drop(kind: DropKind, detail: string): void {
    this.connection.counters.inboundDropped++;
    this.report(`bad-message:${kind}`, detail);
  }
}
