import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';

/** A ring log entry as the bridge publishes it (decision + ts, site, stream, seq). */
export function logPayload(seq: number, site = 't', stream = 'stream-a'): string {
  const t = 1_795_500_000_000 + seq * 1000;
  return JSON.stringify({ t, type: 'ring', line: 'front', ring: 1, ts: new Date(t).toISOString(), site, stream, seq });
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A publisher like the bridge's outbox: QoS 1, resolved once the broker acknowledged every entry. */
export async function publisher(url: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4, clientId: `log-publisher-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 200 });
}

export async function publishEntries(client: MqttClient, seqs: number[], site = 't', stream = 'stream-a'): Promise<void> {
  await Promise.all(seqs.map((seq) => client.publishAsync(`thirdring/${site}/log`, logPayload(seq, site, stream), { qos: 1 })));
}

/** The seqs stored for one site and stream, in order, read straight from the database file. */
export function storedSeqs(path: string, site = 't', stream = 'stream-a'): number[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq FROM entries WHERE site = ? AND stream = ? ORDER BY seq').pluck().all(site, stream) as number[];
  } finally {
    db.close();
  }
}

export function storedCount(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM entries').pluck().get() as number;
  } finally {
    db.close();
  }
}
