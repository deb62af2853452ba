import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { join } from 'node:path';
import type { DeviceEvent } from '../../common/device-events.js';
import { FaultThrottle, quoteUntrusted } from '../../common/fault-throttle.js';
import type { Bridge, Feature } from '../bridge.js';
import { type Command, type CoreEvent, type Decision } from '../../core/index.js';
import { accessPolicy, BRIDGE_CLIENT_ID_PREFIX } from './broker-access.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { discoveryMessages } from './home-assistant.js';
import { availabilitySchema, deskActionInput, deskActionSchema, describeZodError, parseJson } from './inbound.js';
import { answerRequest } from './requests.js';
import { refusal } from './refusal.js';
import { brokerConnection } from './broker-connection.js';
import { Outbox } from './outbox.js';
import { decisionView, describeDeskAction, describeDeviceEvent } from '../wording.js';
import { leaveBroker } from './leave-broker.js';
import { isCommandInput, levelsBelow, topicsFor } from './topics.js';

/** How many log messages may await the broker's acknowledgement at once. */
const LOG_WINDOW = 64;
/** Clearing echoes remembered at most; beyond that an echo is counted as an empty (invalid) input. */
const MAX_CLEARING = 64;

export interface MqttFeatureOptions {
  /** Defaults to <dataDir>/outbox.sqlite */
  outboxPath?: string;
  clientId?: string;
}

/**
 * The bridge on MQTT: the embedded broker (or a connection to an external one), retained line and desk state,
 * desk unit commands, the ring log (store-and-forward through the on-disk outbox), desk unit input and the
 * small request/response API. Malformed input is dropped, counted and logged, never fatal.
 */
export class MqttFeature implements Feature {
  readonly name = 'mqtt';
  readonly counters = { inboundDropped: 0, retainedInputsCleared: 0, brokerRefused: 0, logQueued: 0, logDelivered: 0 };
  broker: EmbeddedBroker | null = null;
  client: MqttClient | null = null;
  outbox: Outbox | null = null;

  private readonly topics;
  private readonly faults = new FaultThrottle();
  /** A broker that stays away makes the client fail every second: log that once a minute. */
  private readonly connectionFaults = new FaultThrottle(60_000);
  private sentUpTo = 0;
  private inflight = 0;
  private readonly unitAvailability = new Map<string, string>();
  /** Topics of retained inputs being cleared: the empty message comes back to us once (bounded, see MAX_CLEARING). */
  private readonly clearing = new Set<string>();

  constructor(
    private readonly bridge: Bridge,
    private readonly options: MqttFeatureOptions = {},
  ) {
    this.topics = topicsFor(bridge.config.site);
  }

