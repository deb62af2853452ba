import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { loadConfigFile, toCoreConfig } from '../config/load.js';
import type { ThirdringConfig } from '../config/schema.js';
import type { CoreConfig } from '../../core/index.js';
import { EventsFileError } from '../events-file.js';
import { eventsSpan, readExportHeader, streamEvents } from '../export/event-stream.js';
import { createProgress, formatCount, formatRate, type Progress } from '../progress.js';
import { REPLAY_TAIL_MS } from '../replay.js';
import { RingLogMissingError, RingLogReader } from '../store/ring-log-reader.js';
import { SchemaError } from '../store/ring-log-schema.js';
import { machineTimeZone } from './local-time.js';
import { describePeriod, parsePeriod, percentThrough, PeriodError, type Period } from './period.js';
import { buildReport, GROUPINGS } from './report.js';
import { FORMATS, formatReport } from './report-format.js';
import { hourlyStats, renderServiceChart, type HourlyCall } from './service-chart.js';
import { WhatIfLog } from './what-if.js';
import { formatComparison } from './what-if-format.js';

export const REPORT_USAGE = `Usage: thirdring report [--db ring-log.sqlite | --config thirdring.yaml] [--site S] [--from T] [--to T]
                        [--by line|desk|hour|day] [--format table|csv|json] [--chart file.svg] [--tz Area/City]
       thirdring report --replay other.yaml events.jsonl [--db ring-log.sqlite | --config thirdring.yaml] [same flags]
       thirdring report --db postgres://user:pw@host/db [--site S | --site all] [--by site|line|desk|hour|day]
                        [--tz site=Area/City ...] [--tz Area/City] [--from T] [--to T] [--format F] [--chart file.svg]

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
  --tz       time zone for dates and hours (default: the config's, else this machine's). With PostgreSQL each site
             has its own: --tz site=Area/City, else the site_zones table, else --tz Area/City, else this machine's;
             --from/--to are read in each site's zone (2026-03-02 is each site's own Monday)
  --site all with PostgreSQL: every site (lines and desks as site/line, site/desk); --by site: one row per site
  --replay   what if: run events.jsonl (from thirdring export) through the rules core with other.yaml and report on
             what it decides; with --db or --config also the recorded report, side by side: recorded, what-if and
             the difference. Period: the export's (default), else from the first event to a minute after the last.
             The replay keeps who picked up and when: it shows who would have been asked to answer, on time vs
             late, missed and callbacks under other.yaml — not whether someone who did not pick up would have.`;

/** Bad flags or input the report cannot use: one line, exit 2. */
export class ReportUsageError extends Error {}

const OPTIONS = {
  db: { type: 'string' }, config: { type: 'string' }, site: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
  by: { type: 'string' }, format: { type: 'string' }, chart: { type: 'string' }, tz: { type: 'string' }, replay: { type: 'string' },
} as const;
type Flags = { [K in keyof typeof OPTIONS]?: string };
const DEFAULT_CONFIG = 'thirdring.yaml';

