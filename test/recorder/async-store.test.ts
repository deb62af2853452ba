// The recorder with an asynchronous store (PostgreSQL's is one): one transaction at a time, PUBACKs only after it
// resolves, a failing store retried with growing delays, and stop() not held up by a store that keeps failing.
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder, type EntryStore } from '../../src/bridge/recorder/recorder.js';
import type { IngestResult, StoredEntry } from '../../src/bridge/store/ring-log-store.js';
import { startTestAedes, until } from '../mqtt-helpers.js';
import { publishEntries, publisher, range } from './log-entries.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store whose transactions end when the test says so; it remembers what it was given. */
class SlowStore implements EntryStore {
  readonly stored = new Set<number>();
  batches: number[][] = [];
  inFlight = 0;
  mostInFlight = 0;
  failing = false;
  private release: (() => void)[] = [];

  ingest(entries: readonly StoredEntry[]): Promise<IngestResult> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    this.batches.push(entries.map((e) => e.seq));
    return new Promise((resolve, reject) => {
      this.release.push(() => {
        this.inFlight--;
        if (this.failing) return reject(new Error('connection terminated'));
        let inserted = 0;
        for (const e of entries) {
          if (this.stored.has(e.seq)) continue;
          this.stored.add(e.seq);
          inserted++;
        }
        resolve({ inserted, duplicates: entries.length - inserted, conflicts: [] });
      });
    });
  }

  /** Ends the transactions in flight. */
  commit(): void {
    for (const release of this.release.splice(0)) release();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function setUp(store: SlowStore) {
  const broker = await startTestAedes();
  cleanups.push(() => broker.stop());
  const reports: string[] = [];
  const recorder = new Recorder({ url: broker.url, store, clientId: 'async-store', report: (m) => reports.push(m) });
  recorder.start();
  cleanups.push(() => recorder.stop());
  await recorder.ready;
  const pub = await publisher(broker.url);
  cleanups.push(() => pub.endAsync(true));
  return { recorder, reports, pub };
}

describe('recorder with an asynchronous store', () => {
  it('runs one transaction at a time and acknowledges a batch only once it is committed', async () => {
    const store = new SlowStore();
    const { recorder, pub } = await setUp(store);
    // PUBACKs the recorder writes to the broker (sendAcks writes them as 4-byte packets starting 0x40).
    let pubacks = 0;
    const connection = recorder.client!.stream;
    const write = connection.write.bind(connection) as (chunk: unknown, ...rest: unknown[]) => boolean;
    connection.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) && chunk[0] === 0x40 && chunk.length % 4 === 0) pubacks += chunk.length / 4;
      return write(chunk, ...rest);
    }) as typeof connection.write;
    let acknowledged = 0;
    const published = Promise.all(range(1, 300).map(async (seq) => {
      await publishEntries(pub, [seq]);
      acknowledged++;
    }));
    await until('the first batch in flight', () => store.inFlight === 1);
    await until('more received meanwhile', () => recorder.counters.received === 300);
    expect(recorder.counters.stored).toBe(0);
    expect(pubacks).toBe(0);
    while (store.stored.size < 300) {
      store.commit();
      await until('the next batch or the end', () => store.inFlight === 1 || store.stored.size === 300, 5000);
    }
    await published;
    expect(acknowledged).toBe(300);
    expect(pubacks).toBe(300);
    expect(store.mostInFlight).toBe(1);
    expect(recorder.counters.stored).toBe(300);
    expect(store.batches.flat().sort((a, b) => a - b)).toEqual(range(1, 300));
  });

  it('retries a failing store with growing delays, says when it works again, and stops without waiting for it', async () => {
    const store = new SlowStore();
    store.failing = true;
    const { recorder, reports, pub } = await setUp(store);
    await publishEntries(pub, range(1, 10));
    await until('first attempt', () => store.inFlight === 1);
    store.commit();
    await until('said', () => reports.some((r) => r.startsWith('cannot store entries: connection terminated; trying again in 1 s')));
    await until('second attempt', () => store.inFlight === 1, 3000);
    store.commit();
    await until('third attempt (after 2 s)', () => store.inFlight === 1, 5000);
    store.failing = false;
    store.commit();
    await until('stored', () => recorder.counters.stored === 10);
    expect(reports).toContain('storing entries again (after 2 failed attempts; nothing was lost)');

    store.failing = true;
    await publishEntries(pub, range(11, 15));
    await until('an attempt in flight', () => store.inFlight === 1);
    const stopped = recorder.stop();
    store.commit();
    await stopped;
    expect(reports.at(-1)).toBe("5 entries could not be stored; the broker keeps them for async-store's next run");
  }, 15_000);
});
