// The agent's MQTT side: its account, last will, subscriptions, reconnect with backoff, its actions out.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Backoff } from '../common/backoff.js';
import { deskUnitUser, topicsFor } from '../bridge/mqtt/topics.js';
import type { DeskConfig } from './config.js';

/** What a desk sends on desk/<id>/action (README "MQTT"). */
export type DeskAction =
  | { action: 'present' | 'away' | 'ack' | 'hold' | 'resume' | 'cover' }
  | { action: 'hook'; state: 'off' | 'on'; line?: string };

export interface DeskLinkEvents {
  connected: [];
  disconnected: [reason: string];
  /** A message on one of the desk's topics, by which. */
  message: [kind: 'set' | 'state' | 'bridge', payload: Buffer];
  error: [message: string];
}

const RECONNECT = { minMs: 500, maxMs: 30_000 };

/** Connection settings for the desk's account: credentials and TLS files, no will or session. */
export function deskClientOptions(config: DeskConfig, password: string | undefined): IClientOptions {
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const { broker } = config;
  return {
    protocolVersion: 4,
    username: deskUnitUser(config.desk),
    ...(password !== undefined ? { password } : {}),
    ...(broker.ca ? { ca: file(broker.ca) } : {}),
    ...(broker.cert ? { cert: file(broker.cert) } : {}),
    ...(broker.key ? { key: file(broker.key) } : {}),
    rejectUnauthorized: broker.rejectUnauthorized,
    connectTimeout: 5000,
  };
}

/** `thirdring-desk-<desk>`: one per desk, so a second agent for the same desk takes over from the first. */
export const agentClientId = (desk: string) => `thirdring-desk-${desk}`;

export class DeskLink extends EventEmitter<DeskLinkEvents> {
  client: MqttClient | null = null;
  private readonly topics;
  private readonly backoff = new Backoff(RECONNECT.minMs, RECONNECT.maxMs);
  private wasConnected = false;

  constructor(
    private readonly config: DeskConfig,
    private readonly password: string | undefined,
    private readonly clientId = agentClientId(config.desk),
  ) {
    super();
    this.topics = topicsFor(config.site);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const { desk } = this.config;
    const availability = this.topics.deskAvailability(desk);
    const client = mqtt.connect(this.config.broker.url, {
      ...deskClientOptions(this.config, this.password),
      clientId: this.clientId,
      clean: true,
      keepalive: this.config.broker.keepaliveSeconds,
      reconnectPeriod: RECONNECT.minMs,
      will: { topic: availability, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.backoff.reset();
      client.options.reconnectPeriod = RECONNECT.minMs;
      this.wasConnected = true;
      (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
      client.publish(availability, 'online', { qos: 1, retain: true });
      // bridge/state first: its retained "offline" must arrive before a stale retained "answer now".
      client.subscribe([this.topics.bridgeState, this.topics.deskSet(desk), this.topics.desk(desk)], { qos: 1 }, (error, granted) => {
        if (error) return this.emit('error', `subscribe failed: ${error.message}`);
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0) this.emit('error', `the broker refused ${refused.join(', ')} to ${deskUnitUser(desk)} (check its ACL)`);
      });
      this.emit('connected');
    });
    // Before mqtt.js's own close listener, which schedules the next attempt with this period.
    client.prependListener('close', () => {
      client.options.reconnectPeriod = this.backoff.next();
      if (this.wasConnected) this.emit('disconnected', 'connection closed');
      this.wasConnected = false;
    });
    client.on('error', (error) => this.emit('error', error.message));
    client.on('message', (topic, payload) => {
      if (topic === this.topics.deskSet(desk)) this.emit('message', 'set', payload);
      else if (topic === this.topics.desk(desk)) this.emit('message', 'state', payload);
      else if (topic === this.topics.bridgeState) this.emit('message', 'bridge', payload);
    });
  }

  /** Sent at once when connected; while the broker is away an action is dropped (it would be stale later). */
  publish(action: DeskAction): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    client.publish(this.topics.deskAction(this.config.desk), JSON.stringify(action), { qos: 1 });
    return true;
  }

  /** Says offline (what the will would say) and leaves; gives up after 2 s on a silent broker. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (client.connected) {
      await Promise.race([
        new Promise<void>((resolve) => client.publish(this.topics.deskAvailability(this.config.desk), 'offline', { qos: 1, retain: true }, () => resolve())),
        new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
      ]);
    }
    await client.endAsync(true);
  }
}
