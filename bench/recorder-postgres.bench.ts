// npm run bench — the ring log in PostgreSQL (issue #19): PostgreSQL 15 from Debian, started here (initdb in a
// temp folder, fsync on, a free loopback port).
// 1. Entries/s into PostgreSQL through a broker: mosquitto (max_inflight_messages 1000: its default of 20
//    unacknowledged messages would make every commit wait for a round trip of 20) and a bridge-like publisher in
//    its own process (QoS 1, 64 in flight, as the bridge's outbox) send 200,000 entries; the recorder in this process
//    stores them, each acknowledged only after its batch is committed. Goal ≥ 20,000/s, as SQLite.
// 2. A year of 10 busy sites, generated straight into the database (INSERT … SELECT from generate_series: entries,
//    their calls and callbacks, as the recorder would have stored them), then `thirdring report --site all --by
//    site` for the year. Goal ≤ 2 s. THIRDRING_BENCH_YEAR_ENTRIES scales the year (default 10,000,000).
// 3. Peak RSS of `thirdring record --db postgres://…` (its own process) while it stores 200,000 entries.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { fileURLToPath } from 'node:url';
import { pgReportCommand } from '../src/bridge/report/pg-report-command.js';
import { PgRingLogStore } from '../src/bridge/store/pg-ring-log-store.js';
import { CALL_KIND } from '../src/bridge/store/ring-log-schema.js';
import { postgresBin, query, startPostgres } from './postgres-server.js';
import { freePort, plainSubscriberRate, publishLogStream, recorderRate, waitFor } from './bench-kit.js';

const ENTRIES = 200_000;
const RATE_GOAL = 20_000;
const YEAR_ENTRIES = Number(process.env.THIRDRING_BENCH_YEAR_ENTRIES ?? 10_000_000);
const SITES = 10;
/** Entries per call in the generated year: rings, assign, the answer or miss, ended, inputs. */
const ENTRIES_PER_CALL = 8;
const REPORT_GOAL_S = 2;
const SITE = 'bench';
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The publisher process: the stream as the bridge's outbox sends it. */
async function publish(url: string, count: number): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'bench-pg-publisher' });
  await publishLogStream(client, SITE, 'bench-stream', count);
  await client.endAsync();
}

