import type mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedDeskUnit } from '../../firmware-sim/desk-unit-sim.js';
import type { Bridge } from '../../src/bridge/bridge.js';
import { subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';
import { startMqttBridge } from './bridge-harness.js';

// Hold, cover and callbacks driven over MQTT (desk unit actions and bridge/request/*) through the embedded broker.

const office = `
site: t
desks:
  - { id: anna, at: [1, 0] }
  - { id: bram, at: [3, 0] }
  - { id: chloe, at: [6, 0], coverFor: anna }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: [200, 300] }
mqtt: { port: 0, wsPort: false }
`;

const running: { bridge: Bridge }[] = [];
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true);
  for (const { bridge } of running.splice(0)) await bridge.stop();
});

const json = (r: Received) => JSON.parse(r.payload);

async function start() {
  const started = await startMqttBridge(office, tempDir());
  running.push(started);
  const sub = await subscriber(started.mqtt.broker!.url, ['thirdring/t/log', 'thirdring/t/bridge/response/+', 'thirdring/t/desk/+/set']);
  clients.push(sub.client);
  const publish = (topic: string, payload: object | string) =>
    sub.client.publishAsync(`thirdring/t/${topic}`, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
  const log = (type: string) => sub.received.filter((r) => r.topic === 'thirdring/t/log').map(json).filter((e) => e.type === type);
  const responses = (command: string) => sub.received.filter((r) => r.topic === `thirdring/t/bridge/response/${command}`).map(json);
  return { ...started, sub, publish, log, responses };
}

describe('hold, cover and callbacks over MQTT', () => {
  it('desk unit actions put a call on hold and take it off, and let one desk take over another', async () => {
    const { bridge, mqtt: mqttFeature, publish, log, sub } = await start();
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    bridge.input({ type: 'hook', desk: 'anna', state: 'off' });
    await publish('desk/anna/action', { action: 'hold' });
    await until('hold on', () => log('hold').find((e) => e.state === 'on'));
    expect(log('hold')[0]).toMatchObject({ line: 'front', desk: 'anna', state: 'on', heldMs: 0 });
    await publish('desk/anna/action', { action: 'resume' });
    await until('hold off', () => log('hold').find((e) => e.state === 'off'));
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    bridge.input({ type: 'hook', desk: 'anna', state: 'on' });

    await publish('desk/chloe/action', { action: 'takeover', from: 'anna' });
    await until('takeover logged', () => log('takeover').length === 1);
    expect(log('takeover')[0]).toMatchObject({ desk: 'chloe', from: 'anna', state: 'on' });
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    // chloe stands in at anna's place, nearer the phone than bram.
    await until('chloe lit', () => sub.received.find((r) => r.topic === 'thirdring/t/desk/chloe/set' && json(r).led.color === 'blue'));
    // The log goes through the outbox, so it can trail the retained set.
    await until('chloe assigned', () => log('assign').some((e) => e.desk === 'chloe'));
    expect(log('assign').at(-1)).toMatchObject({ desk: 'chloe', reason: 'first' });
    await publish('desk/chloe/action', { action: 'release', from: 'anna' });
    await until('released', () => log('takeover').length === 2);
    expect(bridge.runner.state.deskById.get('anna')!.coveredBy).toBeNull();

    await publish('desk/chloe/action', { action: 'takeover', from: 'ghost' });
    await publish('desk/chloe/action', { action: 'takeover' });
    await until('both dropped', () => mqttFeature.counters.inboundDropped === 2);
    await until('fault logged', () => log('fault').length === 1);
    // Same kind, so the second fault is counted but throttled out of the log.
    expect(log('fault').map((f) => [f.reason, f.detail])).toEqual([['bad-message:desk-action', 'desk/chloe/action: from: unknown desk "ghost"']]);
  });

  it('the cover button (action cover) toggles cover of desks[].coverFor; without one, or refused, it is a logged fault', async () => {
    const { bridge, mqtt: mqttFeature, publish, log } = await start();
    const anna = bridge.runner.state.deskById.get('anna')!;
    const unit = new SimulatedDeskUnit('chloe', 't', mqttFeature.broker!.url);
    await unit.connect();
    clients.push(unit.client!);
    await unit.doublePress(); // {"action":"cover"}
    await until('takeover on', () => log('takeover').length === 1);
    expect(log('takeover')[0]).toMatchObject({ desk: 'chloe', from: 'anna', state: 'on' });
    expect(anna.coveredBy?.id).toBe('chloe');
    await publish('desk/chloe/action', { action: 'cover' });
    await until('takeover off', () => log('takeover').length === 2);
    expect(log('takeover')[1]).toMatchObject({ desk: 'chloe', from: 'anna', state: 'off' });
    expect(anna.coveredBy).toBeNull();

    // bram has no coverFor: nothing happens, and the log says why.
    await publish('desk/bram/action', { action: 'cover' });
    await until('fault logged', () => log('fault').length === 1);
    expect(log('fault')[0]).toMatchObject({
      family: 'desk-unit', device: 'bram', reason: 'cover-unconfigured', detail: 'desk "bram" has no coverFor in the config: its cover button does nothing', count: 1,
    });
    // chloe, herself covered by bram, cannot take over anna.
    await publish('desk/bram/action', { action: 'takeover', from: 'chloe' });
    await until('bram covers chloe', () => log('takeover').length === 3);
    await publish('desk/chloe/action', { action: 'cover' });
    await until('refusal logged', () => log('fault').length === 2);
    expect(log('fault')[1]).toMatchObject({ device: 'chloe', reason: 'cover-refused', detail: "chloe cannot take over anna's calls: chloe is covered by bram" });
    expect(anna.coveredBy).toBeNull();
    expect(log('takeover')).toHaveLength(3);
    expect(bridge.counters.coverDropped).toBe(2);
    expect(mqttFeature.counters.inboundDropped).toBe(0);
  });

  it('a missed call owes a callback; an ack request returns it and says so', async () => {
    const { bridge, publish, log, responses } = await start();
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    const owed = await until('callback owed', () => log('callback-owed')[0]);
    expect(owed).toMatchObject({ line: 'front', desk: 'anna' });
    expect(log('missed')[0]).toMatchObject({ line: 'front', desk: 'anna', rings: 1 });

    await publish('bridge/request/status', { transaction: 's1' });
    const status = await until('status', () => responses('status')[0]);
    expect(status.callbacks).toEqual([{ line: 'front', missedAt: owed.missedAt, desk: 'anna', dueAt: owed.dueAt, overdue: false }]);
    expect(status.desks.anna).toMatchObject({ callbacksOwed: 1, callbacksOverdue: 0, coveredBy: null });

    await publish('bridge/request/ack', { desk: 'anna', transaction: 'a1' });
    expect(await until('ack response', () => responses('ack')[0])).toEqual({ ok: true, desk: 'anna', callbacksClosed: 1, callbacksOpen: 0, transaction: 'a1' });
    await until('closed logged', () => log('callback-closed')[0]);
    expect(log('callback-closed')[0]).toMatchObject({ line: 'front', missedAt: owed.missedAt, desk: 'anna', by: 'ack', overdue: false });
  });

  it('hold and takeover requests answer with what happened, or why not', async () => {
    const { bridge, publish, responses } = await start();
    await publish('bridge/request/hold', { desk: 'anna', state: 'on' });
    await publish('bridge/request/takeover', { desk: 'bram', from: 'anna', state: 'on', transaction: 'x' });
    await publish('bridge/request/takeover', { desk: 'bram', from: 'bram', state: 'on' });
    await publish('bridge/request/hold', { state: 'on' });
    await until('responses', () => responses('hold').length === 2 && responses('takeover').length === 2);
    expect(responses('hold')).toEqual([
      { ok: false, error: 'desk "anna" is not on a call' },
      { ok: false, error: 'payload: expected desk or line' },
    ]);
    expect(responses('takeover')).toEqual([
      { ok: true, desk: 'bram', from: 'anna', state: 'on', transaction: 'x' },
      { ok: false, error: 'a desk cannot take over its own calls' },
    ]);
    expect(bridge.runner.state.deskById.get('anna')!.coveredBy?.id).toBe('bram');
  });
});
