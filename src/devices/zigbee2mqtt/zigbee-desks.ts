import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle } from '../../common/fault-throttle.js';
import type { BuzzerPattern, Command } from '../../core/types.js';
import { FULL_ABILITY, HALF_PERIOD_MS, isBlinking, LIGHT_OFF, lightShow, type LightPlanOptions, type LightShow } from './light-plan.js';
import { PresenceHoldOff } from './presence-holdoff.js';
import { DeviceThrottle } from './throttle.js';
import { lightAbilities, parseAvailability, parseDeviceState, type LightAbility } from './z2m-payloads.js';

/** One desk's Zigbee devices, by Zigbee2MQTT friendly name. */
export interface ZigbeeDeskSpec {
  desk: string;
  light?: string;
  button?: string;
  siren?: string;
  presence?: string;
}

export type ButtonDoes = 'ack' | 'cover' | 'presence';

/**
 * A siren's warning (Zigbee2MQTT's `warning` composite, e.g. zigbee2mqtt.io/devices/HS2WD-E.html: mode, level,
 * strobe, duration in seconds). Short: the siren stops by itself, so no "stop" has to follow.
 */
export interface SirenWarning {
  mode: string;
  level: string;
  strobe: boolean;
  duration: number;
}

export interface ZigbeeDesksOptions {
  url: string;
  connect: IClientOptions;
  clientId: string;
  baseTopic: string;
  desks: ZigbeeDeskSpec[];
  light: LightPlanOptions & { minIntervalMs: number };
  /** A button's `action` value → what it does. Only these actions do anything. */
  buttonActions: ReadonlyMap<string, ButtonDoes>;
  siren: Record<Exclude<BuzzerPattern, 'off'>, SirenWarning>;
  presence: { holdOffMs: number; staleMs: number | null };
}

type Role = 'light' | 'button' | 'siren' | 'presence';
/** What a topic is for: a device's state (`of` its role) or its availability. */
type Route = { kind: 'state' | 'availability'; of: Role; desk: string; name: string };

interface Light {
  name: string;
  throttle: DeviceThrottle;
  ability: LightAbility;
  led: Command['led'];
  /** The payload last asked for, to skip sending the same state twice. */
  last: string | null;
  blinkTimer: NodeJS.Timeout | null;
}

/**
 * Desks made of Zigbee devices through Zigbee2MQTT (README "Zigbee desks (Zigbee2MQTT)"): one MQTT client on the
 * broker Zigbee2MQTT uses. A desk's light shows its indication (rate-limited per device), its siren the buzzer
 * stages, its button acknowledges, covers or toggles presence, its presence sensor says present/away (with a
 * hold-off); availability becomes online/offline events and bridge/devices is checked for what each light can do.
 * Only the friendly names in the config are subscribed to or looked up: a name a sender makes up reaches nothing.
 */
export class ZigbeeDesks extends EventEmitter<{ input: [DeviceInput]; device: [DeviceEvent]; button: [{ desk: string; does: ButtonDoes }] }> {
  readonly counters = { messages: 0, ignored: 0 };
  private client: MqttClient | null = null;
  /** Topic → what it is for which desk; built from the config alone. */
  private readonly routes = new Map<string, Route[]>();
  readonly lights = new Map<string, Light>();
  private readonly sirens = new Map<string, { name: string; throttle: DeviceThrottle; buzzer: BuzzerPattern }>();
  private readonly sensors = new Map<string, PresenceHoldOff>();
  private readonly availability = new Map<string, 'online' | 'offline'>();
  private readonly faults = new FaultThrottle(10_000);
  private readonly devicesTopic: string;

