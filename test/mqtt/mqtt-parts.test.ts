import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeEvents } from '../../src/bridge/bridge.js';
import { startTestAedes, subscriber, sleep, tempDir, until, type Received } from '../mqtt-helpers.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from './bridge-harness.js';

// The MQTT feature is made of parts (broker host, retained state, ring log, log pump, inbound router, request
// responder) that listen on the bridge by owner: stopping them must leave nothing behind, and splitting the
// feature must not put anything before the desk command.

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EVENTS: (keyof BridgeEvents)[] = ['input', 'decision', 'indicate', 'device', 'started', 'deskAction'];
const listeners = (bridge: { listenerCount(event: keyof BridgeEvents): number }) => EVENTS.map((e) => [e, bridge.listenerCount(e)]);

async function started(mqttBlock: string) {
  const run = await startMqttBridge(officeYaml(mqttBlock), tempDir());
  cleanups.push(() => run.bridge.stop());
  return run;
}

/** Everything on the site from the moment the bridge is quiet, a ring later. */
async function afterARing(url: string, run: Awaited<ReturnType<typeof started>>): Promise<Received[]> {
  const sub = await subscriber(url, ['thirdring/t/#']);
  cleanups.push(() => sub.client.endAsync(true));
  await until('bridge online', () => sub.received.some((r) => r.topic === 'thirdring/t/bridge/state' && r.payload === 'online'));
  await run.mqtt.settled();
  await sleep(200);
  const from = sub.received.length;
  run.bridge.input({ type: 'ring', line: 'front', state: 'on' });
  await run.mqtt.settled();
  await until('the ring logged', () => sub.received.slice(from).some((r) => r.topic === 'thirdring/t/log' && r.payload.includes('"type":"ring"')));
  return sub.received.slice(from);
}

function expectCommandsFirst(received: Received[]): void {
  const sets = received.flatMap((r, i) => (r.topic.endsWith('/set') ? [i] : []));
  const others = received.flatMap((r, i) => (r.topic.endsWith('/set') ? [] : [i]));
  expect(sets.length).toBeGreaterThan(0);
  expect(received[sets[0]!]!.topic).toBe('thirdring/t/desk/anna/set');
  expect(Math.max(...sets), received.map((r) => r.topic).join(', ')).toBeLessThan(Math.min(...others));
}

describe('MQTT feature parts', () => {
  it('stopping the feature takes every listener its parts put on the bridge', async () => {
    const { bridge, mqtt } = await started('{ port: 0, wsPort: false }');
    oneAnsweredCall(bridge);
    expect(listeners(bridge).filter(([, n]) => n === 0)).toEqual([]);
    await mqtt.stop();
    expect(listeners(bridge).filter(([, n]) => n !== 0)).toEqual([]);
    expect([mqtt.client, mqtt.broker, mqtt.outbox]).toEqual([null, null, null]);
  });

  it('with the embedded broker the desk command reaches a subscriber before the state and log a ring causes', async () => {
    const run = await started('{ port: 0, wsPort: false }');
    expectCommandsFirst(await afterARing(run.mqtt.broker!.url, run));
  });

  it('on an external broker the desk command reaches a subscriber before the state and log a ring causes', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const run = await started(`{ url: "${broker.url}" }`);
    await until('bridge connected', () => run.mqtt.client?.connected);
    expectCommandsFirst(await afterARing(broker.url, run));
  });
});
