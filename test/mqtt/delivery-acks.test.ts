import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { accessPolicy } from '../../src/bridge/mqtt/broker-access.js';
import { topicMatches } from '../../src/bridge/mqtt/delivery-acks.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/bridge/mqtt/embedded-broker.js';
import { sleep, until } from '../mqtt-helpers.js';

// The embedded broker's publish calls back once the subscribers have the message: written to them, and
// acknowledged by those subscribed at QoS 1 (what the bridge's work behind a desk command waits for).

const SET = 'thirdring/t/desk/anna/set';
let broker: EmbeddedBroker | null = null;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.endAsync(true);
  await broker?.close();
  broker = null;
});

async function start(): Promise<EmbeddedBroker> {
  broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, wsPort: false, policy: accessPolicy({ site: 't', readers: [], deskUnits: [] }) });
  return broker;
}

/**
 * A subscriber whose PUBACKs wait until `release()` (mqtt.js sends a QoS 1 PUBACK once handleMessage calls back,
 * and hands it the next message only then); at QoS 0 it takes each message at once.
 */
async function slowDesk(url: string, filter: string, qos: 0 | 1 = 1) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(client);
  const held: (() => void)[] = [];
  const received: string[] = [];
  client.handleMessage = (packet, callback) => {
    received.push(String(packet.payload));
    if (qos === 0) callback();
    else held.push(() => callback());
  };
  await client.subscribeAsync(filter, { qos });
  return { client, received, release: () => held.splice(0).forEach((ack) => ack()) };
}

function publish(at: EmbeddedBroker, payload: string): { done: () => boolean } {
  let done = false;
  at.publish(SET, payload, { qos: 1, retain: true }, () => (done = true));
  return { done: () => done };
}

describe('embedded broker: publish calls back once the subscribers have it', () => {
  it('waits for the PUBACK of a desk subscribed at QoS 1, not longer', async () => {
    const at = await start();
    const desk = await slowDesk(at.url, SET);
    const sent = publish(at, 'blue');
    await until('desk has it', () => desk.received.length === 1);
    await sleep(30);
    expect(sent.done()).toBe(false);
    desk.release();
    await until('called back after the PUBACK', () => sent.done(), 2000);
  });

  it('a wildcard subscription counts; a QoS 0 one, or nobody, is not waited for', async () => {
    const at = await start();
    const nobody = publish(at, 'blue');
    await until('nobody to wait for', () => nobody.done(), 2000);

    const qos0 = await slowDesk(at.url, 'thirdring/t/#', 0);
    const toQos0 = publish(at, 'off');
    await until('qos 0 subscriber has it', () => qos0.received.includes('off'));
    await until('not waited for', () => toQos0.done(), 2000);

    const wildcard = await slowDesk(at.url, 'thirdring/t/desk/+/set');
    await until('the retained command first', () => wildcard.received[0] === 'off');
    wildcard.release();
    const sent = publish(at, 'blue');
    await until('wildcard subscriber has it', () => wildcard.received.includes('blue'));
    await sleep(30);
    expect(sent.done()).toBe(false);
    wildcard.release();
    await until('called back', () => sent.done(), 2000);
  });

  it('a desk that never acknowledges, or leaves, holds it back 100 ms at most', async () => {
    const at = await start();
    const mute = await slowDesk(at.url, SET);
    const startedAt = performance.now();
    const sent = publish(at, 'blue');
    await until('given up on', () => sent.done(), 2000);
    expect(mute.received).toEqual(['blue']);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(90);

    const leaving = publish(at, 'off');
    await sleep(30);
    expect(leaving.done()).toBe(false);
    await mute.client.endAsync(true);
    await until('called back when it left', () => leaving.done(), 2000);
  });
});

describe('topicMatches (MQTT 3.1.1 §4.7)', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+/+/set', 'x/y/set', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['a/b', 'a/c', false],
    ['a/b/c', 'a/b', false],
  ])('%s matches %s: %s', (filter, topic, matches) => {
    expect(topicMatches(filter, topic)).toBe(matches);
  });
});
