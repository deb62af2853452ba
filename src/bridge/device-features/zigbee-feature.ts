import type { Bridge, Feature } from '../bridge.js';
import type { DeskAlert } from '../../core/types.js';
import { ZigbeeDesks, type ButtonDoes } from '../../devices/zigbee2mqtt/zigbee-desks.js';
import { BRIDGE_CLIENT_ID_PREFIX } from '../mqtt/broker-access.js';
import { brokerConnection } from '../mqtt/broker-connection.js';
import type { MqttFeature } from '../mqtt/mqtt-feature.js';

/**
 * Desks made of Zigbee devices (desks[].zigbee) through Zigbee2MQTT: one MQTT client of the bridge's own on
 * Zigbee2MQTT's broker (zigbee2mqtt.url, else the bridge's). Listed after the MQTT feature, whose embedded broker
 * it may use. Indications go to the lights and sirens; each new ring re-arms the blinking effect of the desks lit
 * for that line; buttons and presence sensors come back as the core's input.
 */
export class ZigbeeFeature implements Feature {
  readonly name = 'zigbee';
  desks: ZigbeeDesks | null = null;
  /** The line each desk is lit for (desks with a light only). */
  private readonly litFor = new Map<string, { line: string | null; alert: DeskAlert }>();

  constructor(
    private readonly bridge: Bridge,
    private readonly mqtt: MqttFeature | null,
  ) {}

  start(): void {
    const { config } = this.bridge;
    const specs = config.desks.flatMap((desk) => (desk.zigbee ? [{ desk: desk.id, ...desk.zigbee }] : []));
    if (specs.length === 0) return;
    const z2m = config.zigbee2mqtt;
    const broker = z2m.url === undefined ? this.mqtt?.broker : undefined;
    const { url, options } = z2m.url === undefined ? brokerConnection(config.mqtt, broker?.url) : { url: z2m.url, options: {} };
    const desks = new ZigbeeDesks({
      url,
      // On the embedded broker it is one of the bridge's own clients: its account, its client id.
      connect: broker ? { ...options, ...broker.bridgeLogin } : { ...options, ...(z2m.username !== undefined ? { username: z2m.username, password: z2m.password } : {}) },
      clientId: `${BRIDGE_CLIENT_ID_PREFIX}${config.site}-zigbee`,
      baseTopic: z2m.baseTopic,
      desks: specs,
      light: z2m.light,
      buttonActions: new Map(Object.entries(z2m.buttonActions) as [string, ButtonDoes][]),
      siren: z2m.siren,
      presence: { holdOffMs: z2m.presence.holdOffSeconds * 1000, staleMs: z2m.presence.staleSeconds === undefined ? null : z2m.presence.staleSeconds * 1000 },
    });
    desks.on('input', (input) => this.bridge.input(input));
    desks.on('device', (event) => this.bridge.reportDevice(event));
    desks.on('button', ({ desk, does }) => this.button(desk, does));
    this.bridge.listen(this, 'indicate', (command) => {
      this.litFor.set(command.desk, { line: command.line, alert: command.alert });
      desks.indicate(command);
    });
    this.bridge.listen(this, 'decision', (decision) => {
      if (decision.type !== 'ring' || decision.ring < 2) return;
      for (const [desk, lit] of this.litFor) if (lit.line === decision.line && lit.alert !== 'none') desks.rearm(desk);
    });
    desks.start();
    this.desks = desks;
  }

  async stop(): Promise<void> {
    await this.desks?.stop();
    this.desks = null;
  }

  private button(desk: string, does: ButtonDoes): void {
    if (does === 'cover') return void this.bridge.toggleCover(desk, 'zigbee');
    const status = this.bridge.deskStatus(desk);
    if (does === 'ack') {
      // An ack with nothing to acknowledge is not logged as a desk action.
      if (status.alert !== 'none') this.bridge.reportDeskAction(desk, status.alertLine);
      return;
    }
    this.bridge.input({ type: 'presence', desk, state: status.presence === 'away' ? 'present' : 'away' });
  }
}
