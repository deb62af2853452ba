import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Bridge } from '../bridge.js';
import type { AfterCommands } from '../after-commands.js';
import { BRIDGE_CLIENT_ID_PREFIX } from './broker-access.js';
import { brokerConnection } from './broker-connection.js';
import type { EmbeddedBroker } from './embedded-broker.js';
import { leaveBroker } from './leave-broker.js';
import { topicsFor, type Topics } from './topics.js';

/**
 * What the parts of the MQTT feature share: the bridge's client and the broker it hosts (if any), the topics,
 * the counters `bridge/request/status` reports, and the queue of work that waits behind the desk commands.
 */
export class MqttConnection {
  readonly topics: Topics;
  readonly counters = { inboundDropped: 0, retainedInputsCleared: 0, brokerRefused: 0, logQueued: 0, logDelivered: 0 };
  /** The bridge's: the console line waits there too. */
  readonly afterCommands: AfterCommands;
  client: MqttClient | null = null;
  broker: EmbeddedBroker | null = null;

  constructor(readonly bridge: Bridge) {
    this.topics = topicsFor(bridge.config.site);
    this.afterCommands = bridge.afterCommands;
  }

  /** Connects the bridge's client; the parts add their own listeners right after, before it can connect. */
  connect(url: string, clientId: string | undefined, onError: (message: string) => void): MqttClient {
    const client = (this.client = mqtt.connect(url, this.clientOptions(clientId)));
    client.on('connect', () => {
      // Desk commands are small and urgent: no Nagle delay on the bridge's own socket either.
      (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
      oneFramePerPacket(client.stream);
      client.publish(this.topics.bridgeState, 'online', { qos: 1, retain: true });
    });
    client.on('error', (error) => onError(error.message));
    return client;
  }

  /**
   * Says offline and leaves. The client's listeners stay on it: it is dropped after this, and an 'error' while
   * leaving must still find its listener.
   */
  async leave(): Promise<void> {
    const client = this.client;
    if (client) await leaveBroker(client, { topic: this.topics.bridgeState, payload: 'offline', retain: true });
    this.client = null;
  }

  private clientOptions(clientId: string | undefined): IClientOptions {
    const { mqtt: settings, site } = this.bridge.config;
    return {
      clientId: clientId ?? `${BRIDGE_CLIENT_ID_PREFIX}${site}`,
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
}

type Chunks = { chunk: Buffer | string }[];
type WritableInside = { _write(chunk: Buffer, encoding: string, done: (error?: Error | null) => void): void; _writev?: (chunks: Chunks, done: (error?: Error | null) => void) => void };

/**
 * Over ws://, mqtt.js writes through ws's stream, which sends every write as a websocket frame of its own and has no
 * _writev: a desk command (fixed header, length, topic, message id, payload) went out as six frames, six socket
 * writes. mqtt-packet corks the stream around each packet, so with a _writev what was written while corked — one
 * packet — goes out as one frame. Sockets (mqtt://, mqtts://) have their own _writev and are left alone.
 */
function oneFramePerPacket(stream: unknown): void {
  const inside = stream as WritableInside;
  if (typeof inside._write !== 'function' || inside._writev) return;
  inside._writev = (chunks, done) => inside._write(Buffer.concat(chunks.map(({ chunk }) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))), 'buffer', done);
}

/** One job of the MQTT feature, started after the client is made and stopped before it leaves. */
export interface MqttPart {
  start(): void;
  stop(): void;
}
