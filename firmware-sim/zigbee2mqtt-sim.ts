// A stand-in for Zigbee2MQTT on an MQTT broker, answering as its documented API does (zigbee2mqtt.io,
// guide/usage/mqtt_topics_and_messages.md, guide/usage/exposes.md, guide/configuration/device-availability.md):
// retained <base>/bridge/state and <base>/bridge/devices (each device's definition with its exposes), retained
// <base>/<name>/availability, and a set on <base>/<name>/set answered by the device's new state on <base>/<name>
// — without `effect`, which "will not be published in the state". Buttons and sensors publish their state.
import mqtt, { type MqttClient } from 'mqtt';

export type SimDevice =
  | { name: string; kind: 'light'; colour: boolean; effects: string[] }
  | { name: string; kind: 'button'; actions: string[] }
  | { name: string; kind: 'presence'; property: 'occupancy' | 'presence' }
  | { name: string; kind: 'siren' };

export interface SetReceived {
  name: string;
  payload: Record<string, unknown>;
  /** performance.now() at arrival. */
  at: number;
}

const binary = (name: string, access: number) => ({ type: 'binary', name, property: name, value_on: true, value_off: false, access });

/** exposes.md: a light's features, an effect enum (set only: access 2), a button's action enum, occupancy. */
function exposesOf(device: SimDevice): unknown[] {
  switch (device.kind) {
    case 'light': {
      const features: unknown[] = [
        { type: 'binary', name: 'state', property: 'state', value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE', access: 7 },
        { type: 'numeric', name: 'brightness', property: 'brightness', value_min: 0, value_max: 254, access: 7 },
      ];
      if (device.colour) {
        features.push({ type: 'composite', name: 'color_xy', property: 'color', features: [{ type: 'numeric', name: 'x', property: 'x', access: 7 }, { type: 'numeric', name: 'y', property: 'y', access: 7 }] });
      }
      const effect = device.effects.length > 0 ? [{ type: 'enum', name: 'effect', property: 'effect', values: device.effects, access: 2 }] : [];
      return [{ type: 'light', features }, ...effect, { type: 'numeric', name: 'linkquality', property: 'linkquality', access: 1 }];
    }
    case 'button':
      return [{ type: 'enum', name: 'action', property: 'action', values: device.actions, access: 1 }];
    case 'presence':
      return [binary(device.property, 1)];
    case 'siren':
      return [{ type: 'composite', name: 'warning', property: 'warning', features: [] }];
  }
}

export class Zigbee2mqttSim {
  readonly sets: SetReceived[] = [];
  private client: MqttClient | null = null;
  private readonly states = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly url: string,
    private readonly devices: SimDevice[],
    private readonly options: { baseTopic?: string; legacyAvailability?: boolean } = {},
  ) {}

  get base(): string {
    return this.options.baseTopic ?? 'zigbee2mqtt';
  }

  async start(): Promise<void> {
    const client = (this.client = await mqtt.connectAsync(this.url, { protocolVersion: 4, clientId: `z2m-sim-${process.pid}` }));
    client.on('message', (topic, payload) => this.onSet(topic, payload));
    // Friendly names may hold '/' (kitchen/floor_light), so a set can be any number of levels down.
    await client.subscribeAsync(`${this.base}/#`);
    await client.publishAsync(`${this.base}/bridge/state`, this.availabilityPayload('online'), { retain: true, qos: 1 });
    const list = this.devices.map((device, i) => ({
      ieee_address: `0x00158d00000${String(i).padStart(5, '0')}`,
      type: device.kind === 'light' || device.kind === 'siren' ? 'Router' : 'EndDevice',
      friendly_name: device.name,
      supported: true,
      definition: { model: `SIM-${device.kind}`, vendor: 'thirdring', description: `simulated ${device.kind}`, options: [], exposes: exposesOf(device) },
      interview_completed: true,
    }));
    await client.publishAsync(`${this.base}/bridge/devices`, JSON.stringify(list), { retain: true, qos: 1 });
    for (const device of this.devices) await this.setAvailability(device.name, 'online');
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
    this.client = null;
  }

  async setAvailability(name: string, state: 'online' | 'offline'): Promise<void> {
    await this.client!.publishAsync(`${this.base}/${name}/availability`, this.availabilityPayload(state), { retain: true, qos: 1 });
  }

  /** A button press: Zigbee2MQTT publishes {"action": …} on the button's topic. */
  async press(name: string, action: string): Promise<void> {
    await this.client!.publishAsync(`${this.base}/${name}`, JSON.stringify({ action, battery: 97, linkquality: 120 }), { qos: 0 });
  }

  async occupancy(name: string, occupied: boolean): Promise<void> {
    const device = this.devices.find((d) => d.name === name);
    const property = device?.kind === 'presence' ? device.property : 'occupancy';
    await this.client!.publishAsync(`${this.base}/${name}`, JSON.stringify({ [property]: occupied, battery: 90, linkquality: 100 }), { qos: 0 });
  }

  /** Everything set on a device so far, oldest first. */
  setsOf(name: string): SetReceived[] {
    return this.sets.filter((s) => s.name === name);
  }

  stateOf(name: string): Record<string, unknown> | undefined {
    return this.states.get(name);
  }

  private availabilityPayload(state: 'online' | 'offline'): string {
    return this.options.legacyAvailability ? state : JSON.stringify({ state });
  }

  private onSet(topic: string, payload: Buffer): void {
    if (!topic.endsWith('/set')) return;
    const name = topic.slice(this.base.length + 1, -'/set'.length);
    const device = this.devices.find((d) => d.name === name);
    let wanted: Record<string, unknown>;
    try {
      wanted = JSON.parse(payload.toString()) as Record<string, unknown>;
    } catch {
      return;
    }
    this.sets.push({ name, payload: wanted, at: performance.now() });
    if (!device) return;
    const { effect: _effect, transition: _transition, warning: _warning, ...shown } = wanted;
    const state = { ...(this.states.get(name) ?? {}), ...shown, linkquality: 120 };
    this.states.set(name, state);
    void this.client!.publishAsync(`${this.base}/${name}`, JSON.stringify(state), { qos: 0 });
  }
}
