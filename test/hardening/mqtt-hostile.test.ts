import mqtt from 'mqtt';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge/bridge.js';
import { officeYaml, startMqttBridge } from '../mqtt/bridge-harness.js';
import { sleep, subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';

// What an adversarial run against the bridge found (issue "Hardening"), through the real embedded broker.

const running: { bridge: Bridge }[] = [];
const clients: mqtt.MqttClient[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of clients.splice(0)) await c.endAsync(true);
  for (const { bridge } of running.splice(0)) await bridge.stop();
});

const ADMIN = { username: 'admin', password: 'admin-secret-1' };
const READER = { username: 'facilities', password: 'reader-secret-1' };
const secured = `{ port: 0, wsPort: false, username: ${ADMIN.username}, password: ${ADMIN.password}, readers: [{ username: ${READER.username}, password: ${READER.password} }] }`;

async function bridgeWithAccounts(mqttBlock = secured) {
  const started = await startMqttBridge(officeYaml(mqttBlock, { anna: 'anna-unit-secret', bram: 'bram-unit-secret' }), tempDir());
  running.push(started);
  return { ...started, url: started.mqtt.broker!.url };
}

async function login(url: string, options: mqtt.IClientOptions): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  return client;
}

/** The CONNACK return code a login gets (0 = accepted). */
async function connackCode(url: string, options: mqtt.IClientOptions): Promise<number> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  return new Promise((resolve) => {
    client.once('connect', () => resolve(0));
    client.once('error', (error) => resolve((error as { code?: number }).code ?? -1));
  });
}

async function watch(url: string, topics: string[]) {
  const sub = await subscriber(url, topics, ADMIN);
  clients.push(sub.client);
  return sub;
}

const json = (r: Received) => JSON.parse(r.payload);
const faultsIn = (received: Received[]) => received.filter((r) => r.topic === 'thirdring/t/log' && json(r).type === 'fault').map(json);

/** A raw TCP connection to the broker, for what no MQTT client library would send. */
function rawSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

const closed = (socket: Socket) => new Promise<number>((resolve) => {
  const since = Date.now();
  if (socket.destroyed) return resolve(0);
  socket.once('close', () => resolve(Date.now() - since));
});

