import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { RingLogMissingError, RingLogReader } from '../store/ring-log-reader.js';
import { SchemaError } from '../store/ring-log-schema.js';
import { machineTimeZone } from './local-time.js';
import { describePeriod, parsePeriod, PeriodError, type Period } from './period.js';
import { buildReport, GROUPINGS } from './report.js';
import { FORMATS, formatReport } from './report-format.js';
import { hourlyStats, renderServiceChart, type HourlyCall } from './service-chart.js';

export const REPORT_USAGE = `Usage: thirdring report [--db ring-log.sqlite | --config thirdring.yaml] [--site S] [--from T] [--to T]
                        [--by line|desk|hour|day] [--format table|csv|json] [--chart file.svg] [--tz Area/City]

Service level from the recorded ring log: calls, answered on time / late, missed, service level (on time of all
calls), average and 90th-percentile wait, average rings to answer, and callbacks still owed / overdue at the end
of the period; one row per line (default), desk, hour of day or day, and a total.
  --db       the ring log database (default: recorder.database in the config's dataDir)
  --config   bridge config giving the database, the site and the time zone (default: ./thirdring.yaml if present)
  --site     site to report on (default: the config's, or the only site in the log)
  --from/--to  2026-03-02 (local midnight), 2026-03-02T09:00, today, yesterday, now, or 7d / 12h / 2w ago;
             --to is not included. Default: the last 7 days up to now
  --by       line | desk (missed calls: the desk that should have answered) | hour (of day) | day   (default line)
  --format   table (default) | csv | json
  --chart    also write an SVG chart of missed calls and service level by hour of day
  --tz       time zone for dates and hours (default: the config's, else this machine's)`;

/** Bad flags or input the report cannot use: one line, exit 2. */
export class ReportUsageError extends Error {}

const OPTIONS = {
  db: { type: 'string' }, config: { type: 'string' }, site: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
  by: { type: 'string' }, format: { type: 'string' }, chart: { type: 'string' }, tz: { type: 'string' },
} as const;
const DEFAULT_CONFIG = 'thirdring.yaml';

/** Runs `thirdring report`; returns what to print. */
export function reportCommand(args: string[], now = Date.now()): string {
  const flags = parseFlags(args);
  const configFile = flags.config ?? (flags.db === undefined && existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  const config = configFile === undefined ? null : loadConfigFile(configFile);
  const dbPath = flags.db ?? (config ? resolve(config.dataDir, config.recorder.database) : undefined);
  if (dbPath === undefined) throw new ReportUsageError(`which ring log? give --db ring-log.sqlite or --config thirdring.yaml (none in ${process.cwd()})`);
  const by = oneOf('--by', flags.by ?? 'line', GROUPINGS);
  const format = oneOf('--format', flags.format ?? 'table', FORMATS);
  const period = readPeriod(flags.from, flags.to, flags.tz ?? config?.timezone ?? machineTimeZone(), now);

  const reader = openReader(dbPath);
  try {
    const site = chooseSite(reader, flags.site, config?.site, dbPath);
    let output = formatReport(buildReport(reader, site, period, by), format);
    if (flags.chart !== undefined) {
      writeChart(flags.chart, reader, site, period);
      if (format === 'table') output += `Chart: ${flags.chart}\n`;
    }
    return output;
  } finally {
    reader.close();
  }
}

function parseFlags(args: string[]): { [K in keyof typeof OPTIONS]?: string } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length) throw new ReportUsageError(`unexpected argument "${positionals[0]}" (see thirdring report --help)`);
    return values;
  } catch (error) {
    throw error instanceof ReportUsageError ? error : new ReportUsageError((error as Error).message);
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new ReportUsageError(`${flag}: expected ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function readPeriod(from: string | undefined, to: string | undefined, timeZone: string, now: number): Period {
  try {
    return parsePeriod({ from, to, timeZone, now });
  } catch (error) {
    throw error instanceof PeriodError ? new ReportUsageError(error.message) : error;
  }
}

function openReader(path: string): RingLogReader {
  try {
    return new RingLogReader(path);
  } catch (error) {
    if (error instanceof RingLogMissingError || error instanceof SchemaError) throw new ReportUsageError(error.message);
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new ReportUsageError(`${path}: not a SQLite database`);
    throw error;
  }
}

/** An explicit --site must be in the log (a typo would otherwise read as a quiet day). */
function chooseSite(reader: RingLogReader, requested: string | undefined, configured: string | undefined, dbPath: string): string | null {
  const sites = reader.sites();
  if (requested !== undefined) {
    if (sites.length && !sites.includes(requested)) throw new ReportUsageError(`--site: "${requested}" is not in ${dbPath} (sites: ${sites.join(', ')})`);
    return requested;
  }
  if (configured !== undefined) return configured;
  if (sites.length > 1) throw new ReportUsageError(`${dbPath} holds several sites (${sites.join(', ')}): choose one with --site`);
  return sites[0] ?? null;
}

function writeChart(file: string, reader: RingLogReader, site: string | null, period: Period): void {
  const calls: HourlyCall[] = [];
  if (site !== null) reader.forEachCall(site, period.from, period.to, (call) => calls.push({ t: call.t, type: call.outcome, onTime: call.onTime }));
  const subtitle = `Site ${site ?? '(none recorded)'}, ${describePeriod(period)}`;
  try {
    writeFileSync(file, renderServiceChart(hourlyStats(calls, period.timeZone), { subtitle }));
  } catch (error) {
    throw new ReportUsageError(`--chart: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
