// npm run bench — the ring log through a RabbitMQ 3.10 cluster into PostgreSQL (issue #19, topology (c)).
// A 3-node cluster on this machine (examples/topologies/rabbitmq: quorum queues, prefetch 1000) and PostgreSQL 15,
// both started here. 10 branch sites, each logged in with its own account, publish 10,000 entries each as a
// bridge's outbox does (QoS 1, in order, a window of 200) from a process of their own, spread over the three nodes;
// the recorder in this process (`thirdring record --db postgres://…` as a library) stores them through node 1,
// each acknowledged only after its batch is committed. Rate = entries / (first received → last committed).
// Goal ≥ 20,000/s, as SQLite through aedes. For scale: the same publishers to a subscriber that stores nothing.
// This file is also the publishers: node topologies.bench.js --publish '<json>'.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { Recorder } from '../src/bridge/recorder/recorder.js';
import { PgRingLogStore } from '../src/bridge/store/pg-ring-log-store.js';
import { simulatedSite } from './branch-sites.js';
import { postgresBin, startPostgres } from '../test/store/postgres-server.js';
import { startRabbitCluster } from './rabbitmq-cluster.js';

const SITES = 10;
const PER_SITE = 10_000;
const ENTRIES = SITES * PER_SITE;
const GOAL = 20_000;
const WINDOW = 200;
const sites = Array.from({ length: SITES }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface PublishJob {
  ports: number[];
  run: number;
}

/** The publishers' process: every site at once, each through its own node first. */
async function publish(job: PublishJob): Promise<void> {
  const brokers = job.ports.map((port) => ({ host: '127.0.0.1', port }));
  const publishers = await Promise.all(
    sites.map((site, i) => simulatedSite([...brokers.slice(i % brokers.length), ...brokers.slice(0, i % brokers.length)], site, { username: `bridge-${site}`, password: `${site}-bench`, clientId: `thirdring-bridge-${site}` }, WINDOW)),
  );
  for (const p of publishers) p.stream = `${p.stream}-${job.run}`;
  await Promise.all(publishers.map((p) => p.publish(1, PER_SITE)));
  await Promise.all(publishers.map((p) => p.close()));
}

function publishers(ports: number[], run: number): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--publish', JSON.stringify({ ports, run } satisfies PublishJob)], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`publishers exited with ${code}`)))));
}

async function main(): Promise<void> {
  if (!postgresBin() || !existsSync('/usr/lib/rabbitmq/bin/rabbitmq-server')) return void console.log('topologies: PostgreSQL or RabbitMQ not installed — skipped (apt-get install postgresql rabbitmq-server)');
  const started = performance.now();
  const [cluster, pg] = await Promise.all([startRabbitCluster(3), startPostgres({ settings: { fsync: 'on' } })]);
  try {
    await cluster.accounts([...sites.map((site) => `branch ${site} ${site}-bench`), 'recorder thirdring-recorder recorder-bench']);
    await cluster.ctl(['add_user', 'ceiling', 'ceiling-bench']);
    await cluster.ctl(['set_permissions', 'ceiling', '.*', '.*', '.*']);
    const ports = cluster.nodes.map((n) => n.mqttPort);
    console.log(`topologies: 3 RabbitMQ 3.10 nodes (quorum queues) + PostgreSQL 15 (fsync on) up in ${fmt((performance.now() - started) / 1000, 1)} s`);

    const db = await pg.newDatabase();
    const recorder = new Recorder({
      url: cluster.nodes[0]!.url,
      store: await PgRingLogStore.open(db),
      clientId: 'thirdring-recorder-bench',
      connect: { username: 'thirdring-recorder', password: 'recorder-bench' },
      report: () => {},
    });
    recorder.start();
    await recorder.ready;
    const cpu = process.cpuUsage();
    await publishers(ports, 1);
    while (recorder.counters.stored + recorder.counters.duplicates < ENTRIES) await new Promise((resolve) => setTimeout(resolve, 20));
    const cpuSeconds = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
    const seconds = (recorder.timing.lastStored! - recorder.timing.firstReceived!) / 1000;
    const rate = ENTRIES / seconds;
    await recorder.stop();
    console.log(
      `topologies: ${fmt(ENTRIES)} entries from ${SITES} sites through the RabbitMQ cluster → PostgreSQL in ${fmt(seconds, 1)} s = ${fmt(rate)} entries/s   ` +
        `[goal ≥ ${fmt(GOAL)}: ${rate >= GOAL ? 'met' : 'NOT MET'}]${recorder.counters.duplicates ? ` (${fmt(recorder.counters.duplicates)} redelivered)` : ''}`,
    );
    console.log(`            the recorder's own CPU: ${fmt(cpuSeconds, 1)} s; the rest of the time it waits for the cluster`);

    // The same publishers to a subscriber that acknowledges at once and stores nothing: what the cluster delivers.
    await cluster.ctl(['delete_queue', 'mqtt-subscription-thirdring-recorder-benchqos1']);
    const ceiling = await mqtt.connectAsync(cluster.nodes[0]!.url, { protocolVersion: 4, clientId: 'thirdring-recorder-ceiling', clean: false, username: 'ceiling', password: 'ceiling-bench' });
    let received = 0;
    let first = 0;
    let last = 0;
    ceiling.on('message', () => {
      first ||= performance.now();
      last = performance.now();
      received++;
    });
    await ceiling.subscribeAsync('thirdring/+/log', { qos: 1 });
    await publishers(ports, 2);
    while (received < ENTRIES) await new Promise((resolve) => setTimeout(resolve, 20));
    await ceiling.endAsync();
    console.log(`            the cluster to a subscriber that stores nothing, same publishers: ${fmt(ENTRIES / ((last - first) / 1000))} entries/s`);
  } finally {
    await cluster.close();
    await pg.close();
  }
}

const at = process.argv.indexOf('--publish');
if (at >= 0) await publish(JSON.parse(process.argv[at + 1]!) as PublishJob);
else await main();
