import type { MqttClient } from 'mqtt';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder, type EntryStore } from '../../src/bridge/recorder/recorder.js';
import { RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { freePort, startPersistentMosquitto, startTestAedes, tempDir, until, type TestBroker } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { publishEntries, publisher, range, storedSeqs } from './log-entries.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startRecorder(url: string, store: EntryStore, options: { clientId?: string; site?: string } = {}) {
  const reports: string[] = [];
  const recorder = new Recorder({ url, store, clientId: options.clientId ?? 'recorder-under-test', report: (m) => reports.push(m), ...(options.site ? { site: options.site } : {}) });
  recorder.start();
  cleanups.push(() => recorder.stop());
  return { recorder, reports };
}

async function connectedPublisher(url: string): Promise<MqttClient> {
  const client = await publisher(url);
  cleanups.push(() => client.endAsync(true));
  return client;
}

const brokers: [name: string, tools: string[], start: () => Promise<TestBroker>][] = [
  ['aedes', [], () => startTestAedes()],
  ['mosquitto', ['mosquitto'], () => startPersistentMosquitto()],
];

describe.each(brokers)('recorder through %s', (_name, tools, startBroker) => {
  itWithTools(tools, 'stores every entry exactly once across a stop, a dropped connection and redeliveries', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const db = join(tempDir(), 'ring-log.sqlite');
    const pub = await connectedPublisher(broker.url);

    // Mid-stream, the recorder stops (what it received is stored and acknowledged, the rest waits at the broker).
    let { recorder } = startRecorder(broker.url, new RingLogStore(db));
    await recorder.ready;
    const first = publishEntries(pub, range(1, 500));
    await until('some entries received', () => recorder.counters.received >= 200);
    await recorder.stop();
    await first;
    // While it is away (mosquitto queues at most 1000 messages per session by default).
    await publishEntries(pub, range(501, 1100));

    // Back with the same client id and database: first what the broker kept, then, mid-stream, the connection
    // drops with entries received but not yet stored or acknowledged.
    ({ recorder } = startRecorder(broker.url, new RingLogStore(db)));
    await until('what was published while away', () => storedSeqs(db).length === 1100);
    const second = publishEntries(pub, range(1101, 1900));
    await until('more entries received', () => recorder.counters.received >= 300);
    recorder.client!.stream.destroy();
    await second;
    await until('reconnected and caught up', () => storedSeqs(db).length === 1900, 10_000);
    await publishEntries(pub, range(1901, 2500));
    // The bridge's outbox sends some again (its PUBACK was lost).
    await publishEntries(pub, [...range(100, 300), ...range(2501, 3000)]);

    await until('all 3000 stored', () => storedSeqs(db).length === 3000, 15_000).catch((error) => {
      const stored = new Set(storedSeqs(db));
      throw new Error(`${error.message}; missing: ${range(1, 3000).filter((seq) => !stored.has(seq)).join(' ')}`.slice(0, 500));
    });
    await until('the re-sent entries seen', () => recorder.counters.duplicates >= 201);
    await recorder.stop();
    expect(storedSeqs(db)).toEqual(range(1, 3000));
  }, 30_000);

  itWithTools(tools, 'acknowledges nothing it could not store: the broker delivers it again to the next run', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const pub = await connectedPublisher(broker.url);
    const brokenDisk: EntryStore = { ingest: () => { throw new Error('disk I/O error'); }, close: () => {} };
    const broken = startRecorder(broker.url, brokenDisk);
    await broken.recorder.ready;
    await publishEntries(pub, range(1, 50));
    // Unacknowledged, mosquitto sends no more than 20 at a time.
    await until('entries received', () => broken.recorder.counters.received >= 20);
    await broken.recorder.stop();
    expect(broken.reports).toContainEqual(expect.stringContaining('cannot store entries: disk I/O error'));
    expect(broken.reports).toContainEqual(expect.stringMatching(/^\d+ entries could not be stored; the broker keeps them for recorder-under-test's next run$/));

    const db = join(tempDir(), 'ring-log.sqlite');
    const { recorder } = startRecorder(broker.url, new RingLogStore(db));
    await until('the 50 delivered again', () => recorder.counters.stored === 50);
    expect(storedSeqs(db)).toEqual(range(1, 50));
  });
});

