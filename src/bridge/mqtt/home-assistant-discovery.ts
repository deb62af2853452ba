import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../core/index.js';
import { packageRoot } from '../../package-root.js';
import { TodayStats } from '../dashboard/today.js';
import type { MqttConnection, MqttPart } from './connection.js';
import { discoveryDevices, discoveryTopic, homeAssistantTopics, singleComponentTopics } from './home-assistant.js';

/** How long to wait, after subscribing, for the retained list of what was announced last time. */
const ANNOUNCED_WAIT_MS = 1000;
const OBJECT_ID = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Home Assistant discovery (mqtt.homeAssistant.enabled): the devices of home-assistant.ts, announced on connect
 * and again whenever Home Assistant's birth message (`online` on its status topic, homeassistant/status by
 * default) says it started; devices announced before but gone from the config get an empty retained config,
 * which removes them. Alongside: today's numbers, each line's last answer wait and an event per finished call.
 */
export class HomeAssistantDiscovery implements MqttPart {
  private readonly today: TodayStats;
  private version = '';
  /** Whether the list of what was announced before has been dealt with on this connection. */
  private reconciled = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly connection: MqttConnection) {
    const { config } = connection.bridge;
    this.today = new TodayStats(0, config.timezone);
  }

  private get settings() {
    return this.connection.bridge.config.mqtt.homeAssistant;
  }

  private get ha() {
    return homeAssistantTopics(this.connection.topics);
  }

  start(): void {
    if (!this.settings.enabled) return;
    this.version = packageVersion();
    const { client, bridge } = this.connection;
    client!.on('connect', () => this.connected());
    client!.on('message', (topic, payload) => {
      if (topic === this.settings.statusTopic && payload.toString() === 'online') this.announce();
      if (topic === this.ha.announced && !this.reconciled) this.reconcile(payload);
    });
    bridge.listen(this, 'decision', (decision) => this.decided(decision));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connection.bridge.unlisten(this);
  }

  private connected(): void {
    const client = this.connection.client!;
    this.reconciled = false;
    this.announce();
    this.publishToday();
    client.subscribe([this.settings.statusTopic, this.ha.announced], { qos: 1 }, () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reconciled || this.reconcile(null), ANNOUNCED_WAIT_MS);
    });
  }

  private announce(): void {
    const { client, topics } = this.connection;
    if (!client?.connected) return;
    for (const { objectId, payload } of discoveryDevices(this.connection.bridge.config, topics, this.version)) {
      client.publish(discoveryTopic(this.settings.prefix, objectId), payload, { qos: 1, retain: true });
    }
  }

  /** Removes what was announced before and is not in the config now; then says what is announced. */
  private reconcile(previous: Buffer | null): void {
    const client = this.connection.client;
    if (!client?.connected) return;
    this.reconciled = true;
    const { topics, bridge: { config } } = this.connection;
    const now = discoveryDevices(config, topics, this.version).map((d) => d.objectId);
    const before = previous === null ? null : parseAnnounced(previous, `thirdring_${config.site}`);
    const clear = (topic: string) => client.publish(topic, '', { qos: 1, retain: true });
    // No list: the first start with device-based discovery; clear the per-entity topics of before it.
    if (before === null) for (const topic of singleComponentTopics(config)) clear(topic);
    const current = new Set(now);
    for (const objectId of before ?? []) if (!current.has(objectId)) clear(discoveryTopic(this.settings.prefix, objectId));
    const list = JSON.stringify(now);
    if (previous?.toString() !== list) client.publish(this.ha.announced, list, { qos: 1, retain: true });
  }

  private decided(decision: Decision): void {
    this.today.addDecision(decision);
    if (decision.type === 'ring' && decision.ring === 1) return this.publishToday();
    if (decision.type !== 'answered' && decision.type !== 'missed') return;
    const client = this.connection.client;
    if (!client?.connected) return;
    const waitSeconds = Math.round(decision.waitMs / 100) / 10;
    const event = { event_type: decision.type, line: decision.line, rings: decision.rings, waitSeconds, desk: decision.desk ?? null };
    client.publish(this.ha.call, JSON.stringify(event), { qos: 1 });
    if (decision.type === 'answered') client.publish(this.ha.line(decision.line), JSON.stringify({ lastAnswerWaitSeconds: waitSeconds }), { qos: 1, retain: true });
    this.publishToday();
  }

  private publishToday(): void {
    const { serviceLevel, calls, answeredOnTime, answeredLate, missed } = this.today.summary(this.connection.bridge.clock.now());
    if (!this.connection.client?.connected) return;
    this.connection.client.publish(this.ha.today, JSON.stringify({ serviceLevel, calls, answeredOnTime, answeredLate, missed }), { qos: 1, retain: true });
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The object ids announced before: a retained message anyone with admin rights could have written, so checked. */
function parseAnnounced(payload: Buffer, prefix: string): string[] | null {
  try {
    const list: unknown = JSON.parse(payload.toString('utf8'));
    if (!Array.isArray(list)) return null;
    return list.filter((id): id is string => typeof id === 'string' && OBJECT_ID.test(id) && (id === prefix || id.startsWith(`${prefix}_`))).slice(0, 50_000);
  } catch {
    return null;
  }
}
