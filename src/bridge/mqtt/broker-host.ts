import { softphoneUser } from '../config/softphone-schema.js';
import { accessPolicy } from './broker-access.js';
import type { MqttConnection } from './connection.js';
import { startEmbeddedBroker } from './embedded-broker.js';
import type { MqttFaults } from './mqtt-faults.js';

/** The embedded broker, when the config asks for one (`mqtt.url: embedded`), with the office's access policy. */
export class BrokerHost {
  constructor(
    private readonly connection: MqttConnection,
    private readonly faults: MqttFaults,
  ) {}

  /** Starts the embedded broker if there is to be one; the URL the bridge's client connects to. */
  async start(): Promise<string> {
    const { config } = this.connection.bridge;
    const settings = config.mqtt;
    if (settings.url !== 'embedded') return settings.url;
    const policy = accessPolicy({
      site: config.site,
      ...(settings.username && settings.password ? { admin: { username: settings.username, password: settings.password } } : {}),
      readers: settings.readers,
      deskUnits: config.desks.flatMap((d) => (d.unit ? [{ desk: d.id, password: d.unit.password }] : [])),
      softphones: config.softphones.flatMap((p) => (p.password ? [{ username: softphoneUser(p.desk), baseTopic: p.baseTopic, password: p.password }] : [])),
    });
    const broker = await startEmbeddedBroker({
      host: settings.host,
      port: settings.port,
      wsPort: settings.wsPort,
      policy,
      onRefused: ({ reason, detail }) => {
        this.connection.counters.brokerRefused++;
        this.faults.report(`broker-refused:${reason}`, detail);
      },
    });
    this.connection.broker = broker;
    return broker.url;
  }

  async stop(): Promise<void> {
    await this.connection.broker?.close();
    this.connection.broker = null;
  }
}
