// What the bridge takes from a desk agent (thirdring desk) over MQTT: its hook, its loss as "away" when the desk's
// unit reports presence, the desk command with its alert and line, and bridge/state readable by the desk account.
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/index.js';
import { startMqttBridge } from './bridge-harness.js';
import { subscriber, tempDir, until } from '../mqtt-helpers.js';

const yaml = `
site: t
mqtt: { port: 0, wsPort: false, host: 127.0.0.1, username: admin, password: admin-secret-1 }
desks:
  - { id: anna, at: [1, 0], unit: { password: anna-secret-1, presence: true } }
  - { id: bram, at: [3, 0], unit: { password: bram-secret-1 } }
  - { id: chloe, at: [6, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
  - { id: back, phone: { at: [9, 0] }, cadence: nl }
`;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function office() {
  const started = await startMqttBridge(yaml, tempDir());
  cleanups.push(() => started.bridge.stop());
  const decisions: Decision[] = [];
  started.bridge.on('decision', (d) => decisions.push(d));
  return { ...started, url: started.mqtt.broker!.url, decisions };
}

async function deskClient(url: string, desk: string, password: string, will = false) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    username: `desk-${desk}`,
    password,
    clientId: `thirdring-desk-${desk}`,
    reconnectPeriod: 0,
    ...(will ? { will: { topic: `thirdring/t/desk/${desk}/availability`, payload: Buffer.from('offline'), qos: 1 as const, retain: true } } : {}),
  });
  cleanups.push(() => client.endAsync(true));
  return client;
}

describe('a desk agent at the bridge', () => {
  it('{"action":"hook"} answers at that desk: the line it names, or the call the desk was asked to answer; hook on ends it', async () => {
    const { bridge, url, decisions } = await office();
    const anna = await deskClient(url, 'anna', 'anna-secret-1');
    const hook = (action: object) => anna.publishAsync('thirdring/t/desk/anna/action', JSON.stringify({ action: 'hook', ...action }), { qos: 1 });
    // back rings for chloe (nearest); anna picks it up by name.
    bridge.input({ type: 'ring', line: 'back', state: 'on' });
    await hook({ state: 'off', line: 'back' });
    await until('back answered', () => decisions.find((d) => d.type === 'answered'), 5000);
    expect(decisions.find((d) => d.type === 'answered')).toMatchObject({ line: 'back', desk: 'anna' });
    await hook({ state: 'on' });
    await until('ended', () => decisions.find((d) => d.type === 'ended'), 5000);
    // front rings for anna; she picks up without naming it.
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await hook({ state: 'off' });
    await until('front answered', () => decisions.find((d) => d.type === 'answered' && d.line === 'front'), 5000);
    expect(decisions.filter((d) => d.type === 'answered').at(-1)).toMatchObject({ line: 'front', desk: 'anna' });
  });

  it('a bad hook is dropped, counted and logged, never fatal', async () => {
    const { bridge, url, mqtt: feature } = await office();
    const log = await subscriber(url, ['thirdring/t/log'], { username: 'admin', password: 'admin-secret-1' });
    cleanups.push(() => log.client.endAsync(true));
    const anna = await deskClient(url, 'anna', 'anna-secret-1');
    const before = feature.counters.inboundDropped;
    await anna.publishAsync('thirdring/t/desk/anna/action', JSON.stringify({ action: 'hook', state: 'sideways' }), { qos: 1 });
    await anna.publishAsync('thirdring/t/desk/anna/action', JSON.stringify({ action: 'hook', state: 'off', line: 'constructor' }), { qos: 1 });
    await until('two drops', () => feature.counters.inboundDropped === before + 2);
    const faults = await until('logged', () => {
      const entries = log.received.map((r) => JSON.parse(r.payload)).filter((e) => e.type === 'fault' && e.reason === 'bad-message:desk-action');
      return entries.length > 0 && entries;
    });
    expect(faults[0].detail).toMatch(/^desk\/anna\/action: state: /);
    expect(bridge.deskStatus('anna').presence).toBe('present');
  });

  it('the agent lost (its last will) makes a presence-reporting desk away, and it gets no calls; other units only go offline', async () => {
    const { bridge, url, decisions } = await office();
    const offline: string[] = [];
    bridge.on('device', (e) => e.type === 'device' && e.state === 'offline' && offline.push(e.device));
    const anna = await deskClient(url, 'anna', 'anna-secret-1', true);
    const bram = await deskClient(url, 'bram', 'bram-secret-1', true);
    await anna.publishAsync('thirdring/t/desk/anna/availability', 'online', { qos: 1, retain: true });
    await bram.publishAsync('thirdring/t/desk/bram/availability', 'online', { qos: 1, retain: true });
    // Gone without a goodbye: the broker sends each will.
    (anna.stream as unknown as { destroy(): void }).destroy();
    (bram.stream as unknown as { destroy(): void }).destroy();
    await until('anna away', () => bridge.deskStatus('anna').presence === 'away');
    await until('both units offline', () => offline.includes('anna') && offline.includes('bram'));
    expect(bridge.deskStatus('bram').presence).toBe('present');
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    expect(decisions.find((d) => d.type === 'assign')).toMatchObject({ desk: 'bram' });
  });

  it('desk/<id>/set carries the alert and its line; the desk account may read bridge/state', async () => {
    const { bridge, url } = await office();
    const anna = await deskClient(url, 'anna', 'anna-secret-1');
    const got: Record<string, string> = {};
    anna.on('message', (topic, payload) => (got[topic] = payload.toString()));
    const granted = await anna.subscribeAsync(['thirdring/t/bridge/state', 'thirdring/t/desk/anna/set'], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    await until('bridge online', () => got['thirdring/t/bridge/state'] === 'online');
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('yours', () => got['thirdring/t/desk/anna/set']?.includes('"yours"'));
    expect(JSON.parse(got['thirdring/t/desk/anna/set']!)).toEqual({ led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' }, alert: 'yours', line: 'front' });
  });
});
