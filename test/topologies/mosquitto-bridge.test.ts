// Issue #19, topology (b): a branch mosquitto (examples/topologies/mosquitto-bridge/branch.conf) forwarding
// thirdring/branch-01/# over TLS to headquarters' mosquitto (examples/topologies/central). The WAN is cut for
// THIRDRING_WAN_CUT_S seconds (default 20; the 5 minutes is THIRDRING_WAN_CUT_S=300 — the same mechanism,
// only more queued): the floor keeps working on the branch broker, the log waits there, and reaches headquarters'
// recorder in order, each entry once, when the link is back.
import mqtt, { type MqttClient } from 'mqtt';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { freePort, sleep, tempDir, until } from '../mqtt-helpers.js';
import { storedSeqs } from '../recorder/log-entries.js';
import { itWithTools } from '../system-tools.js';
import { startThirdring } from '../thirdring-process.js';
import { exampleConfig, HQ_PASSWORDS, makeCertificates, MOSQUITTO_EXAMPLE, passwordFile, startHeadquarters, startMosquitto, TOPOLOGIES, wanLink } from './mosquitto-parts.js';
import { sentByOutbox } from './outbox-file.js';

const CUT_S = Number(process.env.THIRDRING_WAN_CUT_S ?? 20);
const SITE = 'branch-01';
const BRANCH_PASSWORDS = { 'thirdring-bridge': 'bridge-local', 'thirdring-recorder': 'rec-local', facilities: 'fac-local', 'desk-anna': 'anna-local', 'desk-bram': 'bram-local', 'softphone-anna': 'sp-local' };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

async function connectHq(url: string, ca: string, username: keyof typeof HQ_PASSWORDS, clientId: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId, username, password: HQ_PASSWORDS[username], ca: readFileSync(ca), reconnectPeriod: 500 });
  cleanups.push(() => client.endAsync(true));
  return client;
}

