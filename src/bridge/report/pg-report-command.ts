import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { isPostgresUrl } from '../store/pg-ring-log-store.js';
import { PG_GROUPINGS, PgRingLogReader } from '../store/pg-ring-log-reader.js';
import { SchemaError } from '../store/ring-log-schema.js';
import {
  buildCrossSiteReport, CrossSiteError, crossSiteHours, describeSitePeriods, describeZones, parseZoneFlags, sitePeriods, siteZones,
} from './cross-site-report.js';
import { machineTimeZone } from './local-time.js';
import { iso } from './period.js';
import { oneOf, ReportUsageError } from './report-command.js';
import { FORMATS, formatReport } from './report-format.js';
import { renderServiceChart } from './service-chart.js';

const OPTIONS = {
  db: { type: 'string' }, site: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
  by: { type: 'string' }, format: { type: 'string' }, chart: { type: 'string' }, tz: { type: 'string', multiple: true },
} as const;

/** `thirdring report --db postgres://…`: whether these arguments name a PostgreSQL ring log. */
export function isPostgresReport(args: readonly string[]): boolean {
  return args.some((arg, i) => (arg === '--db' && isPostgresUrl(args[i + 1] ?? '')) || (arg.startsWith('--db=') && isPostgresUrl(arg.slice(5))));
}

/**
 * The report from a PostgreSQL ring log: one site, or `--site all` (every site, each site's period, hours and days
 * in its own zone; lines and desks named site/line). Same numbers, formats and chart as the SQLite report.
 */
export async function pgReportCommand(args: string[], now = Date.now()): Promise<string> {
  let flags;
  try {
    flags = parseArgs({ args, options: OPTIONS, strict: true }).values;
  } catch (error) {
    const message = (error as Error).message;
    throw new ReportUsageError(/--replay|--config/.test(message) ? `${message} (--replay and --config read a SQLite ring log; with PostgreSQL give --tz)` : message);
  }
  const by = oneOf('--by', flags.by ?? 'line', PG_GROUPINGS);
  const format = oneOf('--format', flags.format ?? 'table', FORMATS);
  let reader: PgRingLogReader;
  try {
    reader = await PgRingLogReader.open(flags.db!);
  } catch (error) {
    if (error instanceof SchemaError) throw new ReportUsageError(error.message);
    throw new ReportUsageError(`${flags.db!.replace(/:[^:@/]*@/, ':***@')}: cannot read the ring log (${(error as Error).message})`);
  }
  try {
    const sites = await chooseSites(reader, flags.site);
    const zones = siteZones(sites, parseZoneFlags(flags.tz ?? []), await reader.siteZones(), machineTimeZone());
    const periods = sitePeriods(zones, flags.from, flags.to, now);
    const report = await buildCrossSiteReport(reader, periods, by, flags.site === 'all');
    const severalZones = new Set(zones.map((z) => z.timeZone)).size > 1;
    let output = formatReport(report, format, {
      ...(zones.length ? { source: `time zones: ${describeZones(zones)}` } : {}),
      json: { sites: periods.map((p, i) => ({ site: p.site, timeZone: p.timeZone, zoneFrom: zones[i]!.source, from: iso(p.from, p.timeZone), to: iso(p.to, p.timeZone) })) },
    });
    if (format === 'table' && severalZones) {
      const lines = output.split('\n');
      lines[1] = describeSitePeriods(periods);
      output = lines.join('\n');
    }
    if (flags.chart !== undefined) {
      const subtitle = `${report.site === 'all' ? `${sites.length} sites` : `Site ${report.site ?? '(none recorded)'}`}, ${format === 'table' ? output.split('\n')[1] : describeSitePeriods(periods)}`;
      try {
        writeFileSync(flags.chart, renderServiceChart(await crossSiteHours(reader, periods), { subtitle }));
      } catch (error) {
        throw new ReportUsageError(`--chart: cannot write ${flags.chart} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      if (format === 'table') output += `Chart: ${flags.chart}\n`;
    }
    return output;
  } catch (error) {
    if (error instanceof CrossSiteError) throw new ReportUsageError(error.message);
    // PostgreSQL refused the query (a zone it does not know, a lost connection): say so in one line.
    if (error instanceof pg.DatabaseError || (error as NodeJS.ErrnoException).code === 'ECONNRESET') throw new ReportUsageError(`${reader.name}: ${(error as Error).message}`);
    throw error;
  } finally {
    await reader.close();
  }
}

/** `--site all`: every site; a named site must be in the log; none given: the only site, else say to choose. */
async function chooseSites(reader: PgRingLogReader, requested: string | undefined): Promise<string[]> {
  const sites = await reader.sites();
  if (requested === 'all') return sites;
  if (requested !== undefined) {
    if (sites.length && !sites.includes(requested)) throw new ReportUsageError(`--site: "${requested}" is not in ${reader.name} (sites: ${sites.join(', ')}; or --site all)`);
    return [requested];
  }
  if (sites.length > 1) throw new ReportUsageError(`${reader.name} holds several sites (${sites.join(', ')}): choose one with --site, or --site all`);
  return sites;
}
