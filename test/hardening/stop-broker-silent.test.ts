import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/bridge/mqtt/outbox.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from '../mqtt/bridge-harness.js';
import { startTestAedes, tempDir, until } from '../mqtt-helpers.js';

// A broker that goes silent (a host that froze, a WAN that dropped without a FIN, a broker that was just sent
// SIGTERM while the bridge still thinks it is connected): stopping the bridge must not wait for acknowledgements
// that will never come, and must not lose what was not acknowledged.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP relay in front of a real aedes that can stop passing bytes either way while keeping both sockets open. */
async function freezableRelay(target: number) {
  let frozen = false;
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.push(client, upstream);
    client.on('data', (chunk) => void (frozen || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (frozen || client.write(chunk)));
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  cleanups.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return { url: `mqtt://127.0.0.1:${port}`, freeze: () => void (frozen = true) };
}

describe('stopping the bridge while the broker is silent', () => {
  it('takes a couple of seconds at most, and keeps the unacknowledged log entries in the outbox', async () => {
    const aedes = await startTestAedes();
    cleanups.push(() => aedes.stop());
    const relay = await freezableRelay(aedes.port);
    const dataDir = tempDir();
    const { bridge, mqtt } = await startMqttBridge(officeYaml(`{ url: "${relay.url}" }`), dataDir);
    await until('the bridge connected', () => mqtt.client?.connected);
    oneAnsweredCall(bridge);
    await until('the first call acknowledged', () => mqtt.outbox!.length === 0);
    const acknowledged = mqtt.outbox!.lastSeq;

    relay.freeze();
    oneAnsweredCall(bridge);
    await until('the second call logged', () => mqtt.outbox!.lastSeq >= acknowledged + 4);
    const made = mqtt.outbox!.lastSeq;
    expect(mqtt.client!.connected, 'the bridge cannot know yet').toBe(true);

    const started = Date.now();
    await bridge.stop();
    const took = Date.now() - started;
    expect(took).toBeLessThan(5000);

    const outbox = new Outbox(join(dataDir, 'outbox.sqlite'), 1000);
    cleanups.push(() => outbox.close());
    expect(outbox.next(0, 100).map((m) => m.seq)).toEqual(Array.from({ length: made - acknowledged }, (_, i) => acknowledged + 1 + i));
  }, 20_000);
});