/** An MQTT fixed header declaring `length` bytes to follow (MQTT 3.1.1 §2.2.3). */
function header(type: number, length: number): Buffer {
  const bytes = [type];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

describe('hostile MQTT input', () => {
  it('request names of Object.prototype are unknown commands, answered, counted and logged — the bridge keeps working', async () => {
    const { bridge, mqtt: feature, url } = await bridgeWithAccounts();
    const sub = await watch(url, ['thirdring/t/bridge/response/#', 'thirdring/t/log', 'thirdring/t/desk/anna/set']);
    const admin = await login(url, ADMIN);
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    for (const name of names) await admin.publishAsync(`thirdring/t/bridge/request/${name}`, '{}', { qos: 1 });

    const answers = await until('five answers', () => {
      const r = sub.received.filter((m) => m.topic.includes('/bridge/response/'));
      return r.length === names.length && r;
    });
    for (const answer of answers) expect(json(answer)).toEqual({ ok: false, error: expect.stringMatching(/^unknown command "/) });
    expect(answers.map((a) => a.topic.split('/').pop())).toEqual(names);
    expect(feature.counters.inboundDropped).toBe(names.length);
    await until('logged once (throttled)', () => faultsIn(sub.received).length >= 1);
    expect(faultsIn(sub.received)[0]).toMatchObject({ reason: 'bad-message:request', detail: 'bridge/request/"constructor": unknown command "constructor" (known: presence, hook, hold, ack, takeover, status)' });

    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('still deciding', () => sub.received.some((r) => r.topic.endsWith('/desk/anna/set') && json(r).led.color === 'blue'));
  });

  it("nobody else can take the bridge's or the embedded recorder's client id, or a connected client's id", async () => {
    const { url, mqtt: feature } = await bridgeWithAccounts();
    const state = await watch(url, ['thirdring/t/bridge/state']);
    await until('online', () => state.received.at(-1)?.payload === 'online');
    const identifierRejected = 2;
    const badLogin = 4;
    for (const clientId of ['thirdring-bridge-t', 'thirdring-bridge-t-recorder']) {
      expect(await connackCode(url, { clientId, username: 'desk-anna', password: 'anna-unit-secret' })).toBe(identifierRejected);
      expect(await connackCode(url, { clientId, ...READER })).toBe(identifierRejected);
      expect(await connackCode(url, { clientId, ...ADMIN })).toBe(identifierRejected);
      // The bridge's own user name, without its password (made at each start, never written anywhere).
      expect(await connackCode(url, { clientId, username: 'thirdring-bridge', password: 'guess-it-1' })).toBe(badLogin);
    }
    // A desk unit's connected id cannot be taken by another desk's account...
    await login(url, { clientId: 'thirdring-desk-bram', username: 'desk-bram', password: 'bram-unit-secret' });
    expect(await connackCode(url, { clientId: 'thirdring-desk-bram', username: 'desk-anna', password: 'anna-unit-secret' })).toBe(identifierRejected);
    // ...but the same account may take its place again (a unit reconnecting over a half-open connection).
    expect(await connackCode(url, { clientId: 'thirdring-desk-bram', username: 'desk-bram', password: 'bram-unit-secret' })).toBe(0);

    await sleep(300);
    expect(state.received.map((r) => r.payload)).not.toContain('offline');
    expect(feature.client!.connected).toBe(true);
    expect(feature.counters.brokerRefused).toBe(9);
    const sub = await watch(url, ['thirdring/t/log']);
    await until('a refusal logged', () => faultsIn(sub.received).length > 0 || feature.counters.logDelivered > 0);
  });

  it('the open loopback broker (no accounts) still keeps the bridge\'s id and output to the bridge', async () => {
    const { url } = await bridgeWithAccounts('{ port: 0, wsPort: false }');
    expect(await connackCode(url, { clientId: 'thirdring-bridge-t' })).toBe(2);
    const sub = await subscriber(url, ['thirdring/t/#']);
    clients.push(sub.client);
    const anyone = await login(url, { clientId: 'local-tool' });
    const gone = new Promise<void>((resolve) => anyone.once('close', () => resolve()));
    anyone.publish('thirdring/t/log', JSON.stringify({ type: 'missed', line: 'front', site: 't', stream: 'x', seq: 1 }), { qos: 1 });
    await gone; // aedes closes a client whose publish is refused
    await sleep(200);
    expect(sub.received.filter((r) => r.topic === 'thirdring/t/log')).toEqual([]);
  });

  it('forged output is refused: a desk unit may publish only its own action and availability, an admin not the log', async () => {
    const { url } = await bridgeWithAccounts();
    const sub = await watch(url, ['thirdring/t/#']);
    const attempts: [mqtt.IClientOptions, string][] = [
      [{ username: 'desk-anna', password: 'anna-unit-secret' }, 'thirdring/t/desk/anna/set'],
      [{ username: 'desk-anna', password: 'anna-unit-secret' }, 'thirdring/t/desk/anna'],
      [{ username: 'desk-anna', password: 'anna-unit-secret' }, 'thirdring/t/log'],
      [{ username: 'desk-anna', password: 'anna-unit-secret' }, 'thirdring/t/desk/anna/whatever'],
      [ADMIN, 'thirdring/t/log'],
      [ADMIN, 'thirdring/t/line/front'],
      [ADMIN, 'thirdring/t/bridge/state'],
      [ADMIN, 'thirdring/t/bridge/response/status'],
    ];
    for (const [login_, topic] of attempts) {
      const client = await login(url, login_);
      const gone = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(topic, '{"led":{"color":"blue","pattern":"fast-blink"},"type":"missed","seq":1}', { qos: 1, retain: true });
      await gone;
    }
    await sleep(200);
    const forged = sub.received.filter((r) => r.payload.includes('"seq":1}') && !r.payload.includes('"ts"'));
    expect(forged).toEqual([]);
    // A late subscriber finds no forged retained command either.
    const late = await watch(url, ['thirdring/t/desk/anna/set']);
    const retained = await until('retained set', () => late.received[0]);
    expect(json(retained).led.color).toBe('off');
  });

  it('a retained action is passed on without its retain flag, so it is not done again at the next start', async () => {
    const { bridge, url } = await bridgeWithAccounts();
    const unit = await login(url, { username: 'desk-anna', password: 'anna-unit-secret' });
    await unit.publishAsync('thirdring/t/desk/anna/action', '{"action":"away"}', { qos: 1, retain: true });
    await until('anna away', () => !bridge.runner.state.deskById.get('anna')!.present);
    const late = await watch(url, ['thirdring/t/desk/anna/action']);
    await sleep(300);
    expect(late.received).toEqual([]);
  });

  it('packets larger than the account may send are cut before the broker buffers them; a silent connection is dropped', async () => {
    const { url, mqtt: feature } = await bridgeWithAccounts();
    const rssBefore = process.memoryUsage().rss;
    // Four unauthenticated CONNECTs declaring 250 MB each, then pushing data as fast as they can.
    const attackers = await Promise.all([1, 2, 3, 4].map(() => rawSocket(url)));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pushedUntilClosed = attackers.map((socket) => {
      socket.write(header(0x10, 250 * 1024 * 1024));
      let pushed = 0;
      const push = () => {
        while (!socket.destroyed && pushed < 50 * 1024 * 1024 && socket.write(chunk)) pushed += chunk.length;
      };
      socket.on('drain', push);
      socket.on('error', () => {});
      push();
      return closed(socket).then((ms) => ({ ms, pushed }));
    });
    const results = await Promise.all(pushedUntilClosed);
    for (const { ms } of results) expect(ms).toBeLessThan(2000);
    // Whatever the sockets pushed, the broker did not keep it.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * 1024 * 1024);
    expect(feature.counters.brokerRefused).toBeGreaterThanOrEqual(4);

    // An authenticated desk unit may not send a 100 KB publish either.
    const unit = await login(url, { username: 'desk-anna', password: 'anna-unit-secret' });
    const gone = new Promise<void>((resolve) => unit.once('close', () => resolve()));
    unit.publish('thirdring/t/desk/anna/action', Buffer.alloc(100 * 1024, 0x20));
    await gone;

    // A connection that never sends CONNECT is closed after 5 s (aedes's own default is 30 s).
    const silent = await rawSocket(url);
    const silentFor = await closed(silent);
    expect(silentFor).toBeGreaterThan(4000);
    expect(silentFor).toBeLessThan(7000);
  }, 20_000);
});