/** mosquitto on a free port, and `publish()` to start the stream from a process of its own. */
async function startBroker(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-pg-mosquitto-'));
  const port = await freePort();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\nmax_inflight_messages 1000\nmax_queued_messages 1000000\nlog_dest none\n`);
  const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitFor(() => new Promise<boolean>((resolve) => connect(port, '127.0.0.1').once('connect', function (this: import('node:net').Socket) { this.destroy(); resolve(true); }).once('error', () => resolve(false))), 50);
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    url,
    publish: () => spawn(process.execPath, [fileURLToPath(import.meta.url), '--publish', url, String(count)], { stdio: 'inherit' }),
    stop: async () => {
      broker.kill('SIGTERM');
      await new Promise((resolve) => broker.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function throughBroker(db: string) {
  return recorderRate(await startBroker(ENTRIES), await PgRingLogStore.open(db), ENTRIES, SITE, 'bench-pg-recorder');
}

/** What the rig delivers at all: the same stream to a plain mqtt.js subscriber that acknowledges at once and stores nothing. */
async function brokerCeiling(): Promise<number> {
  return plainSubscriberRate(await startBroker(ENTRIES), `thirdring/${SITE}/log`, ENTRIES, 'bench-pg-plain-subscriber');
}

/** `thirdring record` in its own process; its peak RSS (VmHWM) once it has stored everything. */
async function recorderPeakRss(db: string) {
  const bridge = await startBroker(ENTRIES);
  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'record', '--url', bridge.url, '--db', db, '--site', SITE, '--client-id', 'bench-pg-rss'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  await waitFor(() => stderr.includes('recording thirdring/'));
  const started = performance.now();
  bridge.publish();
  const stored = async () => Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM entries WHERE site = $1', [SITE]))[0]!.n);
  await waitFor(async () => (await stored()) >= ENTRIES, 200);
  const seconds = (performance.now() - started) / 1000;
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await bridge.stop();
  return { mib: kib / 1024, seconds };
}

/**
 * A year of `SITES` busy sites straight into the tables, per site: ENTRIES_PER_CALL entries per call, the calls
 * (1 in 10 missed, 1 in 4 answers late), a callback per missed call (9 in 10 closed), calls spread over the year.
 */
async function generateYear(db: string) {
  const perSite = Math.floor(YEAR_ENTRIES / SITES);
  const callsPerSite = Math.floor(perSite / ENTRIES_PER_CALL);
  const started = performance.now();
  for (let s = 1; s <= SITES; s++) {
    const site = `branch-${String(s).padStart(2, '0')}`;
    const params = [site, perSite, callsPerSite, YEAR_START, YEAR_MS];
    await query(db, `
      INSERT INTO entries (site, stream, seq, t, type, line, desk, body)
      SELECT $1, 'year', g, t, type, line, desk,
             json_build_object('t', t, 'type', type, 'line', line, 'desk', desk, 'site', $1::text, 'stream', 'year', 'seq', g)::text
      FROM generate_series(1, $2::bigint) AS g,
           LATERAL (SELECT $4::bigint + (g / ${ENTRIES_PER_CALL}) * ($5::bigint / $3::bigint) + (g % ${ENTRIES_PER_CALL}) * 1000 AS t,
                           (ARRAY['ring','assign','answered','ended','input','input','ring','callback-owed'])[(g % ${ENTRIES_PER_CALL})::int + 1] AS type,
                           'line-' || (g % 4) AS line, 'desk-' || (g % 23) AS desk) AS x`, params);
    await query(db, `
      INSERT INTO calls (site, stream, seq, t, line, desk, kind, rings, wait_ms)
      SELECT $1, 'year', c * ${ENTRIES_PER_CALL} + 2, $4::bigint + c * ($5::bigint / $3::bigint) + 2000, 'line-' || (c % 4), 'desk-' || (c % 23),
             CASE WHEN c % 10 = 0 THEN ${CALL_KIND.missed} WHEN c % 4 = 0 THEN ${CALL_KIND.late} ELSE ${CALL_KIND.onTime} END,
             1 + (c * 7919 % 30000) / 5000, c * 7919 % 30000
      FROM generate_series(0, $3::bigint - 1) AS c WHERE $2::bigint > 0`, params);
    await query(db, `
      INSERT INTO callbacks (site, line, missed_at, desk, due_at, owed_t, closed_t, closed_by, closed_overdue)
      SELECT $1, 'line-' || (c % 4), $4::bigint + c * ($5::bigint / $3::bigint) + 2000, 'desk-' || (c % 23),
             $4::bigint + c * ($5::bigint / $3::bigint) + 86400000, $4::bigint + c * ($5::bigint / $3::bigint) + 2000,
             CASE WHEN c % 100 <> 0 THEN $4::bigint + c * ($5::bigint / $3::bigint) + 3600000 END, CASE WHEN c % 100 <> 0 THEN 'outgoing' END,
             CASE WHEN c % 100 <> 0 THEN false END
      FROM generate_series(0, $3::bigint - 1, 10) AS c WHERE $2::bigint > 0`, params);
    await query(db, `INSERT INTO site_zones VALUES ($1, $2)`, [site, s % 2 ? 'Europe/Amsterdam' : 'America/New_York']);
    process.stdout.write(`\r          generating: ${s}/${SITES} sites, ${fmt((performance.now() - started) / 1000, 0)} s`);
  }
  await query(db, 'VACUUM ANALYZE');
  process.stdout.write('\n');
  return { entries: perSite * SITES, calls: callsPerSite * SITES, seconds: (performance.now() - started) / 1000 };
}

async function timedReport(db: string, by: string): Promise<number> {
  const started = performance.now();
  await pgReportCommand(['--db', db, '--site', 'all', '--by', by, '--from', '2025-01-01', '--to', '2026-01-01']);
  return (performance.now() - started) / 1000;
}

if (process.argv[2] === '--publish') {
  await publish(process.argv[3]!, Number(process.argv[4]));
} else if (!postgresBin()) {
  console.log('recorder into PostgreSQL: skipped — PostgreSQL is not installed (apt-get install postgresql)');
} else {
  const server = await startPostgres({ settings: { fsync: 'on', shared_buffers: '256MB', max_wal_size: '4GB' } });
  try {
    const run = await throughBroker(await server.newDatabase('bench_ingest'));
    console.log(`recorder: ${fmt(ENTRIES)} entries via mosquitto → PostgreSQL in ${fmt(run.seconds, 1)} s = ${fmt(run.rate)} entries/s   [goal ≥ ${fmt(RATE_GOAL)}: ${verdict(run.rate >= RATE_GOAL)}]`);
    console.log(`          its own CPU: ${fmt(run.cpuSeconds, 1)} s = ${fmt(ENTRIES / run.cpuSeconds)} entries per CPU-second (PostgreSQL and the broker share the other core)`);
    console.log(`          mosquitto to a plain subscriber that stores nothing, same setup: ${fmt(await brokerCeiling())} entries/s`);
    const rss = await recorderPeakRss(await server.newDatabase('bench_rss'));
    console.log(`recorder: thirdring record --db postgres://… peak RSS ${fmt(rss.mib, 0)} MiB while storing ${fmt(ENTRIES)} entries (${fmt(rss.seconds, 1)} s, its own process)`);

    const year = await server.newDatabase('bench_year');
    await (await PgRingLogStore.open(year)).close();
    const made = await generateYear(year);
    const scaled = made.entries < 10_000_000 ? ` (scaled from 10 M: THIRDRING_BENCH_YEAR_ENTRIES=${YEAR_ENTRIES})` : '';
    console.log(`report:   a year of ${SITES} busy sites: ${fmt(made.entries)} entries, ${fmt(made.calls)} calls${scaled}, generated in ${fmt(made.seconds)} s`);
    const cold = await timedReport(year, 'site');
    const warm = Math.min(await timedReport(year, 'site'), await timedReport(year, 'site'));
    const byDay = await timedReport(year, 'day');
    const extrapolated = scaled ? `; at 10 M entries about ${fmt((warm * 10_000_000) / made.entries, 1)} s (the sums grow with the calls)` : '';
    console.log(`report:   thirdring report --site all --by site, the year: ${fmt(cold, 2)} s first, ${fmt(warm, 2)} s again   [goal ≤ ${REPORT_GOAL_S} s: ${verdict(cold <= REPORT_GOAL_S)}]${extrapolated}`);
    console.log(`          --by day (each site's days in its own zone): ${fmt(byDay, 2)} s`);
  } finally {
    await server.close();
  }
}
