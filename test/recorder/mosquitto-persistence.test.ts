// The mosquitto setup of examples/mosquitto (thirdring.conf + acl), run for real: mosquitto 2.0 with persistence
// keeps the recorder's session and the log entries queued for it across a broker restart, and the ACL keeps
// desk units (and readers) off the bridge's topics. See docs/mosquitto.md.
import mqtt, { type MqttClient } from 'mqtt';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect } from 'vitest';
import { SimulatedDeskUnit } from '../../firmware-sim/desk-unit-sim.js';
import { Recorder } from '../../src/bridge/recorder/recorder.js';
import { RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { oneAnsweredCall, startMqttBridge } from '../mqtt/bridge-harness.js';
import { freePort, sleep, tempDir, until } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { logPayload, range, storedCount, storedSeqs } from './log-entries.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/mosquitto/', import.meta.url));
/** The example ACL is written for this site. */
const SITE = 'branch-01';
const TOOLS = ['mosquitto', 'mosquitto_passwd'];
const PASSWORDS: Record<string, string> = {
  'thirdring-bridge': 'bridge-secret-1',
  'thirdring-recorder': 'recorder-secret-1',
  facilities: 'facilities-secret-1',
  'desk-anna': 'anna-secret-1',
  'desk-bram': 'bram-secret-1',
  'softphone-anna': 'anna-softphone-1',
};
const account = (username: string) => ({ username, password: PASSWORDS[username]! });

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A folder with the example config (only the listener — a free loopback port — and the paths changed), the
 * example ACL, a password file made with mosquitto_passwd, and the persistence directory `data/`.
 */
function brokerFolder(port: number, persistenceWritable: boolean) {
  const dir = tempDir('thirdring-mosquitto-conf-');
  // mosquitto started as root reads its password and ACL files after dropping to its own user.
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  // Writable for the broker's user (mosquitto, when the test runs as root) — or, to see what goes wrong, not.
  chmodSync(data, persistenceWritable ? 0o777 : 0o555);

  const acl = readFileSync(join(EXAMPLE, 'acl'), 'utf8');
  const users = [...acl.matchAll(/^user (.+)$/gm)].map((m) => m[1]!);
  expect(users.sort()).toEqual(Object.keys(PASSWORDS).sort());
  copyFileSync(join(EXAMPLE, 'acl'), join(dir, 'acl'));
  users.forEach((user, i) => {
    const made = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', join(dir, 'passwd'), user, PASSWORDS[user]!], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
  });
  chmodSync(join(dir, 'passwd'), 0o644);

  let conf = readFileSync(join(EXAMPLE, 'thirdring.conf'), 'utf8');
  const replace = (line: RegExp, by: string) => {
    expect(conf.match(new RegExp(line.source, 'gm')), `${line} in thirdring.conf`).toHaveLength(1);
    conf = conf.replace(new RegExp(line.source, 'm'), by);
  };
  replace(/^listener 1883$/, `listener ${port} 127.0.0.1`);
  replace(/^persistence_location .*$/, `persistence_location ${data}/`);
  replace(/^password_file .*$/, `password_file ${join(dir, 'passwd')}`);
  replace(/^acl_file .*$/, `acl_file ${join(dir, 'acl')}`);
  writeFileSync(join(dir, 'mosquitto.conf'), conf);
  return { conf: join(dir, 'mosquitto.conf'), data, db: join(data, 'mosquitto.db') };
}

interface Mosquitto {
  url: string;
  /** What it printed (the example config logs to stderr). */
  log(): string;
  /** SIGTERM (what `systemctl restart` sends): it saves its database and exits; resolves with the exit code. */
  stop(): Promise<number | null>;
}

async function startMosquitto(conf: string, port: number): Promise<Mosquitto> {
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(`mosquitto on port ${port}`, () => / running$/m.test(log) || child.exitCode !== null, 5000);
  if (child.exitCode !== null) throw new Error(`mosquitto did not start: ${log.trim()}`);
  const broker: Mosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  cleanups.push(() => broker.stop());
  return broker;
}

const bridgeYaml = (url: string) => `
site: ${SITE}
desks:
  - { id: anna, at: [1, 0] }
  - { id: bram, at: [3, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
mqtt: { url: "${url}", username: thirdring-bridge, password: ${PASSWORDS['thirdring-bridge']} }
`;

async function startBridge(url: string) {
  const started = await startMqttBridge(bridgeYaml(url), tempDir('thirdring-bridge-'));
  cleanups.push(() => started.bridge.stop());
  await until('the bridge connected', () => started.mqtt.client?.connected);
  return started;
}