/** Runs `thirdring report`; returns what to print. A what-if (--replay) shows its progress on `progress`. */
export function reportCommand(args: string[], now = Date.now(), progress: Progress = createProgress()): string {
  const { flags, events } = parseFlags(args);
  if (flags.replay !== undefined) return whatIfCommand(flags, flags.replay, events!, now, progress);
  const source = ringLogSource(flags, true);
  if (source === null) throw new ReportUsageError(`which ring log? give --db ring-log.sqlite or --config thirdring.yaml (none in ${process.cwd()})`);
  const { config, dbPath } = source;
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

/**
 * `thirdring report --replay other.yaml events.jsonl`: the events through the core with other.yaml, reported by the
 * same code as the recorded log (see WhatIfLog); side by side with the recorded report when a ring log is given.
 */
function whatIfCommand(flags: Flags, configFile: string, eventsFile: string, now: number, progress: Progress): string {
  const whatIfConfig = loadConfigFile(configFile);
  const coreConfig = toCoreConfig(whatIfConfig);
  // The recorded side only when asked for: a ./thirdring.yaml lying about does not turn a what-if into a comparison.
  const recordedSource = ringLogSource(flags, false);
  const by = oneOf('--by', flags.by ?? 'line', GROUPINGS);
  const format = oneOf('--format', flags.format ?? 'table', FORMATS);
  const header = readExportHeader(eventsFile);
  const timeZone = flags.tz ?? recordedSource?.config?.timezone ?? header?.timeZone ?? whatIfConfig.timezone;
  const period = flags.from !== undefined || flags.to !== undefined
    ? readPeriod(flags.from, flags.to, timeZone, now)
    : header ? { from: header.from, to: header.to, timeZone } : eventsPeriod(eventsFile, coreConfig, timeZone);

  const reader = recordedSource ? openReader(recordedSource.dbPath) : null;
  try {
    const recordedSite = reader ? chooseSite(reader, flags.site, recordedSource!.config?.site ?? header?.site, recordedSource!.dbPath) : null;
    const site = recordedSite ?? flags.site ?? header?.site ?? whatIfConfig.site;
    const when = (t: number) => DateTime.fromMillis(t, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
    let whatIf: WhatIfLog;
    try {
      whatIf = WhatIfLog.run(coreConfig, streamEvents(eventsFile, coreConfig), site, period, {
        onEvent: (event, count) => progress.update((elapsedMs) => `thirdring report: replaying ${when(event.t)} (${percentThrough(event.t, period)}), ${formatCount(count)} events, ${formatRate(count, elapsedMs)}`),
      });
    } finally {
      progress.done();
    }
    try {
      const whatIfReport = buildReport(whatIf.reader, site, period, by);
      let output = reader
        ? formatComparison({ recorded: buildReport(reader, recordedSite, period, by), whatIf: whatIfReport, source: { db: recordedSource!.dbPath, config: configFile, events: eventsFile } }, format)
        : formatReport(whatIfReport, format, {
          title: 'What-if report',
          source: `${eventsFile} replayed with ${configFile}`,
          json: { whatIf: { config: configFile, events: eventsFile } },
        });
      if (flags.chart !== undefined) {
        writeChart(flags.chart, whatIf.reader, site, period, 'what-if');
        if (format === 'table') output += `Chart (what-if): ${flags.chart}\n`;
      }
      return output;
    } finally {
      whatIf.close();
    }
  } finally {
    reader?.close();
  }
}

/** A file without an export header: from its first event to a minute after its last, as `thirdring replay` runs it. */
function eventsPeriod(file: string, config: CoreConfig, timeZone: string): Period {
  const span = eventsSpan(file, config);
  if (span === null) throw new EventsFileError(`${file}: no events`);
  return { from: span.first, to: span.last + REPLAY_TAIL_MS, timeZone };
}

/** The bridge config (if any) and the ring log database: --db, else the config's (--config, or ./thirdring.yaml when `useDefault`). */
export function ringLogSource(flags: { db?: string | undefined; config?: string | undefined }, useDefault: boolean): { config: ThirdringConfig | null; dbPath: string } | null {
  const configFile = flags.config ?? (useDefault && flags.db === undefined && existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  const config = configFile === undefined ? null : loadConfigFile(configFile);
  const dbPath = flags.db ?? (config ? resolve(config.dataDir, config.recorder.database) : undefined);
  return dbPath === undefined ? null : { config, dbPath };
}

function parseFlags(args: string[]): { flags: Flags; events: string | null } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.replay !== undefined) {
      if (positionals.length === 0) throw new ReportUsageError(`--replay ${values.replay}: which events? thirdring report --replay other.yaml events.jsonl (events from thirdring export)`);
      if (positionals.length > 1) throw new ReportUsageError(`unexpected argument "${positionals[1]}" (see thirdring report --help)`);
      return { flags: values, events: positionals[0]! };
    }
    if (positionals.length) throw new ReportUsageError(`unexpected argument "${positionals[0]}" (see thirdring report --help)`);
    return { flags: values, events: null };
  } catch (error) {
    throw error instanceof ReportUsageError ? error : new ReportUsageError((error as Error).message);
  }
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new ReportUsageError(`${flag}: expected ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function readPeriod(from: string | undefined, to: string | undefined, timeZone: string, now: number): Period {
  try {
    return parsePeriod({ from, to, timeZone, now });
  } catch (error) {
    throw error instanceof PeriodError ? new ReportUsageError(error.message) : error;
  }
}

export function openReader(path: string): RingLogReader {
  try {
    return new RingLogReader(path);
  } catch (error) {
    if (error instanceof RingLogMissingError || error instanceof SchemaError) throw new ReportUsageError(error.message);
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new ReportUsageError(`${path}: not a SQLite database`);
    throw error;
  }
}

/** An explicit --site must be in the log (a typo would otherwise read as a quiet day). */
export function chooseSite(reader: RingLogReader, requested: string | undefined, configured: string | undefined, dbPath: string): string | null {
  const sites = reader.sites();
  if (requested !== undefined) {
    if (sites.length && !sites.includes(requested)) throw new ReportUsageError(`--site: "${requested}" is not in ${dbPath} (sites: ${sites.join(', ')})`);
    return requested;
  }
  if (configured !== undefined) return configured;
  if (sites.length > 1) throw new ReportUsageError(`${dbPath} holds several sites (${sites.join(', ')}): choose one with --site`);
  return sites[0] ?? null;
}

function writeChart(file: string, reader: RingLogReader, site: string | null, period: Period, what?: string): void {
  const calls: HourlyCall[] = [];
  if (site !== null) reader.forEachCall(site, period.from, period.to, (call) => calls.push({ t: call.t, type: call.outcome, onTime: call.onTime }));
  const subtitle = `${what ? `${what[0]!.toUpperCase()}${what.slice(1)}: site` : 'Site'} ${site ?? '(none recorded)'}, ${describePeriod(period)}`;
  try {
    writeFileSync(file, renderServiceChart(hourlyStats(calls, period.timeZone), { subtitle }));
  } catch (error) {
    throw new ReportUsageError(`--chart: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