describe('recorder', () => {
  it('counts and reports malformed entries (once a minute), never stores them, and keeps recording', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir(), 'ring-log.sqlite');
    const { recorder, reports } = startRecorder(broker.url, new RingLogStore(db));
    await recorder.ready;
    const pub = await connectedPublisher(broker.url);
    await publishEntries(pub, [1, 2]);
    for (const bad of ['not json', '{"type":"ring","seq":3}', '{"type":"ring","site":"t"}', JSON.stringify({ t: 1, type: 'ring', site: 'elsewhere', seq: 4 })]) {
      await pub.publishAsync('thirdring/t/log', bad, { qos: 1 });
    }
    await publishEntries(pub, [3, 4]);
    await until('4 good entries stored', () => recorder.counters.stored === 4);
    expect(recorder.counters.malformed).toBe(4);
    expect(storedSeqs(db)).toEqual([1, 2, 3, 4]);
    const malformedReports = reports.filter((r) => r.includes('malformed'));
    expect(malformedReports).toHaveLength(1);
    expect(malformedReports[0]).toMatch(/^ignored a malformed entry on thirdring\/t\/log: not valid JSON/);
  });

  it('keeps a bridge whose data was wiped (seq from 1 again, new stream) apart from redeliveries', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir(), 'ring-log.sqlite');
    const { recorder } = startRecorder(broker.url, new RingLogStore(db));
    await recorder.ready;
    const pub = await connectedPublisher(broker.url);
    await publishEntries(pub, range(1, 5), 't', 'before-wipe');
    await publishEntries(pub, range(1, 3), 't', 'after-wipe');
    await publishEntries(pub, range(1, 2), 't', 'after-wipe');
    await until('8 stored', () => recorder.counters.stored === 8 && recorder.counters.duplicates === 2);
    expect(storedSeqs(db, 't', 'before-wipe')).toEqual(range(1, 5));
    expect(storedSeqs(db, 't', 'after-wipe')).toEqual(range(1, 3));
    expect(recorder.storedUpTo('t', 'before-wipe')).toBe(5);
  });

  it('records one site or all of them', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const oneSite = startRecorder(broker.url, new RingLogStore(join(tempDir(), 'one.sqlite')), { site: 'branch-01', clientId: 'one-site' });
    const allSites = startRecorder(broker.url, new RingLogStore(join(tempDir(), 'all.sqlite')), { clientId: 'all-sites' });
    await Promise.all([oneSite.recorder.ready, allSites.recorder.ready]);
    expect(oneSite.recorder.topic).toBe('thirdring/branch-01/log');
    expect(allSites.recorder.topic).toBe('thirdring/+/log');
    const pub = await connectedPublisher(broker.url);
    await publishEntries(pub, range(1, 3), 'branch-01');
    await publishEntries(pub, range(1, 2), 'branch-02');
    await until('all sites recorded', () => allSites.recorder.counters.stored === 5);
    await until('one site recorded', () => oneSite.recorder.counters.stored === 3);
    expect(oneSite.recorder.counters.received).toBe(3);
  });

  it('says clearly when the broker cannot be reached, and records once it is there', async () => {
    const port = await freePort();
    const db = join(tempDir(), 'ring-log.sqlite');
    const { recorder, reports } = startRecorder(`mqtt://127.0.0.1:${port}`, new RingLogStore(db));
    await until('a connection report', () => reports.length > 0);
    expect(reports[0]).toMatch(new RegExp(`^cannot reach the broker mqtt://127.0.0.1:${port}: .*ECONNREFUSED.*; retrying every 2 s$`));
    const broker = await startTestAedes(port);
    cleanups.push(() => broker.stop());
    await recorder.ready;
    expect(reports.filter((r) => r.startsWith('cannot reach'))).toHaveLength(1);
    const pub = await connectedPublisher(broker.url);
    await publishEntries(pub, [1]);
    await until('stored', () => recorder.counters.stored === 1);
  });
});
