// Simulated branch sites for test/topologies and bench/topologies.bench.ts: each publishes log entries as a
// bridge's outbox does — QoS 1, in seq order, on thirdring/<site>/log, a window at a time, the window sent again
// until the broker acknowledges it (so a redelivery is possible, a gap is not).
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const RESEND_AFTER_MS = 5000;

/** A log entry as the bridge publishes it: odd seqs answer a call (a row in calls), even seqs are rings. */
export function siteEntry(site: string, stream: string, seq: number): string {
  const t = 1_795_500_000_000 + seq * 1000;
  const ts = new Date(t).toISOString();
  return seq % 2
    ? JSON.stringify({ t, type: 'answered', line: 'front', rings: 2, waitMs: 5000, onTime: true, desk: 'anna', ts, site, stream, seq })
    : JSON.stringify({ t, type: 'ring', line: 'front', ring: 1, ts, site, stream, seq });
}

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export interface SimulatedSite {
  site: string;
  /** sim-<site> unless set before publishing. */
  stream: string;
  client: MqttClient;
  /** The highest seq the broker has acknowledged (all below it too). */
  acked: number;
  /** Publishes seqs from..to in order; resolves once all are acknowledged. */
  publish(from: number, to: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A site's publisher, logged in as its branch account. `brokers` are tried in turn on every reconnect (mqtt.js
 * `servers`): a site whose node is gone goes on through another.
 */
export async function simulatedSite(brokers: { host: string; port: number }[], site: string, connect: IClientOptions, window = 50): Promise<SimulatedSite> {
  const client = await mqtt.connectAsync({
    ...connect,
    servers: brokers,
    host: brokers[0]!.host,
    port: brokers[0]!.port,
    protocolVersion: 4,
    clientId: `thirdring-bridge-${site}`,
    clean: true,
    reconnectPeriod: 300,
    connectTimeout: 3000,
  });
  const simulated: SimulatedSite = {
    site,
    stream: `sim-${site}`,
    client,
    acked: 0,
    async publish(from, to) {
      for (let first = from; first <= to; first += window) {
        const seqs = range(first, Math.min(to, first + window - 1));
        while (!(await acknowledged(seqs.map((seq) => client.publishAsync(`thirdring/${site}/log`, siteEntry(site, simulated.stream, seq), { qos: 1 }))))) {
          // Not acknowledged in time (the node went away mid-window): the whole window again, as an outbox would.
        }
        simulated.acked = seqs.at(-1)!;
      }
    },
    close: () => client.endAsync(true),
  };
  return simulated;
}

async function acknowledged(publishes: Promise<unknown>[]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), RESEND_AFTER_MS)));
  const all = Promise.all(publishes).then(
    () => true,
    () => new Promise<false>((resolve) => setTimeout(() => resolve(false), 200)),
  );
  try {
    return await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
  }
}
