import type { MqttConnection, MqttPart } from './connection.js';
import { Outbox } from './outbox.js';

/** How many log messages may await the broker's acknowledgement at once. */
const LOG_WINDOW = 64;

export type LogEntry = { readonly type: string; readonly [field: string]: unknown };

/**
 * The ring log on `log`: every entry goes into the on-disk outbox first and out at QoS 1, at most LOG_WINDOW
 * unacknowledged at a time; the outbox forgets an entry once the broker has it, and what was not acknowledged
 * goes out again after a reconnect.
 */
export class LogPump implements MqttPart {
  outbox: Outbox | null = null;
  private sentUpTo = 0;
  private inflight = 0;
  private open = false;

  constructor(private readonly connection: MqttConnection) {}

  /** Before anything else starts: a refused broker client is logged from the first moment. */
  openOutbox(path: string, maxMessages: number): void {
    this.outbox = new Outbox(path, maxMessages);
  }

  start(): void {
    // The log backlog left in the outbox waits until every feature has started: with the embedded broker
    // (no sessions across restarts) an embedded recorder must be subscribed before it goes out, or miss it.
    this.connection.bridge.listen(this, 'started', () => {
      this.open = true;
      this.pump();
    });
    this.connection.client!.on('connect', () => this.pump());
  }

  stop(): void {
    this.connection.bridge.unlisten(this);
  }

  /** After the client has left: acknowledgements arriving until then still mark entries delivered. */
  closeOutbox(): void {
    this.outbox?.close();
    this.outbox = null;
  }

  /** One entry, with an ISO `ts`, the site, the outbox stream id and a sequence number. */
  queue(entry: LogEntry, t: number): void {
    const { bridge, topics, counters } = this.connection;
    const site = bridge.config.site;
    const payload = (seq: number) => JSON.stringify({ ...entry, ts: new Date(t).toISOString(), site, stream: this.outbox!.stream, seq });
    // Fault reports are the first to go when the outbox is full: a flood of them must not push out a call.
    this.outbox?.push(topics.log, payload, { droppable: entry.type === 'fault' });
    counters.logQueued++;
    this.pump();
  }

  private pump(): void {
    const { outbox } = this;
    const { client, counters } = this.connection;
    // A disconnecting client fails a publish at once, in its callback: pumping again from there would never end.
    if (!client?.connected || client.disconnecting || !outbox || !this.open) return;
    while (this.inflight < LOG_WINDOW) {
      const batch = outbox.next(this.sentUpTo, LOG_WINDOW - this.inflight);
      if (batch.length === 0) return;
      for (const message of batch) {
        this.sentUpTo = message.seq;
        this.inflight++;
        client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
          this.inflight--;
          if (error) {
            // Not acknowledged: send it (and what followed) again once connected.
            this.sentUpTo = Math.min(this.sentUpTo, message.seq - 1);
          } else {
            outbox.delivered(message.seq);
            counters.logDelivered++;
          }
          if (this.outbox === outbox) this.pump();
        });
      }
    }
  }
}
