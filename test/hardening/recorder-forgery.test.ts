import mqtt from 'mqtt';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/bridge/recorder/recorder.js';
import { RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { startTestAedes, tempDir, until } from '../mqtt-helpers.js';

// Where the broker lets someone other than the bridge publish the log (an external broker without the ACL of
// docs/mosquitto.md), a forged entry that arrives first is kept — but the recorder says so, it does not stay quiet.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const entry = (seq: number, fields: object) => JSON.stringify({ ts: '2026-11-30T09:00:00.000Z', site: 'branch-01', stream: 'bridge-stream', seq, ...fields });

describe('recorder and a forged log entry', () => {
  it('counts and reports an entry that comes again with other content, and keeps the first', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const store = new RingLogStore(join(tempDir(), 'ring-log.sqlite'));
    const reports: string[] = [];
    const recorder = new Recorder({ url: broker.url, store, clientId: 'recorder-under-test', report: (m) => reports.push(m) });
    recorder.start();
    cleanups.push(() => recorder.stop());
    await recorder.ready;
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cleanups.push(() => pub.endAsync(true));

    const real = entry(7, { t: 1, type: 'answered', line: 'front', rings: 1, waitMs: 3000, onTime: true, desk: 'anna' });
    const forged = entry(7, { t: 1, type: 'missed', line: 'front', rings: 9, waitMs: 40_000 });
    await pub.publishAsync('thirdring/branch-01/log', forged, { qos: 1 });
    await pub.publishAsync('thirdring/branch-01/log', real, { qos: 1 });
    await pub.publishAsync('thirdring/branch-01/log', forged, { qos: 1 }); // the same bytes again: a redelivery, no conflict
    await until('three received', () => recorder.counters.received === 3 && recorder.counters.duplicates === 2);
    expect(recorder.counters).toMatchObject({ stored: 1, duplicates: 2, conflicts: 1 });
    expect(reports.filter((r) => r.startsWith('two different entries'))).toEqual([
      'two different entries for "branch-01" stream "bridge-stream" seq 7: kept the first; something other than the bridge publishes on thirdring/branch-01/log — only the bridge\'s account may (docs/mosquitto.md)',
    ]);
  });

  it('remembers a bounded number of streams however many a publisher invents', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const store = new RingLogStore(join(tempDir(), 'ring-log.sqlite'));
    const recorder = new Recorder({ url: broker.url, store, clientId: 'recorder-under-test', report: () => {} });
    recorder.start();
    cleanups.push(() => recorder.stop());
    await recorder.ready;
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    cleanups.push(() => pub.endAsync(true));
    for (let i = 0; i < 3000; i++) {
      pub.publish('thirdring/branch-01/log', JSON.stringify({ ts: '2026-11-30T09:00:00.000Z', site: 'branch-01', stream: `s${i}`, seq: 1, t: 1, type: 'ring', line: 'front', ring: 1 }), { qos: 1 });
    }
    await until('all stored', () => recorder.counters.stored === 3000, 20_000);
    // The oldest streams are forgotten (storedUpTo answers 0), the newest remembered.
    expect(recorder.storedUpTo('branch-01', 's0')).toBe(0);
    expect(recorder.storedUpTo('branch-01', 's2999')).toBe(1);
    expect([...Array(3000).keys()].filter((i) => recorder.storedUpTo('branch-01', `s${i}`) === 1).length).toBe(1024);
  }, 30_000);
});