  async start(): Promise<void> {
    const { config } = this.bridge;
    const settings = config.mqtt;
    this.outbox = new Outbox(this.options.outboxPath ?? join(config.dataDir, 'outbox.sqlite'), settings.outbox.maxMessages);
    let url = settings.url;
    if (url === 'embedded') {
      const policy = accessPolicy({
        site: config.site,
        ...(settings.username && settings.password ? { admin: { username: settings.username, password: settings.password } } : {}),
        readers: settings.readers,
        deskUnits: config.desks.flatMap((d) => (d.unit ? [{ desk: d.id, password: d.unit.password }] : [])),
      });
      this.broker = await startEmbeddedBroker({
        host: settings.host,
        port: settings.port,
        wsPort: settings.wsPort,
        policy,
        onRefused: ({ reason, detail }) => {
          this.counters.brokerRefused++;
          this.fault(`broker-refused:${reason}`, detail);
        },
      }).catch((error: unknown) => {
        this.outbox?.close();
        this.outbox = null;
        throw error;
      });
      url = this.broker.url;
    }
    this.bridge.on('decision', this.onDecision);
    this.bridge.on('indicate', this.onIndicate);
    this.bridge.on('device', this.onDevice);
    this.bridge.on('input', this.onInput);
    this.bridge.on('deskAction', this.onDeskAction);
    // The log backlog left in the outbox waits until every feature has started: with the embedded broker
    // (no sessions across restarts) an embedded recorder must be subscribed before it goes out, or miss it.
    this.bridge.once('started', this.openLog);
    this.client = mqtt.connect(url, this.clientOptions());
    this.client.on('connect', () => this.onConnect());
    this.client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet.retain));
    this.client.on('error', (error) => this.fault('broker-connection', error.message, this.connectionFaults));
    if (this.broker) await new Promise<void>((resolve) => this.client!.once('connect', () => resolve()));
  }

  async stop(): Promise<void> {
    for (const run of this.pending.splice(0)) run();
    this.bridge.off('decision', this.onDecision);
    this.bridge.off('indicate', this.onIndicate);
    this.bridge.off('device', this.onDevice);
    this.bridge.off('input', this.onInput);
    this.bridge.off('deskAction', this.onDeskAction);
    this.bridge.off('started', this.openLog);
    const client = this.client;
    if (client) await leaveBroker(client, { topic: this.topics.bridgeState, payload: 'offline', retain: true });
    await this.broker?.close();
    this.outbox?.close();
    this.client = this.broker = this.outbox = null;
  }

  private clientOptions(): IClientOptions {
    const { mqtt: settings, site } = this.bridge.config;
    return {
      clientId: this.options.clientId ?? `${BRIDGE_CLIENT_ID_PREFIX}${site}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      will: { topic: this.topics.bridgeState, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...brokerConnection(settings).options,
      // On the embedded broker the bridge has an account of its own, which alone may use its client id.
      ...(this.broker ? this.broker.bridgeLogin : {}),
    };
  }

  private onConnect(): void {
    const client = this.client!;
    // Desk commands are small and urgent: no Nagle delay on the bridge's own socket either.
    (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
    client.publish(this.topics.bridgeState, 'online', { qos: 1, retain: true });
    client.subscribe(this.topics.inbound, { qos: 1 });
    // Retained state may be gone (a broker restart): publish all of it again.
    for (const line of this.bridge.config.lines) this.publishLine(line.id);
    for (const desk of this.bridge.config.desks) {
      this.publishDesk(desk.id);
      this.publishDeskSet(desk.id);
    }
    if (this.bridge.config.mqtt.homeAssistant.enabled) {
      for (const { topic, payload } of discoveryMessages(this.bridge.config, this.topics)) client.publish(topic, payload, { qos: 1, retain: true });
    }
    this.pumpLog();
  }

  // The desk command goes out at once; logging and state topics follow right after (same order, next turn of
  // the event loop), so the LED does not wait for the disk.
  private readonly onDecision = (decision: Decision) =>
    this.afterCommands(() => {
      const { subject, text } = decisionView(decision, this.bridge.config.timezone);
      this.queueLog({ ...decision, subject, text }, decision.t);
      if ('line' in decision) this.publishLine(decision.line);
      // Cover, schedules and callbacks change a desk's retained state even when its light stays the same.
      if (decision.type === 'takeover') this.publishDesk(decision.from);
      if ('desk' in decision && decision.desk !== undefined && decision.type !== 'assign') this.publishDesk(decision.desk);
    });

  private readonly onIndicate = (command: Command) => {
    this.publishDeskSet(command.desk, command);
    this.afterCommands(() => this.publishDesk(command.desk));
  };

  private readonly pending: (() => void)[] = [];

  /** Resolves once what the decisions made so far queue (log entries, state publishes) has been done. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.afterCommands(resolve));
  }

  /**
   * Work that must not stand before a desk command: run two turns of the event loop later. One is not enough with
   * the embedded broker — aedes writes a QoS 1 message to its subscribers from a setImmediate of its own, queued
   * after ours (behind its retained-message store), so our outbox write and state publishes would go first.
   */
  private afterCommands(work: () => void): void {
    if (this.pending.push(work) > 1) return;
    setImmediate(() =>
      setImmediate(() => {
        for (const run of this.pending.splice(0)) run();
      }),
    );
  }

  private readonly onDeskAction = (action: { desk: string; action: 'ack'; line: string | null }) =>
    this.queueLog({ type: 'desk-action', ...action, text: describeDeskAction(action) }, this.bridge.clock.now());

  private readonly onDevice = (event: DeviceEvent) => this.queueLog({ ...event, text: describeDeviceEvent(event) }, this.bridge.clock.now());

  /** Every input goes into the log too (`{"type":"input","event":{…}}`), so a recorded day can be replayed. */
  private readonly onInput = ({ t, ...event }: CoreEvent) =>
    this.afterCommands(() => {
      this.queueLog({ t, type: 'input', event }, t);
      if ('desk' in event && event.desk !== undefined) this.publishDesk(event.desk);
    });

  private publishLine(line: string): void {
    if (!this.client?.connected) return;
    this.client.publish(this.topics.line(line), JSON.stringify(this.bridge.lineStatus(line)), { qos: 0, retain: true });
  }

  private publishDesk(desk: string): void {
    if (!this.client?.connected) return;
    const status = { ...this.bridge.deskStatus(desk), unit: this.unitAvailability.get(desk) ?? null };
    this.client.publish(this.topics.desk(desk), JSON.stringify(status), { qos: 0, retain: true });
  }

  /**
   * Retained, so a desk unit that (re)connects shows the current state at once. With the embedded broker the
   * command is handed to the broker directly: the LED does not wait for a loopback hop through our own client.
   */
  private publishDeskSet(desk: string, shown: Pick<Command, 'led' | 'buzzer'> = this.bridge.deskStatus(desk)): void {
    const payload = JSON.stringify({ led: shown.led, buzzer: shown.buzzer });
    if (this.broker) return this.broker.publish(this.topics.deskSet(desk), payload, { qos: 1, retain: true });
    const client = this.client;
    if (!client?.connected) return;
    client.publish(this.topics.deskSet(desk), payload, { qos: 1, retain: true });
    // mqtt-packet corks the socket and uncorks it on the next tick, so the command would wait for everything else
    // this turn does (the decisions' handlers, console output). Send it now; the later uncork finds nothing to do.
    const stream = client.stream as { writableCorked?: number; uncork?: () => void };
    while ((stream.writableCorked ?? 0) > 0) stream.uncork!();
  }

  /** Every decision and device event, with an ISO `ts`, the site, the outbox stream id and a sequence number, via the outbox. */
  private queueLog(entry: { readonly type: string; readonly [field: string]: unknown }, t: number): void {
    const site = this.bridge.config.site;
    const payload = (seq: number) => JSON.stringify({ ...entry, ts: new Date(t).toISOString(), site, stream: this.outbox!.stream, seq });
    // Fault reports are the first to go when the outbox is full: a flood of them must not push out a call.
    this.outbox?.push(this.topics.log, payload, { droppable: entry.type === 'fault' });
    this.counters.logQueued++;
    this.pumpLog();
  }

  private logOpen = false;
  private readonly openLog = () => {
    this.logOpen = true;
    this.pumpLog();
  };

  private pumpLog(): void {
    const { client, outbox } = this;
    if (!client?.connected || !outbox || !this.logOpen) return;
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
            this.counters.logDelivered++;
          }
          if (this.outbox === outbox) this.pumpLog();
        });
      }
    }
  }

  private onMessage(topic: string, payload: Buffer, retained: boolean): void {
    const rest = levelsBelow(this.topics.base, topic);
    if (!rest) return;
    // A retained action or request would be done again at every start and reconnect: ignore it, and clear it
    // (an empty retained message deletes it). Retained availability is how desk units report, and is kept.
    if (retained && isCommandInput(rest)) return this.clearRetainedInput(topic, payload);
    if (payload.length === 0 && this.clearing.delete(topic)) return; // our own clearing, coming back
    if (rest[0] === 'desk' && rest.length === 3) return this.onDeskMessage(rest[1]!, rest[2]!, payload);
    if (rest[0] === 'bridge' && rest[1] === 'request' && rest.length === 3) return this.onRequest(rest[2]!, payload);
  }

  private clearRetainedInput(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    this.counters.retainedInputsCleared++;
    if (this.clearing.size < MAX_CLEARING) this.clearing.add(topic);
    this.client?.publish(topic, '', { qos: 1, retain: true });
    this.fault('retained-input', `ignored and cleared a retained message on ${quoteUntrusted(topic)}: inputs must not be retained`);
  }

  private onDeskMessage(desk: string, kind: string, payload: Buffer): void {
    if (!this.bridge.hasDesk(desk)) return this.drop('unknown-desk', `desk/${quoteUntrusted(desk, 40)}/${quoteUntrusted(kind, 20)}: no such desk`);
    if (kind === 'availability') {
      const state = availabilitySchema.safeParse(payload.toString('utf8'));
      if (!state.success) return this.drop('desk-availability', `desk/${desk}/availability: expected online or offline`);
      this.unitAvailability.set(desk, state.data);
      this.bridge.reportDevice(
        state.data === 'online'
          ? { type: 'device', family: 'desk-unit', device: desk, state: 'online' }
          : { type: 'device', family: 'desk-unit', device: desk, state: 'offline', reason: 'desk unit disconnected' },
      );
      return this.publishDesk(desk);
    }
    if (kind !== 'action') return;
    const json = parseJson(payload);
    if (!json.ok) return this.drop('desk-action', `desk/${desk}/action: ${json.error}`);
    const action = deskActionSchema.safeParse(json.value);
    if (!action.success) return this.drop('desk-action', `desk/${desk}/action: ${describeZodError(action.error)}`);
    const input = deskActionInput(desk, action.data);
    if (input === 'ack') return this.bridge.reportDeskAction(desk, this.bridge.deskStatus(desk).alertLine);
    if (input === 'cover') return void this.bridge.toggleCover(desk, 'desk-unit');
    if (typeof input === 'string') return this.drop('desk-action', `desk/${desk}/action: ${input}`);
    if (input.type === 'takeover' && !this.bridge.hasDesk(input.from)) {
      return this.drop('desk-action', `desk/${desk}/action: from: unknown desk ${quoteUntrusted(input.from, 40)}`);
    }
    const { ignored } = this.bridge.input(input);
    if (ignored === 'own-desk') this.drop('desk-action', `desk/${desk}/action: from: ${refusal(ignored, {})}`);
  }

  private onRequest(command: string, payload: Buffer): void {
    const json = parseJson(payload);
    const respond = (body: object): void => void this.client?.publish(this.topics.response(command), JSON.stringify(body), { qos: 1 });
    if (!json.ok) {
      this.drop('request', `bridge/request/${quoteUntrusted(command, 40)}: ${json.error}`);
      return respond({ ok: false, error: json.error });
    }
    const answer = answerRequest(this.bridge, command, json.value, () => ({
      outbox: { queued: this.outbox?.length ?? 0, dropped: this.outbox?.dropped ?? 0, droppedFaults: this.outbox?.droppedFaults ?? 0 },
      counters: this.counters,
    }));
    if (answer.invalid !== null) this.drop('request', `bridge/request/${quoteUntrusted(command, 40)}: ${answer.invalid}`);
    respond(answer.body);
  }

  /** Counted, and logged at most once a second per kind (`kind` is one of a few words, never a sender's). */
  private drop(kind: 'unknown-desk' | 'desk-action' | 'desk-availability' | 'request', detail: string): void {
    this.counters.inboundDropped++;
    this.fault(`bad-message:${kind}`, detail);
  }

  private fault(reason: string, detail: string, throttle = this.faults): void {
    const count = throttle.count(reason, this.bridge.clock.now());
    if (count === null) return;
    this.queueLog({ type: 'fault', family: 'mqtt', device: 'bridge', reason, detail, count }, this.bridge.clock.now());
  }
}
