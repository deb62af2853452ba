import { Aedes, type Client } from 'aedes';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { authenticate, mayPublish, maySubscribe, type AccessPolicy, type Account } from './broker-access.js';

export interface EmbeddedBroker {
  /** mqtt://host:port for clients in this process and on this machine. */
  url: string;
  port: number;
  wsPort: number | null;
  /** Publishes from inside the broker: no client socket in between (the bridge's own hot path). */
  publish(topic: string, payload: string, options: { qos: 0 | 1; retain: boolean }): void;
  close(): Promise<void>;
}

/** aedes on a TCP port (and a websocket port for browser pages), with the access policy enforced. */
export async function startEmbeddedBroker(options: { host: string; port: number; wsPort: number | false; policy: AccessPolicy }): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
  const accounts = new WeakMap<Client, Account>();
  aedes.authenticate = (client, username, password, done) => {
    const account = authenticate(options.policy, username, password);
    if (!account) return done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
    accounts.set(client, account);
    done(null, true);
  };
  aedes.authorizePublish = (client, packet, done) => {
    const account = client ? accounts.get(client) : { role: 'admin' as const };
    if (account && mayPublish(options.policy, account, packet.topic)) return done(null);
    done(new Error(`not allowed to publish to ${packet.topic}`));
  };
  aedes.authorizeSubscribe = (client, subscription, done) => {
    const account = accounts.get(client);
    if (account && maySubscribe(options.policy, account, subscription.topic)) return done(null, subscription);
    // A null subscription is refused with SUBACK 0x80 and the client stays connected (MQTT 3.1.1 §3.9.3).
    done(null, null);
  };

  // Small packets both ways: without noDelay, Nagle waits for the peer's delayed ACK (40 ms on Linux).
  const tcp = createServer({ noDelay: true }, aedes.handle);
  await listen(tcp, options.port, options.host);
  const port = (tcp.address() as AddressInfo).port;

  let http: HttpServer | null = null;
  let wsPort: number | null = null;
  if (options.wsPort !== false) {
    http = createHttpServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (socket, request) => aedes.handle(createWebSocketStream(socket), request));
    await listen(http, options.wsPort, options.host);
    wsPort = (http.address() as AddressInfo).port;
  }

  // Listening on every address: local clients (the bridge itself) still connect over loopback.
  const reachAt = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
  return {
    url: `mqtt://${reachAt.includes(':') ? `[${reachAt}]` : reachAt}:${port}`,
    port,
    wsPort,
    publish(topic, payload, { qos, retain }) {
      aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false }, () => {});
    },
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all([tcp, http].map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