/** `thirdring record` for every site, as the recorder account, with a fixed client id (its session at the broker). */
function startRecorder(url: string, db: string) {
  const recorder = new Recorder({ url, store: new RingLogStore(db), clientId: 'thirdring-recorder-all-test', connect: account('thirdring-recorder'), report: () => {} });
  recorder.start();
  // Whether the broker still had this client id's session (and what was queued for it) when it connected.
  const sessionPresent = new Promise<boolean>((resolve) => recorder.client!.once('connect', (connack) => resolve(connack.sessionPresent)));
  cleanups.push(() => recorder.stop());
  return { recorder, sessionPresent };
}

async function connectAs(url: string, username: string, clientId: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId, reconnectPeriod: 0, ...account(username) });
  cleanups.push(() => client.endAsync(true));
  return client;
}

/**
 * The bridge logs calls all along; the recorder records, stops, and while it is away the broker queues the log for
 * it; the broker restarts (a few seconds down, the bridge's outbox keeps the entries made meanwhile); the bridge
 * sends its backlog to the new broker while the recorder is still away; then the recorder comes back.
 */
async function restartWhileRecorderAway(persistenceWritable: boolean) {
  const port = await freePort();
  const folder = brokerFolder(port, persistenceWritable);
  let broker = await startMosquitto(folder.conf, port);
  const { bridge, mqtt: feature } = await startBridge(broker.url);
  const outbox = feature.outbox!;
  /** Every entry up to here the broker has acknowledged (they leave the outbox in order). */
  const acknowledgedUpTo = () => (outbox.next(0, 1)[0]?.seq ?? outbox.lastSeq + 1) - 1;
  const db = join(tempDir('thirdring-recorder-'), 'ring-log.sqlite');

  let { recorder } = startRecorder(broker.url, db);
  await recorder.ready;
  const calls = setInterval(() => oneAnsweredCall(bridge), 10);
  cleanups.push(() => clearInterval(calls));
  await until('the recorder recording', () => recorder.counters.stored >= 100);
  await recorder.stop();
  const recordedBeforeAway = recorder.storedUpTo(SITE, outbox.stream);
  await until('entries queued at the broker for the stopped recorder', () => acknowledgedUpTo() >= recordedBeforeAway + 300);

  const firstExit = await broker.stop();
  const firstLog = broker.log();
  const queuedAtRestart = range(recordedBeforeAway + 1, acknowledgedUpTo());
  await until('the bridge sees the broker gone', () => !feature.client!.connected);
  const outboxAtOutage = outbox.length;
  await sleep(2500);
  expect(outbox.length, 'calls went on during the outage, into the outbox').toBeGreaterThan(outboxAtOutage + 200);

  broker = await startMosquitto(folder.conf, port);
  await until('the bridge back', () => feature.client!.connected, 5000);
  const backAt = outbox.lastSeq;
  await until('the outage backlog sent to the new broker', () => acknowledgedUpTo() >= backAt + 100);

  const back = startRecorder(broker.url, db);
  recorder = back.recorder;
  await recorder.ready;
  await sleep(300);
  clearInterval(calls);
  await until('the outbox empty', () => outbox.length === 0);
  const last = outbox.lastSeq;
  // Delivery is in order: once the last entry is stored, everything the broker still had has come.
  await until('the last entry stored', () => recorder.storedUpTo(SITE, outbox.stream) === last, 10_000);
  await recorder.stop();
  const stored = storedSeqs(db, SITE, outbox.stream);
  const storedSet = new Set(stored);
  return {
    folder,
    firstExit,
    firstLog,
    last,
    stored,
    rows: storedCount(db),
    queuedAtRestart,
    missing: range(1, last).filter((seq) => !storedSet.has(seq)),
    sessionPresent: await back.sessionPresent,
  };
}