describe('topology (b): a branch mosquitto bridged to headquarters', () => {
  itWithTools(['mosquitto', 'mosquitto_passwd', 'openssl'], `the WAN cut for ${CUT_S} s: the floor goes on, the log catches up in order, exactly once; the branch account cannot publish another site`, async () => {
    const certs = makeCertificates(tempDir('thirdring-certs-'));
    const hq = await startHeadquarters(tempDir('thirdring-hq-'), certs);
    cleanups.push(() => hq.broker.stop());
    const wanPort = await freePort();
    const wan = await wanLink(hq.port, wanPort);
    cleanups.push(() => wan.close());

    const branchDir = tempDir('thirdring-branch-broker-');
    const branchPort = await freePort();
    copyFileSync(join(MOSQUITTO_EXAMPLE, 'acl'), join(branchDir, 'acl'));
    passwordFile(join(branchDir, 'passwd'), BRANCH_PASSWORDS);
    const branchConf = exampleConfig(join(TOPOLOGIES, 'mosquitto-bridge/branch.conf'), branchDir, [
      [/^listener 1883$/, `listener ${branchPort} 127.0.0.1`],
      [/^password_file .*$/, `password_file ${join(branchDir, 'passwd')}`],
      [/^acl_file .*$/, `acl_file ${join(branchDir, 'acl')}`],
      [/^address .*$/, `address 127.0.0.1:${wanPort}`],
      [/^bridge_cafile .*$/, `bridge_cafile ${certs.ca}`],
      [/^remote_password .*$/, `remote_password ${HQ_PASSWORDS['bridge-branch-01']}`],
      // Only to keep the test short: the link is tried again within 1–2 s instead of 5–60 s.
      [/^restart_timeout .*$/, 'restart_timeout 1 2'],
    ]);
    const branch = await startMosquitto(branchConf);
    cleanups.push(() => branch.stop());
    const branchUrl = `mqtt://127.0.0.1:${branchPort}`;

    // Headquarters: the recorder (TLS through NODE_EXTRA_CA_CERTS) and facilities watching the log and the link.
    const db = join(tempDir('thirdring-hq-recorder-'), 'ring-log.sqlite');
    const recorder = startThirdring(['record', '--url', hq.url, '--db', db, '--client-id', 'thirdring-recorder-hq', '--username', 'thirdring-recorder', '--password', HQ_PASSWORDS['thirdring-recorder']], { env: { NODE_EXTRA_CA_CERTS: certs.ca } });
    cleanups.push(() => recorder.stop('SIGKILL'));
    await until('the recorder at headquarters recording', () => recorder.output.stderr.includes('recording thirdring/+/log'), 20_000);
    const facilities = await connectHq(hq.url, certs.ca, 'facilities', 'facilities-1');
    const seen: { topic: string; payload: string }[] = [];
    facilities.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
    await facilities.subscribeAsync(['thirdring/+/log', 'thirdring/+/link'], { qos: 1 });
    const link = () => seen.filter((m) => m.topic === `thirdring/${SITE}/link`).at(-1)?.payload;
    await until('the link up', () => link() === '1', 10_000);

    // The branch: a real bridge on its own broker, presence requests every 150 ms, desk anna's unit watching.
    const bridgeDir = tempDir('thirdring-branch-01-');
    writeFileSync(join(bridgeDir, 'bridge.yaml'), `
site: ${SITE}
dataDir: ./data
dashboard: { enabled: false }
mqtt: { url: "${branchUrl}", username: thirdring-bridge, password: ${BRANCH_PASSWORDS['thirdring-bridge']} }
desks:
  - { id: anna, at: [1, 0] }
  - { id: bram, at: [3, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
`);
    const bridge = startThirdring(['start', '--config', 'bridge.yaml'], { cwd: bridgeDir });
    cleanups.push(() => bridge.stop('SIGKILL'));
    await until('the bridge running', () => bridge.output.stdout.includes('thirdring: running'), 30_000);
    const driver = await mqtt.connectAsync(branchUrl, { protocolVersion: 4, clientId: 'driver', username: 'thirdring-bridge', password: BRANCH_PASSWORDS['thirdring-bridge'] });
    cleanups.push(() => driver.endAsync(true));
    const anna = await mqtt.connectAsync(branchUrl, { protocolVersion: 4, clientId: 'desk-anna-unit', username: 'desk-anna', password: BRANCH_PASSWORDS['desk-anna'] });
    cleanups.push(() => anna.endAsync(true));
    let annaUpdates = 0;
    anna.on('message', () => annaUpdates++);
    await anna.subscribeAsync(`thirdring/${SITE}/desk/anna`, { qos: 1 });
    let away = false;
    const timer = setInterval(() => {
      away = !away;
      driver.publish(`thirdring/${SITE}/bridge/request/presence`, JSON.stringify({ desk: 'anna', state: away ? 'away' : 'present' }), { qos: 1 });
    }, 150);
    cleanups.push(() => clearInterval(timer));
    const logAtHq = () => seen.filter((m) => m.topic === `thirdring/${SITE}/log`);
    await until('the log reaching headquarters', () => logAtHq().length >= 20, 10_000);

    await wan.cut();
    await until('headquarters sees the link down (its last will)', () => link() === '0', 10_000);
    const cutAt = { hq: logAtHq().length, anna: annaUpdates };
    await sleep(CUT_S * 1000);
    // The floor went on: anna's unit followed every change; nothing more reached headquarters.
    expect(annaUpdates - cutAt.anna).toBeGreaterThan(CUT_S * 3);
    expect(logAtHq().length).toBe(cutAt.hq);
    await wan.mend();
    await until('the link up again', () => link() === '1', 15_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${branch.log().slice(-3000)}`);
    });
    clearInterval(timer);
    await sleep(1000);
    expect(await bridge.stop()).toBe(0);

    const sent = sentByOutbox(bridgeDir);
    expect(sent.seqs.length).toBeGreaterThan(CUT_S * 5);
    await until('every entry recorded at headquarters', () => storedSeqs(db, SITE, sent.stream).length === sent.seqs.length, 20_000);
    expect(storedSeqs(db, SITE, sent.stream)).toEqual(sent.seqs);
    // In order: what headquarters got, first deliveries only, is the outbox's order.
    const arrived = logAtHq().map((m) => JSON.parse(m.payload) as { seq: number });
    const firsts = arrived.map((e) => e.seq).filter((seq, i, all) => all.indexOf(seq) === i);
    expect(firsts).toEqual(sent.seqs);

    // The branch's account at headquarters may not publish another site's log: mosquitto acknowledges and drops it.
    const forger = await connectHq(hq.url, certs.ca, 'bridge-branch-01', 'forger');
    await forger.publishAsync('thirdring/branch-02/log', JSON.stringify({ t: 1, type: 'ring', line: 'front', ring: 1, ts: '2026-01-01T00:00:00Z', site: 'branch-02', stream: 'forged', seq: 1 }), { qos: 1 });
    await sleep(500);
    expect(seen.filter((m) => m.topic === 'thirdring/branch-02/log')).toEqual([]);
    expect(storedSeqs(db, 'branch-02', 'forged')).toEqual([]);
  }, 60_000 + CUT_S * 1000);
});
