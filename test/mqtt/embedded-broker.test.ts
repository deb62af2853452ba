import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedDeskUnit } from '../../firmware-sim/desk-unit-sim.js';
import type { Bridge } from '../../src/bridge/bridge.js';
import { subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';
import { officeYaml, startMqttBridge } from './bridge-harness.js';

const running: { bridge: Bridge }[] = [];
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true);
  for (const { bridge } of running.splice(0)) await bridge.stop();
});

async function embedded(mqttBlock = '{ port: 0, wsPort: false }') {
  const started = await startMqttBridge(officeYaml(mqttBlock), tempDir());
  running.push(started);
  return { ...started, url: started.mqtt.broker!.url };
}

const json = (r: Received | undefined) => (r ? JSON.parse(r.payload) : undefined);
const last = (received: Received[], topic: string) => received.filter((r) => r.topic === topic).at(-1);

describe('MQTT with the embedded broker', () => {
  it('a ring reaches a subscriber as desk/<id>/set, line state and log entries', async () => {
    const { bridge, url } = await embedded();
    const sub = await subscriber(url, ['thirdring/t/#']);
    clients.push(sub.client);
    await until('bridge online', () => last(sub.received, 'thirdring/t/bridge/state')?.payload === 'online');

    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    const set = await until('anna set', () => sub.received.find((r) => r.topic === 'thirdring/t/desk/anna/set' && json(r).led.color === 'blue'));
    expect(json(set)).toEqual({ led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' }, alert: 'yours', line: 'front' });
    await until('line state', () => json(last(sub.received, 'thirdring/t/line/front'))?.state === 'ringing');
    expect(json(last(sub.received, 'thirdring/t/line/front'))).toMatchObject({ state: 'ringing', ring: 1, desk: 'anna' });
    const log = await until('three log entries', () => {
      const entries = sub.received.filter((r) => r.topic === 'thirdring/t/log').map(json);
      return entries.length >= 3 && entries;
    });
    // The input the core was fed comes first (a recorded day can be replayed), then what it decided.
    expect(log.slice(0, 3)).toEqual([
      { t: expect.any(Number), type: 'input', event: { type: 'ring', line: 'front', state: 'on' }, ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), site: 't', seq: 1, stream: expect.stringMatching(/^[0-9a-f-]{12,}$/) },
      { t: expect.any(Number), type: 'ring', line: 'front', ring: 1, subject: 'front', text: 'ring 1', ts: expect.any(String), site: 't', seq: 2, stream: expect.any(String) },
      { t: expect.any(Number), type: 'assign', line: 'front', desk: 'anna', reason: 'first', subject: 'front', text: '→ anna answers (nearest free)', ts: expect.any(String), site: 't', seq: 3, stream: expect.any(String) },
    ]);
    expect(log[0].t).toBe(log[1].t);
    expect(sub.received.some((r) => r.topic === 'thirdring/t/log' && r.retain)).toBe(false);

    // A desk unit connecting later gets the current command at once (retained).
    const late = await subscriber(url, ['thirdring/t/desk/anna/set']);
    clients.push(late.client);
    const retained = await until('retained set', () => late.received[0]);
    expect(retained.retain).toBe(true);
    expect(json(retained).led.color).toBe('blue');
  });

  it('an outgoing call shows on the retained line state (in use, since, by whom), and ends', async () => {
    const { url } = await embedded();
    const sub = await subscriber(url, ['thirdring/t/line/front', 'thirdring/t/bridge/response/hook']);
    clients.push(sub.client);
    await until('idle line', () => json(last(sub.received, 'thirdring/t/line/front'))?.state === 'idle');
    await sub.client.publishAsync('thirdring/t/bridge/request/hook', '{"desk":"anna","line":"front","state":"off"}', { qos: 1 });
    const inUse = await until('in use', () => {
      const line = json(last(sub.received, 'thirdring/t/line/front'));
      return line?.state === 'in-use' && line;
    });
    expect(inUse).toMatchObject({ state: 'in-use', desk: 'anna', since: expect.any(Number) });
    await sub.client.publishAsync('thirdring/t/bridge/request/hook', '{"desk":"anna","state":"on"}', { qos: 1 });
    await until('idle again', () => json(last(sub.received, 'thirdring/t/line/front'))?.state === 'idle');
  });

  it('drives a simulated desk unit: its button acknowledges a call, or toggles presence when idle', async () => {
    const { bridge, url } = await embedded();
    const unit = new SimulatedDeskUnit('anna', 't', url);
    await unit.connect();
    clients.push(unit.client!);
    const sub = await subscriber(url, ['thirdring/t/log', 'thirdring/t/desk/anna']);
    clients.push(sub.client);
    await until('unit online', () => json(last(sub.received, 'thirdring/t/desk/anna'))?.unit === 'online');

    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('unit shows yours', () => unit.state.led.color === 'blue');
    await unit.press();
    await until('ack logged', () => sub.received.find((r) => r.topic === 'thirdring/t/log' && json(r).type === 'desk-action'));

    bridge.input({ type: 'hook', desk: 'anna', state: 'off' });
    await until('unit cleared', () => unit.state.led.color === 'off');
    await unit.press();
    await until('anna away', () => json(last(sub.received, 'thirdring/t/desk/anna'))?.presence === 'away');
    expect(bridge.runner.state.deskById.get('anna')!.present).toBe(false);
  });

  it('drops, counts and logs malformed input, and keeps working', async () => {
    const { bridge, mqtt: feature, url } = await embedded();
    const sub = await subscriber(url, ['thirdring/t/log', 'thirdring/t/bridge/response/+', 'thirdring/t/desk/+/set']);
    clients.push(sub.client);
    const publish = (topic: string, payload: string) => sub.client.publishAsync(`thirdring/t/${topic}`, payload, { qos: 1 });
    await publish('desk/anna/action', 'not json');
    await publish('desk/anna/action', '{"action":"dance"}');
    await publish('desk/ghost/action', '{"action":"away"}');
    await publish('desk/anna/availability', 'maybe');
    await publish('bridge/request/presence', '{"desk":"anna"}');
    await publish('bridge/request/presence', '{"desk":"anna","state":"away","transaction":"t1"}');
    await publish('bridge/request/status', '');
    await publish('bridge/request/reboot', '{}');

    const responses = await until('four responses', () => {
      const r = sub.received.filter((m) => m.topic.includes('/bridge/response/')).map((m) => [m.topic.split('/').pop(), json(m)]);
      return r.length >= 4 && r;
    });
    expect(responses[0]).toEqual(['presence', { ok: false, error: 'state: Invalid option: expected one of "present"|"away"' }]);
    expect(responses[1]).toEqual(['presence', { ok: true, desk: 'anna', presence: 'away', transaction: 't1' }]);
    expect(responses[2]![1]).toMatchObject({ ok: true, site: 't', lines: { front: { state: 'idle' } }, desks: { anna: { presence: 'away' } } });
    expect(responses[3]).toEqual(['reboot', { ok: false, error: 'unknown command "reboot" (known: presence, hook, hold, ack, takeover, status)' }]);
    // Every invalid input is counted: 2 bad actions, the unknown desk, the availability, 2 bad requests.
    await until('six drops', () => feature.counters.inboundDropped === 6);
    const faults = await until('the kinds logged', () => {
      const logged = sub.received.filter((r) => r.topic === 'thirdring/t/log' && json(r).type === 'fault').map((r) => [json(r).reason, json(r).detail]);
      return logged.length >= 4 && logged;
    });
    // One report per kind and second (throttled); what the sender named goes into the detail, quoted.
    expect(faults).toEqual(
      expect.arrayContaining([
        ['bad-message:desk-action', expect.stringMatching(/^desk\/anna\/action: not JSON/)],
        ['bad-message:unknown-desk', 'desk/"ghost"/"action": no such desk'],
        ['bad-message:desk-availability', 'desk/anna/availability: expected online or offline'],
        ['bad-message:request', expect.stringMatching(/^bridge\/request\/"presence": state: /)],
      ]),
    );

    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('still assigns (bram: anna is away)', () => sub.received.find((r) => r.topic === 'thirdring/t/desk/bram/set' && json(r).led.color === 'blue'));

    // A softphone/PBX integration reports who picked up.
    await publish('bridge/request/hook', '{"desk":"chloe","line":"front","state":"off","transaction":"h1"}');
    await until('answered by chloe', () => sub.received.find((r) => r.topic === 'thirdring/t/log' && json(r).type === 'answered' && json(r).desk === 'chloe'));
  });

  it('with credentials: nobody gets in without them, desk units only reach their own topics', async () => {
    const started = await startMqttBridge(
      officeYaml('{ port: 0, wsPort: false, username: admin, password: admin-secret-1, readers: [{ username: facilities, password: reader-secret-1 }] }', {
        anna: 'anna-secret-1',
        bram: 'bram-secret-1',
      }),
      tempDir(),
    );
    running.push(started);
    const { bridge } = started;
    const url = started.mqtt.broker!.url;
    const tryConnect = (options: mqtt.IClientOptions) =>
      new Promise<string>((resolve) => {
        const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
        client.once('error', (error) => {
          client.end(true);
          resolve(error.message);
        });
        client.once('connect', () => {
          client.end(true);
          resolve('connected');
        });
      });
    expect(await tryConnect({})).toMatch(/Bad username or password/);
    expect(await tryConnect({ username: 'admin', password: 'wrong-password' })).toMatch(/Bad username or password/);
    expect(await tryConnect({ username: 'desk-chloe', password: 'anything-at-all' })).toMatch(/Bad username or password/);

    const anna = new SimulatedDeskUnit('anna', 't', url, 'anna-secret-1');
    await anna.connect();
    clients.push(anna.client!);
    await anna.publishAction('away');
    await until('anna away', () => !bridge.runner.state.deskById.get('anna')!.present);

    // Another desk's topics: the subscription is refused, and a publish closes the connection unheard.
    await expect(anna.client!.subscribeAsync('thirdring/t/desk/bram/set', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(anna.client!.connected).toBe(true);
    const closed = new Promise<void>((resolve) => anna.client!.once('close', () => resolve()));
    anna.client!.publish('thirdring/t/desk/bram/action', JSON.stringify({ action: 'away' }), { qos: 1 });
    await closed;
    expect(bridge.runner.state.deskById.get('bram')!.present).toBe(true);

    // Facilities staff can read the log but not act.
    const reader = await subscriber(url, ['thirdring/t/log'], { username: 'facilities', password: 'reader-secret-1', reconnectPeriod: 0 });
    clients.push(reader.client);
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('reader sees the log', () => reader.received.length >= 1);
    const readerClosed = new Promise<void>((resolve) => reader.client.once('close', () => resolve()));
    reader.client.publish('thirdring/t/desk/bram/action', JSON.stringify({ action: 'away' }), { qos: 1 });
    await readerClosed;
    expect(bridge.runner.state.deskById.get('bram')!.present).toBe(true);
  });
});
