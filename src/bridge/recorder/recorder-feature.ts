import { resolve } from 'node:path';
import type { Bridge, Feature } from '../bridge.js';
import type { MqttFeature } from '../mqtt/mqtt-feature.js';
import { RingLogStore } from '../store/ring-log-store.js';
import { BRIDGE_CLIENT_ID_PREFIX } from '../mqtt/broker-access.js';
import { brokerConnection } from '../mqtt/broker-connection.js';
import { Recorder } from './recorder.js';

/** How long stopping waits for the bridge's last log entries to be recorded. */
const CATCH_UP_MS = 2000;

/**
 * The ring log recorder inside the bridge (config `recorder.enabled`): records this site's log from the bridge's
 * own broker into <dataDir>/<recorder.database>. Listed after the MQTT feature, whose embedded broker it uses.
 */
export class RecorderFeature implements Feature {
  readonly name = 'recorder';
  recorder: Recorder | null = null;

  constructor(
    private readonly bridge: Bridge,
    private readonly mqtt: MqttFeature | null,
    private readonly report: (message: string) => void = (message) => process.stderr.write(`thirdring recorder: ${message}\n`),
  ) {}

  get databasePath(): string {
    return resolve(this.bridge.config.dataDir, this.bridge.config.recorder.database);
  }

  async start(): Promise<void> {
    const { config } = this.bridge;
    const broker = this.mqtt?.broker;
    const { url, options } = brokerConnection(config.mqtt, broker?.url);
    this.recorder = new Recorder({
      url,
      // On the embedded broker the recorder is one of the bridge's own clients: its account, its client id.
      ...(broker ? { connect: { ...options, ...broker.bridgeLogin }, clientId: `${BRIDGE_CLIENT_ID_PREFIX}${config.site}-recorder` } : { connect: options }),
      site: config.site,
      store: new RingLogStore(this.databasePath),
      report: this.report,
    });
    this.recorder.start();
    // The embedded broker keeps no session across restarts: subscribe before the devices start deciding things.
    // An external broker keeps the session, and may be away: do not hold the bridge up for it.
    if (this.mqtt?.broker) await this.recorder.ready;
  }

  async stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    // The last entries may still be on their way through the broker; the embedded one forgets them when it closes.
    // Decisions reach the outbox a little after they are made (MqttFeature.afterCommands).
    await this.mqtt?.settled();
    const outbox = this.mqtt?.outbox;
    const deadline = Date.now() + CATCH_UP_MS;
    while (outbox && recorder.storedUpTo(this.bridge.config.site, outbox.stream) < outbox.lastSeq && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await recorder.stop();
    this.recorder = null;
  }
}
