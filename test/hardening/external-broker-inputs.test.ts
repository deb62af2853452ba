import mqtt from 'mqtt';
import { afterEach, describe, expect } from 'vitest';
import type { Bridge } from '../../src/bridge/bridge.js';
import type { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from '../mqtt/bridge-harness.js';
import { freePort, sleep, startPersistentMosquitto, subscriber, tempDir, until, type Received, type TestBroker } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';

// On an external broker the bridge cannot stop anyone from retaining an input, or a desk from flooding it with
// nonsense while the broker is away: it has to cope itself. Through a real mosquitto.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const json = (r: Received) => JSON.parse(r.payload);

async function mosquitto(port?: number, dir?: string): Promise<TestBroker & { dir: string }> {
  const broker = await startPersistentMosquitto(port, dir);
  cleanups.push(() => broker.stop().catch(() => {}));
  return broker;
}

async function bridgeOn(url: string, extra = ''): Promise<{ bridge: Bridge; mqtt: MqttFeature }> {
  const started = await startMqttBridge(officeYaml(`{ url: "${url}"${extra} }`), tempDir());
  cleanups.push(() => started.bridge.stop());
  return started;
}

describe('inputs on an external broker (mosquitto)', () => {
  itWithTools(['mosquitto'], 'retained requests and actions are not acted on at start or reconnect; they are cleared, counted and logged', async () => {
    const broker = await mosquitto();
    const tool = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cleanups.push(() => tool.endAsync(true));
    await tool.publishAsync('thirdring/t/bridge/request/presence', '{"desk":"anna","state":"away"}', { qos: 1, retain: true });
    await tool.publishAsync('thirdring/t/desk/bram/action', '{"action":"away"}', { qos: 1, retain: true });
    // A desk unit's retained availability is how it reports: that one counts.
    await tool.publishAsync('thirdring/t/desk/chloe/availability', 'online', { qos: 1, retain: true });

    // Subscribed before the bridge starts: the fault it logs at its first connect must not go by unseen.
    const sub = await subscriber(broker.url, ['thirdring/t/log', 'thirdring/t/desk/chloe']);
    cleanups.push(() => sub.client.endAsync(true));
    const { bridge, mqtt: feature } = await bridgeOn(broker.url);
    await until('both cleared', () => feature.counters.retainedInputsCleared === 2);
    await until('chloe unit online', () => sub.received.some((r) => r.topic === 'thirdring/t/desk/chloe' && json(r).unit === 'online'));
    // A reconnect gets the retained messages again, if they were still there.
    const reconnected = new Promise((resolve) => feature.client!.once('connect', resolve));
    feature.client!.stream.destroy();
    await reconnected;
    await sleep(500);
    expect(bridge.runner.state.deskById.get('anna')!.present).toBe(true);
    expect(bridge.runner.state.deskById.get('bram')!.present).toBe(true);
    expect(feature.counters.retainedInputsCleared).toBe(2);
    // The empty messages that cleared them come back to the bridge too; they are not bad input.
    expect(feature.counters.inboundDropped).toBe(0);

    const late = await subscriber(broker.url, ['thirdring/t/bridge/request/+', 'thirdring/t/desk/+/action']);
    cleanups.push(() => late.client.endAsync(true));
    await sleep(300);
    expect(late.received).toEqual([]);
    const faults = sub.received.filter((r) => json(r).type === 'fault').map(json);
    expect(faults[0]).toMatchObject({ reason: 'retained-input', detail: expect.stringContaining('inputs must not be retained') });

    // The same messages, not retained, are acted on.
    await tool.publishAsync('thirdring/t/bridge/request/presence', '{"desk":"anna","state":"away"}', { qos: 1 });
    await until('anna away', () => !bridge.runner.state.deskById.get('anna')!.present);
  }, 30_000);

  itWithTools(['mosquitto'], 'a flood of faults while the broker is away never pushes a call out of the outbox: the faults go first', async () => {
    const port = await freePort();
    const broker = await mosquitto(port);
    const { bridge, mqtt: feature } = await bridgeOn(broker.url, ', outbox: { maxMessages: 100 }');
    // A persistent session, so what the bridge sends after the restart is kept for it however they race back.
    const sub = await subscriber(broker.url, ['thirdring/t/log'], { clientId: 'log-reader-flood', clean: false });
    cleanups.push(() => sub.client.endAsync(true));
    await until('connected', () => feature.client!.connected);
    await broker.stop();
    await until('disconnected', () => !feature.client!.connected);

    // 10 calls (4 inputs and 4 decisions each) between 1,000 fault reports from a noisy sensor, while the broker
    // is down: the outbox (100 at most) cannot hold them all.
    for (let call = 0; call < 10; call++) {
      for (let i = 0; i < 100; i++) {
        bridge.reportDevice({ type: 'fault', family: 'ring-sensor', device: '/dev/ttyACM0', reason: 'bad-line:bad-checksum', detail: `noise ${call}-${i}`, count: call * 100 + i + 1 });
      }
      oneAnsweredCall(bridge);
    }
    await sleep(50); // decisions reach the outbox two turns of the event loop after they are made
    expect(feature.outbox!.length).toBe(100);
    expect(feature.outbox!.dropped).toBe(0);
    expect(feature.outbox!.droppedFaults).toBeGreaterThanOrEqual(980);

    await mosquitto(port, broker.dir);
    const calls = await until('all 80 call entries', () => {
      const entries = sub.received.filter((r) => !r.dup).map(json).filter((e) => e.type !== 'fault');
      return entries.length >= 80 && entries;
    }, 15_000);
    expect(calls).toHaveLength(80);
    expect(calls.filter((e) => e.type === 'input')).toHaveLength(40);
    expect(calls.filter((e) => e.type === 'answered')).toHaveLength(10);
    expect(calls.filter((e) => e.type === 'ended')).toHaveLength(10);
    // In order, and only the newest faults (those that still fitted) came with them.
    const seqs = sub.received.filter((r) => !r.dup).map((r) => json(r).seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(sub.received.filter((r) => !r.dup && json(r).type === 'fault').length).toBeLessThanOrEqual(20);
  }, 30_000);
});
