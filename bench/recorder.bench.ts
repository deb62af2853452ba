// npm run bench — the ring log recorder's sustained ingest rate (issue target ≥ 20,000 entries/s).
// 1. Through a real broker: a bridge stand-in in its own process (embedded aedes on 127.0.0.1 and a client
//    publishing the log at QoS 1, as the bridge does) sends 200,000 entries; the recorder in this process, as
//    `thirdring record` on another machine or process, stores them. Rate = entries / (first received → last
//    committed), every entry acknowledged only after its commit.
//    For scale, the same stream to a plain mqtt.js subscriber that acknowledges at once: what aedes delivers at all.
// 2. The store alone: the same entries parsed and ingested in batches of 1,000, no MQTT.
// This file is also the bridge stand-in: node recorder.bench.js --bridge <count> (prints the broker URL, publishes
// when it reads a line on stdin).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { accessPolicy } from '../src/bridge/mqtt/broker-access.js';
import { startEmbeddedBroker } from '../src/bridge/mqtt/embedded-broker.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../src/bridge/store/ring-log-store.js';
import { benchLogEntry, plainSubscriberRate, publishLogStream, recorderRate } from './bench-kit.js';

const ENTRIES = 200_000;
const TARGET = 20_000;
const SITE = 'bench';
const STREAM = 'bench-stream';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (rate: number) => (rate >= TARGET ? 'ok' : 'MISSED');

async function bridgeStandIn(count: number): Promise<void> {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, wsPort: false, policy: accessPolicy({ site: SITE, readers: [], deskUnits: [] }) });
  process.stdout.write(`${broker.url}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  // The log topic is the bridge's alone (the broker drops anyone else's publish there): send as the bridge.
  await publish(broker.url, count, broker.bridgeLogin);
  // The broker stays until the recorder has everything.
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await broker.close();
}

async function publish(url: string, count: number, login: { username: string; password: string }): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'thirdring-bridge-bench', ...login });
  await publishLogStream(client, SITE, STREAM, count);
  await client.endAsync();
}

/** The bridge stand-in in its own process: resolves with its broker's URL; `publish()` starts the stream. */
async function startBridgeStandIn() {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--bridge', String(ENTRIES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
  return {
    url,
    publish: () => void child.stdin!.write('publish\n'),
    stop: async () => {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** What aedes can deliver at all: a plain mqtt.js subscriber that acknowledges at once and stores nothing. */
async function brokerCeiling(): Promise<number> {
  return plainSubscriberRate(await startBridgeStandIn(), `thirdring/${SITE}/log`, ENTRIES, 'bench-plain-subscriber');
}

async function throughBroker(dir: string) {
  return recorderRate(await startBridgeStandIn(), new RingLogStore(join(dir, 'ring-log.sqlite')), ENTRIES, SITE, 'bench-recorder');
}

function storeOnly(dir: string): { seconds: number; rate: number } {
  const store = new RingLogStore(join(dir, 'store.sqlite'));
  const payloads = Array.from({ length: ENTRIES }, (_, i) => Buffer.from(benchLogEntry(SITE, STREAM, i + 1)));
  const started = performance.now();
  for (let from = 0; from < ENTRIES; from += 1000) {
    const batch: StoredEntry[] = [];
    for (const payload of payloads.slice(from, from + 1000)) {
      const parsed = parseLogPayload(payload);
      if (parsed.ok) batch.push(parsed.entry);
    }
    store.ingest(batch);
  }
  const seconds = (performance.now() - started) / 1000;
  store.close();
  return { seconds, rate: ENTRIES / seconds };
}

if (process.argv[2] === '--bridge') {
  await bridgeStandIn(Number(process.argv[3]));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-recorder-'));
  try {
    const run = await throughBroker(dir);
    console.log(`recorder: ${fmt(ENTRIES)} entries via aedes → SQLite in ${fmt(run.seconds, 1)} s = ${fmt(run.rate)} entries/s   [target ≥ ${fmt(TARGET)}: ${verdict(run.rate)}]${run.duplicates ? ` (${fmt(run.duplicates)} redelivered)` : ''}`);
    console.log(`          its own CPU: ${fmt(run.cpuSeconds, 1)} s = ${fmt(ENTRIES / run.cpuSeconds)} entries per CPU-second; the rest of the time it waits for the broker`);
    console.log(`          aedes to a plain subscriber that stores nothing, same setup: ${fmt(await brokerCeiling())} entries/s`);
    const storeRun = storeOnly(dir);
    console.log(`recorder: the store alone (parse + batches of 1,000, no MQTT): ${fmt(ENTRIES)} entries in ${fmt(storeRun.seconds, 1)} s = ${fmt(storeRun.rate)} entries/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
