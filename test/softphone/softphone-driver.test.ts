// The softphone source on the embedded broker, with a stand-in for baresip (an MQTT client logged in as the
// desk's softphone account, publishing what baresip 1.0 publishes): the account's ACL, the ping, hostile input.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge/bridge.js';
import { composeBridge, type BridgeFeatures } from '../../src/bridge/compose.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import type { Decision } from '../../src/core/index.js';
import { sleep, tempDir, until } from '../mqtt-helpers.js';

const AOR = 'sip:front@pbx.example.com';
const event = (type: string, id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type, class: 'call', accountaor: AOR, direction: 'incoming', peeruri: 'sip:caller@pbx.example.com', id, ...extra });

describe('softphone source on the embedded broker', () => {
  let bridge: Bridge;
  let features: BridgeFeatures;
  let phone: mqtt.MqttClient;
  const decisions: Decision[] = [];
  const devices: DeviceEvent[] = [];

  beforeAll(async () => {
    const config = parseConfig(`
site: t
dataDir: ${tempDir('thirdring-softphone-driver-')}
mqtt: { port: 0, wsPort: false }
dashboard: { enabled: false }
desks: [{ id: anna, at: [1, 0] }, { id: bram, at: [2, 0] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
softphones:
  - { desk: anna, baseTopic: desk-anna, accounts: [{ aor: "${AOR}", line: front }], password: anna-softphone-pw, pingSeconds: 0.2 }
  - { desk: bram, baseTopic: desk-bram, line: front, password: bram-softphone-pw, pingSeconds: 0.2 }
`);
    ({ bridge, features } = composeBridge(config, { log: { write: () => {} } }));
    bridge.on('decision', (d) => decisions.push(d));
    bridge.on('device', (e) => devices.push(e));
    await bridge.start();
    phone = await mqtt.connectAsync(features.mqtt.broker!.url, { clientId: 'baresip-desk-anna', username: 'softphone-anna', password: 'anna-softphone-pw', protocolVersion: 4 });
    // What baresip 1.0 does with a command: answer on command_resp/<token>.
    phone.on('message', (topic, payload) => {
      const { token } = JSON.parse(payload.toString()) as { token: string };
      void phone.publishAsync(`/desk-anna/command_resp/${token}`, JSON.stringify({ response: true, ok: true, data: '', token }));
    });
    await phone.subscribeAsync('/desk-anna/command/+');
  });

  afterAll(async () => {
    await phone?.endAsync(true);
    await bridge?.stop();
  });

  it('answers the ping → online; the silent softphone (bram) → offline with the no-answer fault', async () => {
    await until('anna online', () => devices.some((e) => e.type === 'device' && e.device === 'anna' && e.state === 'online'));
    const fault = await until('bram silent', () => devices.find((e) => e.type === 'fault' && e.device === 'bram'));
    expect(fault).toMatchObject({ family: 'softphone', reason: 'no-answer', detail: expect.stringContaining('/desk-bram') });
    expect(devices.some((e) => e.type === 'device' && e.device === 'anna' && e.state === 'offline')).toBe(false);
  });

  it('its account may publish only its own events: a forged event for bram is refused by the broker', async () => {
    await phone.publishAsync('/desk-bram/event', event('CALL_INCOMING', 'forged'));
    await sleep(200);
    expect(decisions.some((d) => d.type === 'ring')).toBe(false);
    await phone.publishAsync('/desk-anna/event', event('CALL_INCOMING', 'c1'));
    await until('ring 1', () => decisions.find((d) => d.type === 'ring'));
    await phone.publishAsync('/desk-anna/event', event('CALL_ESTABLISHED', 'c1'));
    expect(await until('answered', () => decisions.find((d) => d.type === 'answered'))).toMatchObject({ desk: 'anna', line: 'front', rings: 1 });
    await phone.publishAsync('/desk-anna/event', event('CALL_CLOSED', 'c1'));
    await until('ended', () => decisions.find((d) => d.type === 'ended'));
  });

  it('hostile events are counted and dropped, a fault at most once per reason, and the next call still rings', async () => {
    const counters = features.softphones.phones!.counters;
    const before = { dropped: counters.dropped, faults: devices.filter((e) => e.type === 'fault' && e.device === 'anna').length };
    const bad = [
      '{',
      '[]',
      JSON.stringify({ id: 'no-type' }),
      event('CALL_INCOMING', 'x'.repeat(5000)),
      event('CALL_INCOMING', 'constructor', { accountaor: { toString: 1 } }),
    ];
    // (An event over 16 KiB never arrives: the broker cuts a softphone account's packets at 16 KiB.)
    for (let i = 0; i < 50; i++) for (const payload of bad) phone.publish('/desk-anna/event', payload);
    // A call id named like Object.prototype's keys is just a call id.
    await phone.publishAsync('/desk-anna/event', event('CALL_INCOMING', '__proto__'));
    await until('ring 1 of the next call', () => decisions.filter((d) => d.type === 'ring').length === 2);
    expect(counters.dropped - before.dropped).toBe(250);
    expect(counters.events).toBeGreaterThanOrEqual(254);
    const faults = devices.filter((e) => e.type === 'fault' && e.device === 'anna').slice(before.faults);
    expect(faults.map((f) => f.type === 'fault' && f.reason).sort()).toEqual(['call-event-bad-account', 'call-event-bad-id', 'event-not-json', 'event-not-object', 'event-without-type']);
    await phone.publishAsync('/desk-anna/event', event('CALL_CLOSED', '__proto__'));
    await until('missed', () => decisions.find((d) => d.type === 'missed'), 10_000);
  }, 15_000);
});