  constructor(private readonly options: ZigbeeDesksOptions) {
    super();
    const base = options.baseTopic;
    this.devicesTopic = `${base}/bridge/devices`;
    for (const spec of options.desks) {
      for (const role of ['light', 'button', 'siren', 'presence'] as const) {
        const name = spec[role];
        if (name === undefined) continue;
        this.route(`${base}/${name}`, { kind: 'state', of: role, desk: spec.desk, name });
        this.route(`${base}/${name}/availability`, { kind: 'availability', of: role, desk: spec.desk, name });
      }
      if (spec.light !== undefined) {
        const name = spec.light;
        this.lights.set(spec.desk, {
          name,
          throttle: new DeviceThrottle(options.light.minIntervalMs, (payload) => this.publish(`${base}/${name}/set`, payload)),
          ability: FULL_ABILITY,
          led: { color: 'off', pattern: 'off' },
          last: null,
          blinkTimer: null,
        });
      }
      if (spec.siren !== undefined) {
        const name = spec.siren;
        const throttle = new DeviceThrottle(options.light.minIntervalMs, (payload) => this.publish(`${base}/${name}/set`, payload));
        this.sirens.set(spec.desk, { name, throttle, buzzer: 'off' });
      }
      if (spec.presence !== undefined) {
        const { desk, presence: name } = spec;
        const sensor = new PresenceHoldOff(
          options.presence,
          (state) => this.emit('input', { type: 'presence', desk, state }),
          (why) =>
            this.fault('presence-unknown', name, `${desk}'s presence sensor "${name}" is ${why === 'offline' ? 'offline' : 'silent'}: presence unknown, ${desk} keeps its presence`),
        );
        this.sensors.set(desk, sensor);
      }
    }
  }

  start(): void {
    const client = (this.client = mqtt.connect(this.options.url, { protocolVersion: 4, clean: true, reconnectPeriod: 1000, connectTimeout: 5000, ...this.options.connect, clientId: this.options.clientId }));
    client.on('connect', () => {
      client.subscribe([this.devicesTopic, ...this.routes.keys()], { qos: 0 });
      // set is not retained by Zigbee2MQTT: a light that is showing something is told again after a reconnect.
      for (const light of this.lights.values()) {
        light.last = null;
        if (light.led.pattern !== 'off') this.showLight(light);
      }
    });
    client.on('message', (topic, payload) => this.message(topic, payload));
    client.on('error', (error) => this.fault('mqtt', 'zigbee2mqtt', `Zigbee2MQTT's broker ${this.options.url}: ${error.message}`));
  }

  async stop(): Promise<void> {
    for (const light of this.lights.values()) {
      light.throttle.stop();
      this.stopBlinking(light);
    }
    for (const siren of this.sirens.values()) siren.throttle.stop();
    for (const sensor of this.sensors.values()) sensor.stop();
    await this.client?.endAsync();
    this.client = null;
  }

  /** The core's command for a desk: its light and siren follow. */
  indicate(command: Command): void {
    const light = this.lights.get(command.desk);
    if (light) {
      light.led = command.led;
      this.showLight(light);
    }
    const siren = this.sirens.get(command.desk);
    if (siren && command.buzzer.pattern !== siren.buzzer) {
      siren.buzzer = command.buzzer.pattern;
      if (siren.buzzer !== 'off') siren.throttle.send(JSON.stringify({ warning: this.options.siren[siren.buzzer] }));
    }
  }

  /** Shows a desk's blinking effect once more (a new ring of the call it is lit for). */
  rearm(desk: string): void {
    const light = this.lights.get(desk);
    if (!light || this.options.light.mode !== 'effect') return;
    const show = this.showFor(light);
    if (show.effect) light.throttle.send(JSON.stringify(show.on));
  }

  /** How many set messages each desk's light and siren were sent, and the shortest gap between two (ms). */
  sentTo(desk: string): { messages: number; coalesced: number; shortestGapMs: number } {
    const throttles = [this.lights.get(desk)?.throttle, this.sirens.get(desk)?.throttle].filter((t) => t !== undefined);
    return {
      messages: throttles.reduce((n, t) => n + t.sent, 0),
      coalesced: throttles.reduce((n, t) => n + t.coalesced, 0),
      shortestGapMs: Math.min(...throttles.map((t) => t.shortestGapMs)),
    };
  }

  private route(topic: string, to: Route): void {
    const list = this.routes.get(topic) ?? [];
    list.push(to);
    this.routes.set(topic, list);
  }

  private message(topic: string, payload: Buffer): void {
    this.counters.messages++;
    if (topic === this.devicesTopic) return this.checkLights(payload);
    const routes = this.routes.get(topic);
    if (!routes) return void this.counters.ignored++;
    for (const route of routes) {
      if (route.kind === 'availability') this.availabilityOf(route, payload);
      else this.stateOf(route.of, route.desk, route.name, payload);
    }
  }

