import { Aedes, type Client } from 'aedes';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Duplex } from 'node:stream';
import { quoteUntrusted } from '../../common/fault-throttle.js';
import { authenticate, isCommandInputTopic, MAX_PACKET_BYTES, mayPublish, maySubscribe, type AccessPolicy, type Account } from './broker-access.js';
import { DeliveryAcks } from './delivery-acks.js';
import { guardPacketSize } from './packet-size-guard.js';
import { listenOn } from '../listen.js';

export interface EmbeddedBroker {
  /** mqtt://host:port for clients in this process and on this machine. */
  url: string;
  port: number;
  wsPort: number | null;
  /** How the bridge's own clients log in (made at each start; only these may use the bridge's client ids). */
  bridgeLogin: { username: string; password: string };
  /**
   * Publishes from inside the broker: no client socket in between (the bridge's own hot path). `done` once the
   * subscribers have it: aedes has written it to them and those subscribed at QoS 1 have acknowledged it (see
   * DeliveryAcks), or at once if it failed.
   */
  publish(topic: string, payload: string, options: { qos: 0 | 1; retain: boolean }, done?: () => void): void;
  close(): Promise<void>;
}

/** Someone the broker turned away, or cut off (counted and logged by the bridge as faults). */
export type BrokerRefusal = { reason: 'login' | 'client-id' | 'packet-size'; detail: string };

/** A client that connects but never sends CONNECT is dropped after this long (aedes's default is 30 s). */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * aedes on a TCP port (and a websocket port for browser pages), with the access policy enforced, client ids of
 * the bridge's own clients and of connected clients bound to their accounts, and a maximum packet size.
 */
export async function startEmbeddedBroker(options: {
  host: string;
  port: number;
  wsPort: number | false;
  policy: AccessPolicy;
  onRefused?: (refusal: BrokerRefusal) => void;
}): Promise<EmbeddedBroker> {
  const { policy } = options;
  const refused = options.onRefused ?? (() => {});
  const aedes = await Aedes.createBroker({ drainTimeout: 30_000, connectTimeout: CONNECT_TIMEOUT_MS });
  const accounts = new WeakMap<Client, Account>();
  const packetLimits = new WeakMap<Client, { bytes: number }>();
  /** Connected clients by id (as many as there are connections). */
  const connected = new Map<string, Client>();
  aedes.on('client', (client) => connected.set(client.id, client));
  const acks = new DeliveryAcks(aedes);
  aedes.on('clientDisconnect', (client) => {
    if (connected.get(client.id) === client) connected.delete(client.id);
  });
  const handle = (conn: Duplex, request?: IncomingMessage) => {
    const limit: { bytes: number } = { bytes: MAX_PACKET_BYTES.unauthenticated };
    const client = aedes.handle(conn as never, request);
    packetLimits.set(client, limit);
    guardPacketSize(conn, () => limit.bytes, (why) => refused({ reason: 'packet-size', detail: `${why} from ${clientName(client)}: connection closed` }));
  };
  aedes.authenticate = (client, username, password, done) => {
    const account = authenticate(policy, client.id, username, password);
    const holder = connected.get(client.id);
    const refuse = (returnCode: 2 | 4, detail: string) => {
      refused({ reason: returnCode === 2 ? 'client-id' : 'login', detail });
      done(Object.assign(new Error(detail), { returnCode }), false);
    };
    if ('refused' in account) {
      return account.refused === 4
        ? refuse(4, `bad user name or password for ${quoteUntrusted(username ?? '(none)', 40)}`)
        : refuse(2, `client id ${quoteUntrusted(client.id, 40)} is reserved for the bridge's own clients`);
    }
    // aedes lets a new connection with a client's id take its place; only the same account may do that.
    const holderAccount = holder && holder !== client ? accounts.get(holder) : undefined;
    if (holderAccount && holderAccount.username !== account.username) {
      return refuse(2, `client id ${quoteUntrusted(client.id, 40)} is in use by another account`);
    }
    accounts.set(client, account);
    const limit = packetLimits.get(client);
    if (limit) limit.bytes = MAX_PACKET_BYTES[account.role];
    done(null, true);
  };
  aedes.authorizePublish = (client, packet, done) => {
    const account: Account | undefined = client ? accounts.get(client) : { role: 'bridge', username: '' };
    if (!account || !mayPublish(policy, account, packet.topic)) return done(new Error(`not allowed to publish to ${packet.topic}`));
    // "Do this now" inputs kept as retained messages would be done again at every start: never keep them.
    if (packet.retain && account.role !== 'bridge' && isCommandInputTopic(policy, packet.topic)) packet.retain = false;
    done(null);
  };
  aedes.authorizeSubscribe = (client, subscription, done) => {
    const account = accounts.get(client);
    if (account && maySubscribe(policy, account, subscription.topic)) return done(null, subscription);
    // A null subscription is refused with SUBACK 0x80 and the client stays connected (MQTT 3.1.1 §3.9.3).
    done(null, null);
  };

  // Small packets both ways: without noDelay, Nagle waits for the peer's delayed ACK (40 ms on Linux).
  const tcp = createServer({ noDelay: true }, (socket) => handle(socket));
  const http: HttpServer | null = options.wsPort === false ? null : createHttpServer();
  const close = async () => {
    acks.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    // A server that never listened answers close() with an error: nothing to close, which is fine here.
    await Promise.all([tcp, http].map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  try {
    await listenOn(tcp, options.port, options.host, 'mqtt.port');
    if (http) await listenOn(http, options.wsPort as number, options.host, 'mqtt.wsPort');
  } catch (error) {
    await close();
    throw error;
  }
  const port = (tcp.address() as AddressInfo).port;
  let wsPort: number | null = null;
  if (http) {
    // Attached once listening: ws re-emits the server's errors, and a failed listen is reported above.
    const wss = new WebSocketServer({ server: http, maxPayload: MAX_PACKET_BYTES.admin });
    wss.on('connection', (socket, request) => handle(createWebSocketStream(socket), request));
    wsPort = (http.address() as AddressInfo).port;
  }

  // Listening on every address: local clients (the bridge itself) still connect over loopback.
  const reachAt = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
  return {
    url: `mqtt://${reachAt.includes(':') ? `[${reachAt}]` : reachAt}:${port}`,
    port,
    bridgeLogin: policy.bridgeLogin,
    wsPort,
    publish(topic, payload, { qos, retain }, done = () => {}) {
      aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false }, (error) =>
        error || qos === 0 ? done() : acks.whenAcknowledged(connected.values(), topic, done),
      );
    },
    close,
  };
}

/** A client as a log line names it: its id once CONNECT was read, else its address. */
function clientName(client: Client): string {
  if (client.id) return `client ${quoteUntrusted(client.id, 40)}`;
  const conn = client.conn as { remoteAddress?: string };
  return conn.remoteAddress ? `a connection from ${conn.remoteAddress}` : 'a connection before CONNECT';
}
