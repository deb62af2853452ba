// What the latency benchmarks share: the mosquitto they start, free loopback ports, wall-clock stamps that two
// processes can compare, percentiles, and waiting for a child's line of output.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { Recorder, type EntryStore } from '../src/bridge/recorder/recorder.js';

export const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds since the epoch with sub-millisecond resolution: comparable across processes on one machine. */
export const wallClock = () => performance.timeOrigin + performance.now();

export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Lines of a child's stdout, each with a waiter: next(accept) resolves with the first later line accepted. */
export function lines(child: ChildProcess) {
  let waiting: { accept: (line: string) => boolean; resolve: (line: string) => void } | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (waiting?.accept(line)) {
      const { resolve } = waiting;
      waiting = null;
      resolve(line);
    }
  });
  return (accept: (line: string) => boolean) => new Promise<string>((resolve) => (waiting = { accept, resolve }));
}

const SET_SUBSCRIBER = fileURLToPath(new URL('set-subscriber.js', import.meta.url));

/**
 * A desk stand-in in its own process (set-subscriber.js) on `topic`, kept in `children` for the caller to kill;
 * resolves once it is subscribed, with a waiter for its next lines (arrival stamps).
 */
export async function spawnSetSubscriber(url: string, topic: string, children: ChildProcess[]) {
  const child = spawn(process.execPath, [SET_SUBSCRIBER, url, topic], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const next = lines(child);
  await next((l) => l === 'ready');
  return next;
}

/** Waits until `done` says so, looking every 20 ms. */
export async function waitFor(done: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  while (!(await done())) await sleep(everyMs);
}

/**
 * What a broker delivers at all: `count` log entries from `source` to a plain mqtt.js subscriber (QoS 1, persistent
 * session) that acknowledges at once and stores nothing — the ceiling a recorder's rate is read against.
 */
export async function plainSubscriberRate(source: { url: string; publish(): void; stop(): Promise<unknown> }, topic: string, count: number, clientId: string): Promise<number> {
  const client = await mqtt.connectAsync(source.url, { protocolVersion: 4, clean: false, clientId });
  await client.subscribeAsync(topic, { qos: 1 });
  let received = 0, first = 0, last = 0;
  client.on('message', () => {
    last = performance.now();
    if (received++ === 0) first = last;
  });
  source.publish();
  await waitFor(() => received >= count);
  await client.endAsync();
  await source.stop();
  return count / ((last - first) / 1000);
}

/**
 * A Recorder on `store` taking `count` log entries from `source`: entries/s from its first entry received to its
 * last stored (what the recorder itself sustains), its CPU, and how many came twice.
 */
export async function recorderRate(source: { url: string; publish(): void; stop(): Promise<unknown> }, store: EntryStore, count: number, site: string, clientId: string) {
  const recorder = new Recorder({ url: source.url, store, site, clientId, report: () => {} });
  recorder.start();
  await recorder.ready;
  const cpuBefore = process.cpuUsage();
  source.publish();
  await waitFor(() => recorder.counters.stored >= count);
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (recorder.timing.lastStored! - recorder.timing.firstReceived!) / 1000;
  const duplicates = recorder.counters.duplicates;
  await recorder.stop();
  await source.stop();
  return { seconds, rate: count / seconds, duplicates, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** A decision as the bridge logs it, entry `seq` of a stream; the types vary so the call projection does its share of the work. */
export function benchLogEntry(site: string, stream: string, seq: number): string {
  const t = 1_795_500_000_000 + seq * 250;
  const ts = new Date(t).toISOString();
  const line = `line-${seq % 4}`, desk = `desk-${seq % 20}`;
  switch (seq % 4) {
    case 0: return JSON.stringify({ t, type: 'ring', line, ring: 1, ts, site, stream, seq });
    case 1: return JSON.stringify({ t, type: 'assign', line, desk, reason: 'first', ts, site, stream, seq });
    case 2: return JSON.stringify({ t, type: 'answered', line, rings: 2, waitMs: 6200, onTime: true, desk, ts, site, stream, seq });
    default: return JSON.stringify({ t, type: 'ended', line, ts, site, stream, seq });
  }
}

/** Unacknowledged publishes a log stream keeps going at once, as the bridge's outbox does (LOG_WINDOW). */
const PUBLISH_WINDOW = 64;

/** Entries 1…count of a stream on thirdring/<site>/log, QoS 1 with PUBLISH_WINDOW unacknowledged at a time, like the bridge's outbox. */
export async function publishLogStream(client: mqtt.MqttClient, site: string, stream: string, count: number): Promise<void> {
  let next = 1, acknowledged = 0;
  await new Promise<void>((resolve, reject) => {
    const send = () => {
      const seq = next++;
      client.publish(`thirdring/${site}/log`, benchLogEntry(site, stream, seq), { qos: 1 }, (error) => {
        if (error) return reject(error);
        if (++acknowledged === count) return resolve();
        if (next <= count) send();
      });
    };
    for (let i = 0; i < Math.min(PUBLISH_WINDOW, count); i++) send();
  });
}
