import type { MqttClient } from 'mqtt';

/**
 * A probe's view of one desk's `set` topic: `next(accept)` resolves with the performance.now() arrival time of the
 * next command whose payload passes `accept`, or null after `timeoutMs`. `onArrival` sees every message first.
 */
export async function setArrivals(client: MqttClient, topic: string, onArrival: () => void = () => {}) {
  let waiting: { accept: (payload: string) => boolean; resolve: (at: number) => void } | null = null;
  client.on('message', (_topic, payload) => {
    const at = performance.now();
    onArrival();
    if (waiting?.accept(payload.toString())) waiting.resolve(at);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return (accept: (payload: string) => boolean, timeoutMs: number) =>
    new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        waiting = null;
        resolve(null);
      }, timeoutMs);
      waiting = {
        accept,
        resolve: (at) => {
          clearTimeout(timer);
          waiting = null;
          resolve(at);
        },
      };
    });
}