describe('the example mosquitto config (examples/mosquitto)', () => {
  itWithTools(TOOLS, 'keeps the recorder\'s queued log across a broker restart: every entry stored exactly once', async () => {
    const run = await restartWhileRecorderAway(true);
    // The broker saved its database on the way down, without error, to the configured place.
    expect(run.firstExit).toBe(0);
    expect(run.firstLog).toContain(`Saving in-memory database to ${run.folder.data}/`);
    expect(run.firstLog).not.toContain('Error saving');
    expect(statSync(run.folder.db).size).toBeGreaterThan(0);
    // It came back with the recorder's session, and what was queued for it.
    expect(run.sessionPresent).toBe(true);
    expect(run.queuedAtRestart.length).toBeGreaterThanOrEqual(300);
    expect(run.missing).toEqual([]);
    expect(run.stored).toEqual(range(1, run.last));
    expect(run.rows).toBe(run.last);
  }, 40_000);

  itWithTools(TOOLS, 'with a persistence directory the broker cannot write, it carries on and the restart loses the queued entries', async () => {
    const run = await restartWhileRecorderAway(false);
    // mosquitto 2.0.11 says so only when it saves (autosave, or on the way down), keeps running, exits 0.
    expect(run.firstExit).toBe(0);
    expect(run.firstLog).toMatch(/Error saving in-memory database, unable to open .*mosquitto\.db\.new for writing\.\n.*Error: Permission denied\./);
    expect(existsSync(run.folder.db)).toBe(false);
    expect(run.sessionPresent).toBe(false);
    // Everything the broker held for the recorder at the restart is gone (plus what the bridge sent before the
    // recorder subscribed again): the bridge had handed it over, so its outbox no longer has it either.
    expect(run.queuedAtRestart.length).toBeGreaterThanOrEqual(300);
    expect(run.missing).toEqual(expect.arrayContaining(run.queuedAtRestart));
    expect(run.stored.at(-1)).toBe(run.last);
  }, 40_000);

  itWithTools(TOOLS, 'ACL: only the bridge publishes its topics; a desk unit reaches only its own; readers only read the log', async () => {
    const port = await freePort();
    const broker = await startMosquitto(brokerFolder(port, true).conf, port);
    const refused = (options: mqtt.IClientOptions) =>
      new Promise<string>((resolve) => {
        const client = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
        client.once('error', (error) => (client.end(true), resolve(error.message)));
        client.once('connect', () => (client.end(true), resolve('connected')));
      });
    expect(await refused({})).toMatch(/not authorized/i);
    expect(await refused({ username: 'desk-anna', password: 'not-the-password' })).toMatch(/not authorized/i);

    const { bridge, mqtt: feature } = await startBridge(broker.url);
    const db = join(tempDir('thirdring-recorder-'), 'ring-log.sqlite');
    const { recorder } = startRecorder(broker.url, db);
    await recorder.ready;
    // Everything published under the site, as the bridge's account sees it.
    const sniffer = await connectAs(broker.url, 'thirdring-bridge', 'acl-test-sniffer');
    const sniffed: string[] = [];
    sniffer.on('message', (topic, payload) => sniffed.push(`${topic} ${payload}`));
    await sniffer.subscribeAsync('thirdring/#', { qos: 1 });

    const units = { anna: new SimulatedDeskUnit('anna', SITE, broker.url, PASSWORDS['desk-anna']), bram: new SimulatedDeskUnit('bram', SITE, broker.url, PASSWORDS['desk-bram']) };
    const seenBy = { anna: [] as string[], bram: [] as string[] };
    for (const [desk, unit] of Object.entries(units) as ['anna' | 'bram', SimulatedDeskUnit][]) {
      await unit.connect();
      cleanups.push(() => unit.client?.endAsync(true));
      unit.client!.on('message', (topic, payload) => seenBy[desk].push(`${topic} ${payload}`));
      // Granted by mosquitto 2.0, but only what the ACL lets this account read comes through.
      await unit.client!.subscribeAsync([`thirdring/${SITE}/#`, 'thirdring/+/log'], { qos: 1 });
    }
    await until('the bridge saw both units come online (their availability got through)', () =>
      ['anna', 'bram'].every((desk) => sniffed.some((m) => m.startsWith(`thirdring/${SITE}/desk/${desk} `) && JSON.parse(m.slice(m.indexOf(' ') + 1)).unit === 'online')),
    );
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('anna told to answer', () => units.anna.state.led.color === 'blue');

    // What others may not publish. mosquitto 2.0 acknowledges a refused QoS 1 publish (PUBACK) and drops it.
    const base = `thirdring/${SITE}`;
    const forged = (who: string) => [
      [`${base}/log`, logPayload(1, SITE, `forged-by-${who}`)],
      [`thirdring/branch-02/log`, logPayload(1, 'branch-02', `forged-by-${who}`)],
      [`${base}/desk/bram/action`, JSON.stringify({ action: 'away', forgedBy: who })],
      [`${base}/desk/bram/availability`, `offline (forged by ${who})`],
      [`${base}/desk/bram/set`, JSON.stringify({ led: { color: 'off', pattern: 'off' }, forgedBy: who })],
      [`${base}/desk/bram`, JSON.stringify({ presence: 'away', forgedBy: who })],
      [`${base}/desk/anna/set`, JSON.stringify({ led: { color: 'off', pattern: 'off' }, forgedBy: who })],
      [`${base}/desk/anna`, JSON.stringify({ presence: 'away', forgedBy: who })],
      [`${base}/bridge/state`, `offline (forged by ${who})`],
      [`${base}/bridge/response/status`, JSON.stringify({ forgedBy: who })],
      [`${base}/bridge/request/presence`, JSON.stringify({ desk: 'bram', state: 'away', forgedBy: who })],
      [`${base}/line/front`, JSON.stringify({ state: 'idle', forgedBy: who })],
    ] as const;
    const others = {
      'desk-anna': units.anna.client!,
      'thirdring-recorder': await connectAs(broker.url, 'thirdring-recorder', 'acl-test-recorder-account'),
      facilities: await connectAs(broker.url, 'facilities', 'acl-test-facilities'),
      // A desk's baresip: its own /desk-anna/… topics only (README "Softphones (baresip)").
      'softphone-anna': await connectAs(broker.url, 'softphone-anna', 'acl-test-softphone'),
    };
    for (const [who, client] of Object.entries(others)) {
      for (const [topic, payload] of forged(who)) await client.publishAsync(topic, payload, { qos: 1 });
    }
    // The bridge's account: only its own site.
    await sniffer.publishAsync('thirdring/branch-02/log', logPayload(1, 'branch-02', 'forged-by-bridge-account'), { qos: 1 });

    // A softphone publishes its own events, which the bridge's account reads, and no other desk's.
    await sniffer.subscribeAsync('/+/event', { qos: 0 });
    await others['softphone-anna'].publishAsync('/desk-bram/event', '{"type":"CALL_INCOMING","spoofed":true}');
    await others['softphone-anna'].publishAsync('/desk-anna/event', '{"type":"CALL_INCOMING"}');
    await until('the bridge account reads the softphone event', () => sniffed.includes('/desk-anna/event {"type":"CALL_INCOMING"}'));
    expect(sniffed.filter((m) => m.includes('spoofed'))).toEqual([]);

    // Allowed: anna's own action (after all of the above, on the same connection) — the bridge acts on it.
    await units.anna.publishAction('away');
    await until('anna away', () => !bridge.runner.state.deskById.get('anna')!.present);
    await until('anna sees her own desk state', () => seenBy.anna.some((m) => m.startsWith(`${base}/desk/anna `) && m.includes('"presence":"away"')));
    // Messages reach a subscriber in the order they were routed: once these markers are in, any forged message
    // routed before them would be in too.
    await sniffer.publishAsync(`${base}/bridge/response/marker`, 'marker', { qos: 1 });
    await until('the sniffer has its marker', () => sniffed.includes(`${base}/bridge/response/marker marker`));
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    await until('the recorder has the bridge\'s whole log', () => feature.outbox!.length === 0 && recorder.storedUpTo(SITE, feature.outbox!.stream) === feature.outbox!.lastSeq);

    for (const who of Object.keys(others)) {
      for (const [topic, payload] of forged(who)) expect(sniffed, `${who} → ${topic}`).not.toContain(`${topic} ${payload}`);
    }
    expect(sniffed.filter((m) => m.includes('forged'))).toEqual([]);
    // The recorder stored the bridge's log and nothing else.
    for (const who of [...Object.keys(others), 'bridge-account']) {
      expect(storedSeqs(db, SITE, `forged-by-${who}`)).toEqual([]);
      expect(storedSeqs(db, 'branch-02', `forged-by-${who}`)).toEqual([]);
    }
    expect(storedCount(db)).toBe(feature.outbox!.lastSeq);
    expect(bridge.runner.state.deskById.get('bram')!.present).toBe(true);

    // A desk unit reads only its own set and desk state (retained, from the bridge), and whether the bridge is there.
    const topicsSeen = (desk: 'anna' | 'bram') => [...new Set(seenBy[desk].map((m) => m.slice(0, m.indexOf(' '))))].sort();
    expect(topicsSeen('anna')).toEqual([`${base}/bridge/state`, `${base}/desk/anna`, `${base}/desk/anna/set`]);
    expect(topicsSeen('bram')).toEqual([`${base}/bridge/state`, `${base}/desk/bram`, `${base}/desk/bram/set`]);
    expect([...seenBy.anna, ...seenBy.bram].filter((m) => m.includes('forged'))).toEqual([]);
    expect(feature.counters.brokerRefused).toBe(0);
  }, 30_000);
});
