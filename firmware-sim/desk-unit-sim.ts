import mqtt, { type MqttClient } from 'mqtt';
import { topicsFor } from '../src/bridge/mqtt/topics.js';

export interface DeskUnitState {
  led: { color: string; pattern: string };
  buzzer: { pattern: string };
}

/**
 * A desk unit as the ESP32 firmware behaves (hardware/desk-unit): last will on its availability topic,
 * `online` when connected, the retained `set` commands applied, and a button that acknowledges a call while
 * the LED shows one, else toggles presence; a double press is the cover button.
 */
export class SimulatedDeskUnit {
  client: MqttClient | null = null;
  state: DeskUnitState = { led: { color: 'off', pattern: 'off' }, buzzer: { pattern: 'off' } };
  present = true;
  readonly history: DeskUnitState[] = [];
  private readonly topics;

  constructor(
    readonly desk: string,
    site: string,
    private readonly url: string,
    private readonly password?: string,
  ) {
    this.topics = topicsFor(site);
  }

  async connect(): Promise<void> {
    const client = mqtt.connect(this.url, {
      clientId: `thirdring-desk-${this.desk}`,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: 500,
      will: { topic: this.topics.deskAvailability(this.desk), payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(this.password ? { username: `desk-${this.desk}`, password: this.password } : {}),
    });
    this.client = client;
    client.on('message', (_topic, payload) => {
      try {
        const update = JSON.parse(payload.toString()) as Partial<DeskUnitState>;
        this.state = { led: update.led ?? this.state.led, buzzer: update.buzzer ?? this.state.buzzer };
        this.history.push(this.state);
      } catch {
        // the firmware ignores what it cannot parse
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(this.topics.deskSet(this.desk), { qos: 1 });
    await client.publishAsync(this.topics.deskAvailability(this.desk), 'online', { qos: 1, retain: true });
  }

  /** A short press: `ack` while a call shows, otherwise toggle present/away. */
  async press(): Promise<void> {
    if (this.state.led.color !== 'off') return this.publishAction('ack');
    this.present = !this.present;
    await this.publishAction(this.present ? 'present' : 'away');
  }

  /** A double press: the cover toggle (the bridge takes over desks[].coverFor's calls, or gives them back). */
  async doublePress(): Promise<void> {
    await this.publishAction('cover');
  }

  async publishAction(action: string): Promise<void> {
    await this.client!.publishAsync(this.topics.deskAction(this.desk), JSON.stringify({ action }), { qos: 1 });
  }

  /** Power cut: the broker publishes the last will. */
  drop(): void {
    this.client?.stream.destroy();
    this.client?.end(true);
  }

  async disconnect(): Promise<void> {
    await this.client?.publishAsync(this.topics.deskAvailability(this.desk), 'offline', { qos: 1, retain: true });
    await this.client?.endAsync();
  }
}
