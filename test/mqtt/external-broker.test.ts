import { describe, expect } from 'vitest';
import { it } from 'vitest';
import { startPersistentMosquitto, startTestAedes, subscriber, tempDir, until, type Received, type TestBroker } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from './bridge-harness.js';

const json = (r: Received) => JSON.parse(r.payload);
// A broker may redeliver to its subscriber what the subscriber had not acknowledged when the broker stopped
// (QoS 1 is at least once); those copies carry the DUP flag. Anything else seen twice would be the bridge's fault.
const logEntries = (received: Received[]) => received.filter((r) => r.topic === 'thirdring/t/log' && !r.dup).map(json);
const callEntries = (received: Received[]) => logEntries(received).filter((e) => e.type !== 'fault' && e.type !== 'input');
/** What the bridge fed the core (one per input: a call here is 4 inputs and 4 decisions). */
const inputEntries = (received: Received[]) => logEntries(received).filter((e) => e.type === 'input');

/** Every entry once, in order, none missing: the seqs are exactly 1..n. Besides the calls, only broker-connection faults. */
function expectCompleteInOrder(received: Received[], calls: number) {
  const entries = logEntries(received);
  expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, i) => i + 1));
  expect(callEntries(received)).toHaveLength(calls);
  expect(inputEntries(received)).toHaveLength(calls);
  expect(entries.filter((e) => e.type === 'fault').every((e) => e.reason === 'broker-connection')).toBe(true);
}

interface BrokerKind {
  name: string;
  tools: string[];
  /** Start (or restart on `port`); with `hold`, the bridge is kept out until admitBridge(). */
  start(port?: number, hold?: boolean): Promise<TestBroker>;
}

let mosquittoDir: string | undefined;
const kinds: BrokerKind[] = [
  { name: 'aedes (standalone)', tools: [], start: (port, hold) => startTestAedes(port, hold) },
  {
    name: 'mosquitto',
    tools: ['mosquitto'],
    // Persistence keeps the subscriber's session (and the QoS 1 messages queued for it) across a restart.
    start: async (port) => {
      const broker = await startPersistentMosquitto(port, port ? mosquittoDir : undefined);
      mosquittoDir = broker.dir;
      return broker;
    },
  },
];

for (const kind of kinds) {
  const test = kind.tools.length ? (name: string, fn: () => Promise<void>) => itWithTools(kind.tools, name, fn, 60_000) : (name: string, fn: () => Promise<void>) => it(name, fn, 60_000);

  describe(`MQTT contract against ${kind.name}`, () => {
    test('ring → desk/<id>/set; the last will says offline when the connection drops; back online after', async () => {
      const broker = await kind.start();
      const { bridge, mqtt } = await startMqttBridge(officeYaml(`{ url: "${broker.url}" }`), tempDir());
      const sub = await subscriber(broker.url, ['thirdring/t/#']);
      try {
        await until('online', () => sub.received.find((r) => r.topic === 'thirdring/t/bridge/state' && r.payload === 'online'));
        bridge.input({ type: 'ring', line: 'front', state: 'on' });
        const set = await until('set', () => sub.received.find((r) => r.topic === 'thirdring/t/desk/anna/set' && json(r).led.color === 'blue'));
        expect(json(set)).toEqual({ led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' }, alert: 'yours', line: 'front' });

        mqtt.client!.stream.destroy();
        await until('last will', () => sub.received.find((r) => r.topic === 'thirdring/t/bridge/state' && r.payload === 'offline'));
        await until('reconnected', () => sub.received.filter((r) => r.topic === 'thirdring/t/bridge/state' && r.payload === 'online').length === 2);
      } finally {
        await sub.client.endAsync(true);
        await bridge.stop();
        await broker.stop();
      }
    });

    test('store-and-forward: 1,000 log entries made while the broker is down arrive once, in order — also across a bridge restart', async () => {
      let broker = await kind.start();
      const dataDir = tempDir();
      const yaml = officeYaml(`{ url: "${broker.url}" }`);
      let { bridge, mqtt } = await startMqttBridge(yaml, dataDir);
      const sub = await subscriber(broker.url, ['thirdring/t/log'], { clientId: `log-reader-${Date.now()}`, clean: false });
      try {
        await until('bridge connected', () => mqtt.client!.connected);
        oneAnsweredCall(bridge);
        await until('first call logged', () => callEntries(sub.received).length === 4);

        await broker.stop();
        await until('bridge sees the broker gone', () => !mqtt.client!.connected);
        for (let i = 0; i < 250; i++) oneAnsweredCall(bridge);
        await until('1,000 entries queued on disk', () => mqtt.outbox!.length >= 1000);

        broker = await kind.start(broker.port, true);
        await until('subscriber back', () => sub.client.connected, 10_000);
        if (!(sub.client.options.clean ?? true)) await sub.client.subscribeAsync('thirdring/t/log', { qos: 1 });
        broker.admitBridge();
        await until('1,000 delivered', () => callEntries(sub.received).length >= 1004 && mqtt.outbox!.length === 0, 20_000);
        expectCompleteInOrder(sub.received, 1004);

        // Broker down again, more entries, and the bridge restarts before the broker comes back.
        await broker.stop();
        await until('bridge sees the broker gone', () => !mqtt.client!.connected);
        for (let i = 0; i < 25; i++) oneAnsweredCall(bridge);
        await bridge.stop();
        ({ bridge, mqtt } = await startMqttBridge(yaml, dataDir));
        expect(mqtt.outbox!.length).toBeGreaterThanOrEqual(100);
        broker = await kind.start(broker.port, true);
        await until('subscriber back', () => sub.client.connected, 10_000);
        await sub.client.subscribeAsync('thirdring/t/log', { qos: 1 });
        broker.admitBridge();
        await until('100 more delivered', () => callEntries(sub.received).length >= 1104 && mqtt.outbox!.length === 0, 20_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expectCompleteInOrder(sub.received, 1104);
      } finally {
        await sub.client.endAsync(true);
        await bridge.stop();
        await broker.stop();
      }
    });
  });
}