  private availabilityOf({ of, desk, name }: Route, payload: Buffer): void {
    const state = parseAvailability(payload);
    if (state === null) return this.fault('bad-availability', name, `"${name}"'s availability is neither online nor {"state":"online"}/offline`);
    if (this.availability.get(name) !== state) {
      this.availability.set(name, state);
      this.emit(
        'device',
        state === 'online'
          ? { type: 'device', family: 'zigbee', device: name, state: 'online', detail: `${desk}'s Zigbee device` }
          : { type: 'device', family: 'zigbee', device: name, state: 'offline', reason: `Zigbee2MQTT reports ${desk}'s device "${name}" offline` },
      );
    }
    if (state === 'offline' && of === 'presence') this.sensors.get(desk)?.offline();
  }

  private stateOf(role: Role, desk: string, name: string, payload: Buffer): void {
    if (role === 'light' || role === 'siren') return;
    const state = parseDeviceState(payload);
    if (state === null) return this.fault('bad-state', name, `"${name}" sent a state that is not a JSON object (or over 16 KiB)`);
    if (role === 'button' && state.action !== null) {
      const does = this.options.buttonActions.get(state.action);
      if (does) this.emit('button', { desk, does });
    }
    if (role === 'presence' && state.occupied !== null) this.sensors.get(desk)?.reading(state.occupied);
  }

  private checkLights(payload: Buffer): void {
    const byName = new Map<string, Light[]>();
    for (const light of this.lights.values()) byName.set(light.name, [...(byName.get(light.name) ?? []), light]);
    const abilities = lightAbilities(payload, new Set(byName.keys()));
    if (!abilities) return this.fault('bad-devices', 'zigbee2mqtt', `${this.devicesTopic} is not a JSON list of devices (or over 16 MiB)`);
    for (const [name, ability] of abilities) {
      for (const light of byName.get(name) ?? []) {
        const changed = JSON.stringify(light.ability) !== JSON.stringify(ability);
        light.ability = ability;
        if (!changed) continue;
        for (const [reason, detail] of this.lightProblems(name, ability)) this.fault(reason, name, detail);
        light.last = null;
        if (light.led.pattern !== 'off') this.showLight(light);
      }
    }
  }

  private lightProblems(name: string, ability: LightAbility): [string, string][] {
    if (!ability.known) return [['light-unknown', `Zigbee2MQTT has no supported device "${name}" (${this.devicesTopic}): check the friendly name`]];
    if (!ability.light) return [['light-not-a-light', `"${name}" exposes no light: it cannot show a desk's alerts`]];
    const problems: [string, string][] = [];
    if (!ability.colour) problems.push(['light-no-colour', `light "${name}" cannot take colour (no color_xy/color_hs): yours, nearby and everyone differ only by blinking`]);
    if (this.options.light.mode === 'effect') {
      const missing = [...new Set(Object.values(this.options.light.effects))].filter((effect) => !ability.effects.includes(effect));
      if (missing.length > 0) {
        problems.push(['light-no-effect', `light "${name}" has no effect ${missing.join(', ')}: those patterns are shown solid (zigbee2mqtt.light.mode: timed blinks by switching it on and off)`]);
      }
    }
    return problems;
  }

  private showFor(light: Light): LightShow {
    return lightShow(light.led, this.options.light, light.ability);
  }

  private showLight(light: Light): void {
    this.stopBlinking(light);
    const show = this.showFor(light);
    const payload = JSON.stringify(show.on);
    if (payload !== light.last) {
      light.last = payload;
      light.throttle.send(payload);
    }
    const { pattern } = light.led;
    if (this.options.light.mode === 'timed' && isBlinking(pattern)) {
      // Each change is one Zigbee message; the rate limit sets how fast a light can blink this way.
      const halfMs = Math.max(HALF_PERIOD_MS[pattern], this.options.light.minIntervalMs);
      let on = true;
      light.blinkTimer = setInterval(() => {
        on = !on;
        light.throttle.send(on ? payload : JSON.stringify(LIGHT_OFF));
      }, halfMs);
    }
  }

  private stopBlinking(light: Light): void {
    if (light.blinkTimer) clearInterval(light.blinkTimer);
    light.blinkTimer = null;
  }

  private publish(topic: string, payload: string): void {
    // QoS 0: each set is the light's whole state, and a newer one supersedes it; nothing is worth re-sending late.
    if (this.client?.connected) this.client.publish(topic, payload, { qos: 0 });
  }

  private fault(reason: string, device: string, detail: string): void {
    const count = this.faults.count(`${reason}:${device}`, Date.now());
    if (count !== null) this.emit('device', { type: 'fault', family: 'zigbee', device, reason, detail, count });
  }
}
