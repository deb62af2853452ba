import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { hostname } from 'node:os';
import { FaultThrottle } from '../../common/fault-throttle.js';
import { parseLogPayload, type IngestResult, type StoredEntry } from '../store/ring-log-store.js';
import { quoteUntrusted } from '../../common/fault-throttle.js';
import { deferAcks, sendAcks, type PendingAck } from './deferred-acks.js';
import { leaveBroker } from '../mqtt/leave-broker.js';
import { Backoff } from '../../common/backoff.js';

/** Where recorded entries go: SQLite (RingLogStore, synchronous), PostgreSQL (PgRingLogStore), or a stand-in in tests. */
export interface EntryStore {
  ingest(entries: readonly StoredEntry[]): IngestResult | Promise<IngestResult>;
  close(): void | Promise<void>;
}

export interface RecorderOptions {
  url: string;
  /** Owned by the recorder from now on: closed by stop(). */
  store: EntryStore;
  /** Record one site; default: every site on the broker. */
  site?: string;
  /** The broker keeps this client's session; default thirdring-recorder-<site or all>-<hostname>. */
  clientId?: string;
  /** Credentials and TLS files (see brokerConnection). */
  connect?: IClientOptions;
  /** Connection changes and faults, for a person (each kind at most once a minute). Default: stderr. */
  report?: (message: string) => void;
}

/** Entries per transaction at most; a batch is usually what arrived in one turn of the event loop. */
const BATCH_MAX = 1000;
const RECONNECT_MS = 2000;
const STORE_RETRY_MS = 1000;
const STORE_RETRY_MAX_MS = 30_000;
/** Streams whose highest stored seq is remembered (for storedUpTo); the oldest is forgotten first. */
const STORED_SEQ_MAX = 1024;
/**
 * A session the broker ends this soon after the subscription, with no error, is short. Two clients with one
 * client id take the session from each other: each is closed about RECONNECT_MS after it got it, when the other
 * reconnects. A session that lasts this long is steady again.
 */
const SHORT_SESSION_MS = 10_000;
/** Short sessions in a row that are said to be another client with our client id (one is a broker restart). */
const SHORT_SESSIONS_SAID = 2;

/**
 * Records the ring log (`thirdring/<site>/log`, QoS 1) into the store. A persistent session (clean: false and a
 * stable client id) makes the broker keep what is published while the recorder is away. Entries are stored in
 * batches, and a message is acknowledged only after its batch is committed, so nothing acknowledged is ever lost;
 * what arrives twice (redelivery after a lost PUBACK, or the bridge's outbox sending again) is stored once.
 */
export class Recorder {
  readonly topic: string;
  readonly clientId: string;
  readonly counters = { received: 0, stored: 0, duplicates: 0, conflicts: 0, malformed: 0 };
  /** performance.now() when the first message arrived and when the last batch was committed. */
  readonly timing: { firstReceived: number | null; lastStored: number | null } = { firstReceived: null, lastStored: null };
  /** Resolves once the subscription is in place (the first time). */
  readonly ready: Promise<void>;
  client: MqttClient | null = null;

  private pending: { entry: StoredEntry | null; ack: PendingAck | null }[] = [];
  private flushQueued = false;
  private storeRetry: NodeJS.Timeout | null = null;
  private readonly storeBackoff = new Backoff(STORE_RETRY_MS, STORE_RETRY_MAX_MS);
  /** Batches that failed in a row; after a failure, the first commit says storing works again. */
  private storeFailures = 0;
  /** An asynchronous store's transaction in progress: one at a time, so PUBACKs go out in arrival order. */
  private storing: Promise<void> | null = null;
  private connected = false;
  private stopped = false;
  /** The connection is said to be up ("recording ..."): said at the first subscription and again after a loss was said. */
  private announced = false;
  /** The current session: when its subscription was in place, and whether the connection reported an error since. */
  private subscribedAt: number | null = null;
  private sessionError = false;
  private shortSessions = 0;
  /** Another client with our id was said to take the session; connection changes are not said until it is steady again. */
  private contested = false;
  private steadyTimer: NodeJS.Timeout | null = null;
  private markReady: () => void = () => {};
  private readonly faults = new FaultThrottle(60_000);
  /** site + stream → the highest seq stored. */
  private readonly storedSeq = new Map<string, number>();
  private readonly report: (message: string) => void;

