import type { Bridge, Feature } from '../bridge.js';
import { cadenceFor, type Cadence } from '../../core/index.js';
import { BaresipSoftphones } from '../../devices/softphone/baresip-softphones.js';
import { BRIDGE_CLIENT_ID_PREFIX } from '../mqtt/broker-access.js';
import { brokerConnection } from '../mqtt/broker-connection.js';
import type { MqttFeature } from '../mqtt/mqtt-feature.js';

/**
 * The desks' baresip softphones (config `softphones`) as a ring source: one MQTT client of the bridge's own on
 * its broker, listening to every softphone's events. Listed after the MQTT feature, whose embedded broker it uses.
 */
export class SoftphoneFeature implements Feature {
  readonly name = 'softphone';
  phones: BaresipSoftphones | null = null;

  constructor(
    private readonly bridge: Bridge,
    private readonly mqtt: MqttFeature | null,
  ) {}

  start(): void {
    const { config } = this.bridge;
    if (config.softphones.length === 0) return;
    const cadences = new Map<string, Cadence>(
      config.lines.map((line) => [line.id, typeof line.cadence === 'string' ? (cadenceFor(line.cadence) ?? 'auto') : line.cadence]),
    );
    const broker = this.mqtt?.broker;
    const { url, options } = brokerConnection(config.mqtt, broker?.url);
    const phones = new BaresipSoftphones({
      url,
      // On the embedded broker it is one of the bridge's own clients: its account, its client id.
      connect: broker ? { ...options, ...broker.bridgeLogin } : options,
      clientId: `${BRIDGE_CLIENT_ID_PREFIX}${config.site}-softphones`,
      phones: config.softphones.map((phone) => {
        const byAor = new Map(phone.accounts.map((a) => [a.aor, a.line]));
        return {
          desk: phone.desk,
          baseTopic: phone.baseTopic,
          lineFor: (aor: string) => byAor.get(aor) ?? phone.line ?? null,
          pingMs: phone.pingSeconds * 1000,
        };
      }),
      cadence: (line) => cadences.get(line) ?? 'auto',
      clock: this.bridge.clock,
    });
    phones.on('input', (input, at) => this.bridge.input(input, at));
    phones.on('device', (event) => this.bridge.reportDevice(event));
    phones.start();
    this.phones = phones;
  }

  async stop(): Promise<void> {
    await this.phones?.stop();
    this.phones = null;
  }
}
