import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Bridge } from '../../src/bridge/bridge.js';
import { composeBridge } from '../../src/bridge/compose.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import type { Decision } from '../../src/core/index.js';
import { startPersistentMosquitto, subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';
import { hasTool, itWithTools } from '../system-tools.js';
import { startBaresip, type Baresip } from './baresip-process.js';

// Real parts: mosquitto, two desks' baresip and a third baresip standing in for the PBX, which forks a call to the
// shared line to both desks (two INVITEs) and cancels or hangs them up as a ring group would. Ring period 2 s.
const TOOLS = ['baresip', 'mosquitto'];
// Locally without them, itWithTools skips each test with one line; in CI it fails them.
const ready = TOOLS.every(hasTool);

type CallEvent = { type: string; id: string; accountaor: string };

describe('softphones through real baresip and mosquitto', () => {
  const dir = tempDir('thirdring-softphones-');
  let broker: Awaited<ReturnType<typeof startPersistentMosquitto>>;
  const phones: Baresip[] = [];
  let anna: Baresip, bram: Baresip, pbx: Baresip;
  let bridge: Bridge;
  let stopBridge: () => Promise<void>;
  let sub: { client: MqttClient; received: Received[] };
  const decisions: Decision[] = [];
  const devices: DeviceEvent[] = [];

  beforeAll(async () => {
    if (!ready) return;
    broker = await startPersistentMosquitto(undefined, tempDir('thirdring-softphone-broker-'));
    anna = await startBaresip({ dir, user: 'anna', baseTopic: 'desk-anna', brokerPort: broker.port });
    bram = await startBaresip({ dir, user: 'bram', baseTopic: 'desk-bram', brokerPort: broker.port });
    pbx = await startBaresip({ dir, user: 'pbx', baseTopic: 'pbx', brokerPort: broker.port });
    phones.push(anna, bram, pbx);
    sub = await subscriber(broker.url, ['/+/event']);
    const config = parseConfig(`
site: t
dataDir: ${tempDir('thirdring-softphone-data-')}
mqtt: { url: "${broker.url}" }
dashboard: { enabled: false }
desks: [{ id: anna, at: [1, 0] }, { id: bram, at: [3, 0] }, { id: chloe, at: [9, 0] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: [1000, 1000] }]
softphones:
  - { desk: anna, baseTopic: desk-anna, accounts: [{ aor: "${anna.aor}", line: front }], pingSeconds: 0.4 }
  - { desk: bram, baseTopic: desk-bram, line: front, pingSeconds: 0.4 }
`);
    const composed = composeBridge(config, { log: { write: () => {} } });
    bridge = composed.bridge;
    bridge.on('decision', (d) => decisions.push(d));
    bridge.on('device', (e) => devices.push(e));
    await bridge.start();
    stopBridge = () => bridge.stop();
    await until('both softphones online', () => ['anna', 'bram'].every((desk) => devices.some((e) => e.type === 'device' && e.family === 'softphone' && e.device === desk && e.state === 'online')), 10_000);
  }, 30_000);

  afterAll(async () => {
    await stopBridge?.();
    await sub?.client.endAsync(true);
    await Promise.all(phones.map((p) => p.stop()));
    await broker?.stop();
  });

  const command = (phone: Baresip, body: Record<string, string>) => sub.client.publishAsync(`/${phone.baseTopic}/command/test`, JSON.stringify({ token: 'test', ...body }));
  const events = (phone: Baresip) => sub.received.filter((r) => r.topic === `/${phone.baseTopic}/event`).map((r) => JSON.parse(r.payload) as CallEvent);
  const after = (since: number) => decisions.slice(since);
  const incomingAt = (phone: Baresip, seen: number) => until(`a call rings at ${phone.baseTopic}`, () => events(phone).slice(seen).find((e) => e.type === 'CALL_INCOMING'));
  /** The PBX forks a call to the shared line to both desks; the call ids, as each desk's baresip reports them. */
  async function callTheLine() {
    const seen = [events(anna).length, events(bram).length] as const;
    await command(pbx, { command: 'dial', params: `sip:anna@127.0.0.1:${anna.sipPort}` });
    await command(pbx, { command: 'dial', params: `sip:bram@127.0.0.1:${bram.sipPort}` });
    return { anna: (await incomingAt(anna, seen[0])).id, bram: (await incomingAt(bram, seen[1])).id };
  }
  const hangUp = (callid: string) => command(pbx, { command: 'hangup', accountaor: pbx.aor, callid });

  itWithTools(TOOLS, 'a call rings ring 1 with an assignment, escalates on ring 2; answered at the assigned desk → answered there, on time', async () => {
    const from = decisions.length;
    const calls = await callTheLine();
    await until('ring 1 and the assignment', () => after(from).some((d) => d.type === 'assign'));
    expect(after(from).filter((d) => d.type === 'ring' || d.type === 'assign').map((d) => d.type === 'ring' ? `ring ${d.ring}` : `assign ${d.type === 'assign' ? d.desk : ''}`)).toEqual(['ring 1', 'assign anna']);
    const escalate = await until('escalation at ring 2', () => after(from).find((d) => d.type === 'escalate'), 5000);
    expect(escalate).toMatchObject({ line: 'front', level: 2 });
    expect(after(from).filter((d) => d.type === 'ring').map((d) => d.type === 'ring' && d.ring)).toEqual([1, 2]);
    await command(anna, { command: 'accept', accountaor: anna.aor, callid: calls.anna });
    const answered = await until('answered', () => after(from).find((d) => d.type === 'answered'), 5000);
    expect(answered).toMatchObject({ line: 'front', desk: 'anna', onTime: true, rings: 2 });
    await hangUp(calls.bram);
    await hangUp(calls.anna);
    await until('the call ends when anna hangs up', () => after(from).find((d) => d.type === 'ended'), 5000);
    expect(after(from).some((d) => d.type === 'missed')).toBe(false);
  }, 20_000);

  itWithTools(TOOLS, 'the caller gives up while both desks ring → missed, a callback owed', async () => {
    const from = decisions.length;
    const calls = await callTheLine();
    await until('ring 1', () => after(from).some((d) => d.type === 'assign'));
    await hangUp(calls.anna);
    await hangUp(calls.bram);
    const missed = await until('missed', () => after(from).find((d) => d.type === 'missed'), 8000);
    expect(missed).toMatchObject({ line: 'front', rings: 1, desk: 'anna' });
    expect(after(from).find((d) => d.type === 'callback-owed')).toMatchObject({ line: 'front', desk: 'anna' });
    expect(events(anna).filter((e) => e.id === calls.anna).map((e) => e.type)).not.toContain('CALL_ESTABLISHED');
  }, 20_000);

  itWithTools(TOOLS, 'a broker restart: baresip does not come back, and each softphone is reported offline with a fault', async () => {
    const seen = devices.length;
    await broker.stop();
    broker = await startPersistentMosquitto(broker.port, broker.dir);
    const faults = await until('no-answer faults for both desks', () => {
      const found = devices.slice(seen).filter((e) => e.type === 'fault' && e.family === 'softphone' && e.reason === 'no-answer');
      return found.length >= 2 && found;
    }, 10_000);
    expect(faults.map((f) => f.device).sort()).toEqual(['anna', 'bram']);
    expect(faults[0]).toMatchObject({ detail: expect.stringContaining('restart baresip') });
    expect(devices.slice(seen).filter((e) => e.type === 'device' && e.state === 'offline').map((e) => e.device).sort()).toEqual(['anna', 'bram']);
    // The fact the ping exists for: baresip 1.0's MQTT client connected once and never again.
    expect(anna.output().split('mqtt: connected to broker').length - 1).toBe(1);
  }, 20_000);
});
