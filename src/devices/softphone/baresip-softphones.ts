import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle, quoteUntrusted } from '../../common/fault-throttle.js';
import type { Cadence } from '../../core/cadence.js';
import { systemClock, type Clock } from '../../common/clock.js';
import { WholeRing } from '../whole-ring.js';
import { parseBaresipEvent } from './baresip-event.js';
import { SoftphoneCalls, type CallAction } from './softphone-calls.js';

/** One desk's baresip: its `mqtt_basetopic`, and which line a call on each of its accounts rings. */
export interface SoftphoneSpec {
  desk: string;
  baseTopic: string;
  lineFor(aor: string): string | null;
  /** Asked this often whether it is still there. */
  pingMs: number;
}

export interface BaresipSoftphonesOptions {
  url: string;
  connect: IClientOptions;
  clientId: string;
  phones: SoftphoneSpec[];
  cadence(line: string): Cadence;
  clock?: Clock;
}

/** Silent for this many ping intervals = gone. */
const MISSED_PINGS = 2.5;
// Any baresip long command is answered on command_resp (subscribe.c handle_command); menu's reginfo only prints.
const PING = JSON.stringify({ command: 'reginfo', token: 'thirdring-ping' });
const RECOVERY =
  "baresip's MQTT client never reconnects and has no last will: restart baresip at this desk (systemctl restart, or quit and start it), and check that the broker is up";

type Phone = SoftphoneSpec & {
  calls: SoftphoneCalls;
  state: 'unknown' | 'online' | 'offline';
  lastHeard: number;
  silences: number;
  cancelPing: () => void;
};

/**
 * The desks' baresip softphones on the bridge's broker (README "Softphones (baresip)"). Their call events become
 * ring bursts for the call's line (WholeRing: a line rings while any softphone rings with a call for it) and hook
 * events at the desk; each softphone is pinged through its command topic, since its MQTT client neither reconnects
 * nor leaves a will — one that stops answering is reported offline, with a fault that says how to recover.
 */
export class BaresipSoftphones extends EventEmitter<{ input: [DeviceInput, number]; device: [DeviceEvent] }> {
  readonly counters = { events: 0, dropped: 0, ignoredCalls: 0 };
  private client: MqttClient | null = null;
  private readonly byTopic = new Map<string, { phone: Phone; kind: 'event' | 'response' }>();
  private readonly phones: Phone[];
  private readonly ring: WholeRing;
  private readonly faults = new FaultThrottle(10_000);
  private stopped = false;

