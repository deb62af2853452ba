import type { MqttClient } from 'mqtt';

/** How long a stop waits for the broker to take a last publish and the messages still in flight. */
export const LEAVE_GRACE_MS = 2000;

/**
 * Leaves the broker politely when it answers, and at once when it does not: mqtt.js's unforced end waits for every
 * in-flight QoS 1 message to be acknowledged, and a publish to a broker that has just gone waits for a reconnect
 * — both forever. A forced end loses nothing the sender keeps (the outbox re-sends what was not acknowledged).
 */
export async function leaveBroker(client: MqttClient, lastPublish?: { topic: string; payload: string; retain: boolean }, graceMs = LEAVE_GRACE_MS): Promise<void> {
  if (!client.connected) {
    await client.endAsync(true);
    return;
  }
  const polite = (async () => {
    if (lastPublish) await client.publishAsync(lastPublish.topic, lastPublish.payload, { qos: 1, retain: lastPublish.retain }).catch(() => {});
    await client.endAsync(false);
  })();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  const outcome = await Promise.race([polite.then(() => 'done' as const), gaveUp]);
  clearTimeout(timer);
  if (outcome === 'late') await client.endAsync(true);
}