  constructor(private readonly options: RecorderOptions) {
    this.topic = `thirdring/${options.site ?? '+'}/log`;
    this.clientId = options.clientId ?? `thirdring-recorder-${options.site ?? 'all'}-${hostname()}`;
    this.report = options.report ?? ((message) => process.stderr.write(`thirdring recorder: ${message}\n`));
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  start(): void {
    const client = mqtt.connect(this.options.url, {
      ...this.options.connect,
      clientId: this.clientId,
      protocolVersion: 4,
      clean: false,
      resubscribe: false,
      reconnectPeriod: RECONNECT_MS,
      connectTimeout: 5000,
    });
    this.client = client;
    deferAcks(client, (packet, ack) => this.onPublish(packet, ack));
    client.on('connect', (connack) => this.onConnect(client, connack.sessionPresent));
    client.on('close', () => this.onClose());
    client.on('error', (error) => {
      // The broker could not be reached, or the connection broke: not another client taking the session.
      this.sessionError = true;
      this.shortSessions = 0;
      this.fault('broker', `cannot reach the broker ${this.options.url}: ${error.message}; retrying every ${RECONNECT_MS / 1000} s`);
    });
  }

  /** Stores what has arrived, then leaves the broker (the session stays) and closes the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.storeRetry) clearTimeout(this.storeRetry);
    this.storeRetry = null;
    if (this.steadyTimer) clearTimeout(this.steadyTimer);
    this.steadyTimer = null;
    await this.drain();
    const unstored = this.pending.filter((p) => p.entry).length;
    if (unstored > 0) this.report(`${unstored} entries could not be stored; the broker keeps them for ${this.clientId}'s next run`);
    this.pending = [];
    // Not connected (yet), there is nothing to finish; and mqtt.js ended while waiting for CONNACK (unforced)
    // keeps the socket open, so the process would not exit.
    if (this.client) await leaveBroker(this.client);
    this.client = null;
    await this.options.store.close();
  }

  /** Stores what is pending, batch after batch, until done or the store fails (once: stopping does not wait it out). */
  private async drain(): Promise<void> {
    const failures = this.storeFailures;
    for (;;) {
      if (this.storing) await this.storing;
      if (this.storeFailures > failures) return;
      const before = this.pending.length;
      this.flush();
      if (this.storing) continue;
      if (this.pending.length === 0 || this.pending.length === before) return;
    }
  }

  /** The highest seq stored from this bridge's outbox stream (0: none yet). */
  storedUpTo(site: string, stream: string): number {
    return this.storedSeq.get(`${site}/${stream}`) ?? 0;
  }

  private onConnect(client: MqttClient, sessionPresent: boolean): void {
    this.connected = true;
    this.subscribedAt = null;
    this.sessionError = false;
    // Taken over, the session stays on the broker; a broker that forgot it was restarted (or is a new one).
    if (!sessionPresent) this.shortSessions = 0;
    client.subscribe(this.topic, { qos: 1 }, (error, granted) => {
      if (error || granted?.[0]?.qos === 128) return this.fault('subscribe', `the broker refused the subscription to ${this.topic}${error ? `: ${error.message}` : ''}`);
      if (this.stopped || !this.connected) return;
      this.subscribedAt = performance.now();
      if (this.steadyTimer) clearTimeout(this.steadyTimer);
      this.steadyTimer = setTimeout(() => this.onSteady(), SHORT_SESSION_MS).unref();
      if (!this.announced && !this.contested) this.report(`recording ${this.topic} from ${this.options.url} as ${this.clientId}`);
      this.announced = true;
      this.markReady();
    });
  }

  /**
   * The connection closed. A broker that ends a session soon after it began, again and again, without any error
   * and keeping the session, is handing it to another client with the same client id (MQTT 3.1.1 says nothing
   * when it does): said once, instead of a "lost the broker" every time, until a session lasts again. (A broker
   * that keeps sessions on disk and is restarted twice within seconds looks the same.)
   */
  private onClose(): void {
    if (!this.connected || this.stopped) return;
    this.connected = false;
    if (this.steadyTimer) clearTimeout(this.steadyTimer);
    this.steadyTimer = null;
    const short = this.subscribedAt !== null && !this.sessionError && performance.now() - this.subscribedAt < SHORT_SESSION_MS;
    this.shortSessions = short ? this.shortSessions + 1 : 0;
    this.subscribedAt = null;
    if (this.contested) return;
    if (this.shortSessions >= SHORT_SESSIONS_SAID) {
      this.contested = true;
      this.report(
        `another recorder with client id ${this.clientId} seems to be running (the broker keeps handing the session between them): ` +
          'stop one, or give each its own --client-id',
      );
      return;
    }
    this.announced = false;
    this.report(`lost the broker ${this.options.url}; reconnecting every ${RECONNECT_MS / 1000} s`);
  }

  /** The session has lasted SHORT_SESSION_MS: whatever took it before has stopped. */
  private onSteady(): void {
    this.steadyTimer = null;
    this.shortSessions = 0;
    if (!this.contested) return;
    this.contested = false;
    this.report(`the session is steady again: recording ${this.topic} from ${this.options.url} as ${this.clientId}`);
  }

  private onPublish(packet: IPublishPacket, ack: PendingAck | null): void {
    // Not stored, not acknowledged: the broker delivers it again on the next run.
    if (this.stopped) return;
    this.timing.firstReceived ??= performance.now();
    this.counters.received++;
    const parsed = parseLogPayload(packet.payload);
    const topicSite = packet.topic.split('/')[1];
    let entry: StoredEntry | null = null;
    if (!parsed.ok) this.malformed(packet.topic, parsed.error);
    else if (parsed.entry.site !== topicSite) this.malformed(packet.topic, `site "${parsed.entry.site}" in the entry does not match the topic`);
    else entry = parsed.entry;
    // Malformed messages are acknowledged with the batch too (never stored): sending them again would not help.
    this.pending.push({ entry, ack });
    if (this.pending.length >= BATCH_MAX) return this.flush();
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /**
   * One transaction for what is pending (at most BATCH_MAX), then the PUBACKs. If the store fails, nothing is
   * acknowledged: the batch is tried again after a backoff, and the broker keeps sending no more than its window.
   */
  private flush(): void {
    if (this.pending.length === 0 || this.storeRetry || this.storing) return;
    const batch = this.pending.slice(0, BATCH_MAX);
    const entries = batch.flatMap((p) => (p.entry ? [p.entry] : []));
    let result: IngestResult | Promise<IngestResult>;
    try {
      result = entries.length > 0 ? this.options.store.ingest(entries) : { inserted: 0, duplicates: 0, conflicts: [] };
    } catch (error) {
      return this.storeFailed(error as Error);
    }
    if (!(result instanceof Promise)) return this.stored(batch, entries, result);
    this.storing = result.then(
      (done) => ((this.storing = null), this.stored(batch, entries, done)),
      (error: Error) => ((this.storing = null), this.storeFailed(error)),
    );
  }

  private stored(batch: typeof this.pending, entries: StoredEntry[], { inserted, duplicates, conflicts, rejected = [] }: IngestResult): void {
    this.counters.stored += inserted;
    this.counters.duplicates += duplicates;
    this.counters.conflicts += conflicts.length;
    for (const c of conflicts) {
      this.fault(
        'conflict',
        `two different entries for ${quoteUntrusted(c.site, 40)} stream ${quoteUntrusted(c.stream, 40)} seq ${c.seq}: kept the first; ` +
          `something other than the bridge publishes on thirdring/${c.site}/log — only the bridge's account may (docs/mosquitto.md)`,
      );
    }
    for (const { entry, why } of rejected) this.malformed(`thirdring/${quoteUntrusted(entry.site, 40)}/log`, why);
    const kept = rejected.length ? entries.filter((e) => !rejected.some((r) => r.entry === e)) : entries;
    for (const { site, stream, seq } of kept) {
      const key = `${site}/${stream}`;
      if (seq <= (this.storedSeq.get(key) ?? 0)) continue;
      // Streams are named by the publisher: remember a bounded number, the least recently stored forgotten first.
      if (!this.storedSeq.delete(key) && this.storedSeq.size >= STORED_SEQ_MAX) this.storedSeq.delete(this.storedSeq.keys().next().value!);
      this.storedSeq.set(key, seq);
    }
    if (this.storeFailures > 0) this.report(`storing entries again (after ${this.storeFailures} failed attempt${this.storeFailures === 1 ? '' : 's'}; nothing was lost)`);
    this.storeFailures = 0;
    this.storeBackoff.reset();
    this.pending.splice(0, batch.length);
    this.timing.lastStored = performance.now();
    if (this.client) sendAcks(this.client, batch.flatMap((p) => (p.ack ? [p.ack] : [])));
    if (this.pending.length > 0) this.flush();
  }

  private storeFailed(error: Error): void {
    this.storeFailures++;
    const delay = this.storeBackoff.next();
    this.fault('store', `cannot store entries: ${error.message}; trying again in ${delay / 1000} s (nothing is acknowledged until stored: the broker keeps them)`);
    if (!this.stopped) this.storeRetry = setTimeout(() => ((this.storeRetry = null), this.flush()), delay);
  }

  private malformed(topic: string, why: string): void {
    this.counters.malformed++;
    this.fault('malformed', `ignored a malformed entry on ${topic}: ${why}`);
  }

  private fault(kind: string, message: string): void {
    const count = this.faults.count(kind, Date.now());
    if (count !== null) this.report(count > 1 ? `${message} (${count} so far)` : message);
  }
}
