// npm run bench — the ring log store and `thirdring report` over a year of a busy office.
// Targets (issue #8): a report over one year (5,000,000 log entries) ≤ 2 s, by line and by hour.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { buildReport, type GroupBy } from '../src/bridge/report/report.js';
import { formatReport } from '../src/bridge/report/report-format.js';
import { RingLogReader } from '../src/bridge/store/ring-log-reader.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../src/bridge/store/ring-log-store.js';
import { businessDays, ringLogDays, type OfficeOptions } from './office-ring-log.js';

const YEAR = { year: 2025, timeZone: 'Europe/Amsterdam' };
const OFFICE: OfficeOptions = { entries: 5_000_000, lines: 12, desks: 60, seed: 8, site: 'head-office' };
/** As the recorder does: at most this many entries per transaction. */
const BATCH = 1000;
const TARGET_MS = 2000;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const target = (ok: boolean) => (ok ? 'ok' : 'MISSED');

const dir = mkdtempSync(join(tmpdir(), 'thirdring-report-bench-'));
const path = join(dir, 'ring-log.sqlite');
try {
  const ingest = ingestYear();
  const size = statSync(path).size;
  const period = {
    from: DateTime.fromObject({ year: YEAR.year }, { zone: YEAR.timeZone }).toMillis(),
    to: DateTime.fromObject({ year: YEAR.year + 1 }, { zone: YEAR.timeZone }).toMillis(),
    timeZone: YEAR.timeZone,
  };
  const days = businessDays(YEAR.year, YEAR.timeZone).length;
  console.log(`ring log: ${YEAR.year}, ${days} business days, ${OFFICE.lines} lines, ${OFFICE.desks} desks (seed ${OFFICE.seed}): ${fmt(ingest.entries)} entries`);
  console.log(`ingest:   batches of ${fmt(BATCH)} (parse + store + projections) in ${fmt(ingest.seconds, 1)} s → ${fmt(ingest.entries / ingest.seconds)} entries/s   (generating them took another ${fmt(ingest.generateSeconds, 1)} s)`);
  console.log(`database: ${fmt(size / 1024 / 1024, 1)} MB, ${fmt(size / ingest.entries, 0)} bytes/entry`);
  for (const by of ['line', 'hour', 'desk', 'day'] as GroupBy[]) {
    const { ms, cpuMs, calls } = timeReport(period, by);
    const checked = by === 'line' || by === 'hour' ? `   [target ≤ ${fmt(TARGET_MS)} ms: ${target(ms <= TARGET_MS)}]` : '';
    console.log(`report:   1 year, ${fmt(ingest.entries)} entries (${fmt(calls)} calls), by ${by}: ${fmt(ms)} ms (${fmt(cpuMs)} ms CPU)${checked}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function ingestYear(): { entries: number; seconds: number; generateSeconds: number } {
  const store = new RingLogStore(path);
  let entries = 0, storing = 0n;
  const started = process.hrtime.bigint();
  let batch: string[] = [];
  const flush = () => {
    const began = process.hrtime.bigint();
    const parsed: StoredEntry[] = [];
    for (const payload of batch) {
      const result = parseLogPayload(payload);
      if (!result.ok) throw new Error(result.error);
      parsed.push(result.entry);
    }
    entries += store.ingest(parsed).inserted;
    storing += process.hrtime.bigint() - began;
    batch = [];
  };
  for (const payload of ringLogDays(businessDays(YEAR.year, YEAR.timeZone), OFFICE)) {
    batch.push(payload);
    if (batch.length === BATCH) flush();
  }
  flush();
  store.close(); // checkpoints the WAL into the database file
  const total = Number(process.hrtime.bigint() - started) / 1e9, seconds = Number(storing) / 1e9;
  return { entries, seconds, generateSeconds: total - seconds };
}

/** What `thirdring report --by <by>` does after reading its arguments: open, query, aggregate, format. */
function timeReport(period: { from: number; to: number; timeZone: string }, by: GroupBy): { ms: number; cpuMs: number; calls: number } {
  const started = process.hrtime.bigint(), cpu = process.cpuUsage();
  const reader = new RingLogReader(path);
  const report = buildReport(reader, OFFICE.site, period, by);
  formatReport(report, 'table');
  reader.close();
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (used.user + used.system) / 1000, calls: report.total.calls };
}