  constructor(private readonly options: BaresipSoftphonesOptions) {
    super();
    const now = this.clock.now();
    this.phones = options.phones.map((spec) => ({
      ...spec,
      calls: new SoftphoneCalls(spec.lineFor),
      state: 'unknown' as const,
      lastHeard: now,
      silences: 0,
      cancelPing: () => {},
    }));
    for (const phone of this.phones) {
      // Topics come from the config, so this table is bounded by it; a sender cannot add to it.
      this.byTopic.set(`/${phone.baseTopic}/event`, { phone, kind: 'event' });
      this.byTopic.set(`/${phone.baseTopic}/command_resp/thirdring-ping`, { phone, kind: 'response' });
    }
    this.ring = new WholeRing({
      cadence: options.cadence,
      emit: (burst, at) => this.emit('input', burst, at),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  start(): void {
    this.stopped = false;
    const client = mqtt.connect(this.options.url, { ...this.options.connect, clientId: this.options.clientId, clean: true, reconnectPeriod: 1000 });
    this.client = client;
    client.on('connect', () => {
      client.subscribe([...this.byTopic.keys()], { qos: 0 }, (error) => {
        if (error) this.fault(null, 'subscribe-failed', error.message);
        else for (const phone of this.phones) this.ping(phone);
      });
    });
    client.on('error', (error) => this.fault(null, 'broker-error', error.message));
    client.on('message', (topic, payload) => this.message(topic, payload));
    for (const phone of this.phones) this.schedulePing(phone);
  }

  /** Answers the call ringing for `line` at `desk`'s softphone; false if there is none. */
  answer(desk: string, line: string): boolean {
    const phone = this.phones.find((p) => p.desk === desk);
    const call = phone?.calls.ringingOn(line);
    if (!phone || !call || !this.client?.connected) return false;
    this.client.publish(`/${phone.baseTopic}/command/thirdring`, JSON.stringify({ command: 'accept', token: 'thirdring-answer', callid: call }));
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const phone of this.phones) phone.cancelPing();
    this.ring.stopAll();
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }

  private message(topic: string, payload: Buffer): void {
    const route = this.byTopic.get(topic);
    if (!route) return;
    const { phone } = route;
    this.heard(phone);
    if (route.kind === 'response') return;
    this.counters.events++;
    const event = parseBaresipEvent(payload);
    if ('refused' in event) return this.drop(phone, event.refused, payload.toString('utf8'));
    if (event.kind === 'other') return;
    const outcome = phone.calls.apply(event);
    if ('refused' in outcome) return this.drop(phone, outcome.refused, `call ${quoteUntrusted(event.id, 40)}`);
    if ('ignored' in outcome) {
      this.counters.ignoredCalls++;
      return;
    }
    this.act(phone, outcome.actions);
  }

  private act(phone: Phone, actions: CallAction[]): void {
    for (const action of actions) {
      if (action.do === 'hook') this.emit('input', { type: 'hook', desk: phone.desk, line: action.line, state: action.state }, this.clock.now());
      // Keyed by desk and call: the same call id may ring several desks (a forked INVITE keeps its Call-ID).
      else this.ring.set(action.line, `${phone.desk}\n${action.call}`, action.ringing);
    }
  }

  private heard(phone: Phone): void {
    phone.lastHeard = this.clock.now();
    if (phone.state === 'online') return;
    phone.state = 'online';
    this.emit('device', { type: 'device', family: 'softphone', device: phone.desk, state: 'online', detail: `baresip on /${phone.baseTopic}` });
  }

  private schedulePing(phone: Phone): void {
    phone.cancelPing = this.clock.wakeAt(this.clock.now() + phone.pingMs, () => {
      if (this.stopped) return;
      this.checkAlive(phone);
      this.ping(phone);
      this.schedulePing(phone);
    });
  }

  private ping(phone: Phone): void {
    if (this.client?.connected) this.client.publish(`/${phone.baseTopic}/command/thirdring`, PING);
  }

  private checkAlive(phone: Phone): void {
    const silentMs = this.clock.now() - phone.lastHeard;
    if (phone.state === 'offline' || silentMs < MISSED_PINGS * phone.pingMs) return;
    phone.state = 'offline';
    const ended = phone.calls.clear();
    const ringing = [...new Set(ended.flatMap((a) => (a.do === 'ring' ? [a.line] : [])))];
    this.act(phone, ended);
    const reason = `no answer for ${Math.round(silentMs / 1000)} s`;
    this.emit('device', { type: 'device', family: 'softphone', device: phone.desk, state: 'offline', reason, ...(ringing.length > 0 ? { lines: ringing } : {}) });
    // Once per silence, never throttled: this is the one report that the desk's softphone is gone.
    phone.silences++;
    this.emit('device', { type: 'fault', family: 'softphone', device: phone.desk, reason: 'no-answer', detail: `${reason} on /${phone.baseTopic}: ${RECOVERY}`, count: phone.silences });
  }

  private drop(phone: Phone, reason: string, what: string): void {
    this.counters.dropped++;
    this.fault(phone, reason, `dropped from /${phone.baseTopic}: ${quoteUntrusted(what)}`);
  }

  private fault(phone: Phone | null, reason: string, detail: string): void {
    const device = phone?.desk ?? 'broker';
    const count = this.faults.count(`${device} ${reason}`, this.clock.now());
    if (count !== null) this.emit('device', { type: 'fault', family: 'softphone', device, reason, detail, count });
  }
}
