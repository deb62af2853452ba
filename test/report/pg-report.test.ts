// thirdring report --db postgres://… (issue #19 part 3): the hand-made day at two sites, one in Amsterdam and one
// in New York, each at the same local times. The PostgreSQL report must give the SQLite report's numbers for one
// site, and across sites count each site's day and hours in its own zone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { isPostgresReport, pgReportCommand } from '../../src/bridge/report/pg-report-command.js';
import { buildReport, GROUPINGS } from '../../src/bridge/report/report.js';
import { ReportUsageError } from '../../src/bridge/report/report-command.js';
import { PgRingLogStore } from '../../src/bridge/store/pg-ring-log-store.js';
import { RingLogReader } from '../../src/bridge/store/ring-log-reader.js';
import { tempDir } from '../helpers.js';
import { itWithPostgres, postgresBin, query, startPostgres, type PostgresServer } from '../store/postgres-server.js';
import { at, handDayEntries, SITE, writeHandDay, ZONE } from './hand-day.js';

const NEW_YORK = 'branch-ny';
/** New York is UTC−5 on 2 March 2026, Amsterdam UTC+1: the same local times are six hours later. */
const SHIFT_MS = 6 * 3_600_000;
const DAY = ['--from', '2026-03-02', '--to', '2026-03-03'];

let server: PostgresServer | null = null;
let db = '';
let sqlite: RingLogReader | null = null;
beforeAll(async () => {
  sqlite = new RingLogReader(writeHandDay(tempDir()));
  if (!postgresBin()) return;
  server = await startPostgres();
  db = await server.newDatabase();
  const store = await PgRingLogStore.open(db);
  await store.ingest([...handDayEntries(), ...handDayEntries(NEW_YORK, 'hand', SHIFT_MS)]);
  await store.close();
  // Amsterdam's zone is in the table; New York's comes from --tz.
  await query(db, 'INSERT INTO site_zones VALUES ($1, $2)', [SITE, ZONE]);
}, 30_000);
afterAll(async () => {
  sqlite?.close();
  await server?.close();
});

const json = async (args: string[]) => JSON.parse(await pgReportCommand(['--db', db, ...args, '--format', 'json'])) as { site: string; groups: { group: string }[]; total: object; sites: object[] };
const sqliteDay = (by: (typeof GROUPINGS)[number]) => buildReport(sqlite!, SITE, { from: at('2026-03-02T00:00'), to: at('2026-03-03T00:00'), timeZone: ZONE }, by);

describe('thirdring report --db postgres://…', () => {
  itWithPostgres([], 'one site: the same numbers as the SQLite report, by line, desk, hour and day', async () => {
    for (const by of GROUPINGS) {
      const report = await json(['--site', SITE, ...DAY, '--by', by]);
      const expected = sqliteDay(by);
      expect(report.groups, by).toEqual(expected.groups);
      expect(report.total, by).toEqual(Object.fromEntries(Object.entries(expected.total).filter(([k]) => k !== 'group')));
    }
  });

  itWithPostgres([], "--site all: each site's day and hours in its own zone", async () => {
    const tz = ['--tz', `${NEW_YORK}=America/New_York`];
    const day = sqliteDay('line').total;
    const bySite = await json(['--site', 'all', ...DAY, '--by', 'site', ...tz]);
    expect(bySite.site).toBe('all');
    expect(bySite.groups).toEqual([{ ...day, group: SITE }, { ...day, group: NEW_YORK }]);
    expect(bySite.sites).toEqual([
      { site: SITE, timeZone: ZONE, zoneFrom: 'site_zones', from: '2026-03-02T00:00:00+01:00', to: '2026-03-03T00:00:00+01:00' },
      { site: NEW_YORK, timeZone: 'America/New_York', zoneFrom: '--tz site=zone', from: '2026-03-02T00:00:00-05:00', to: '2026-03-03T00:00:00-05:00' },
    ]);
    // Both sites' calls fall in the same local hours: every hour has twice one site's calls.
    const hours = await json(['--site', 'all', ...DAY, '--by', 'hour', ...tz]);
    expect(hours.groups).toEqual(sqliteDay('hour').groups.map((g) => expect.objectContaining({ group: g.group, calls: 2 * g.calls, missed: 2 * g.missed })));
    // Lines are named by site.
    const lines = await json(['--site', 'all', ...DAY, ...tz]);
    expect(lines.groups.map((g) => g.group)).toEqual([`${SITE}/back`, `${SITE}/front`, `${NEW_YORK}/back`, `${NEW_YORK}/front`]);
    // Read in Amsterdam's zone instead, New York's day would be cut at 18:00 local: not the same numbers.
    const wrong = await json(['--site', 'all', ...DAY, '--by', 'site', '--tz', `${NEW_YORK}=${ZONE}`]);
    expect(wrong.groups[1]).not.toEqual({ ...day, group: NEW_YORK });
  });

  itWithPostgres([], 'table, CSV and SVG chart as the SQLite report; the zones are named', async () => {
    const chart = join(tempDir(), 'chart.svg');
    const table = await pgReportCommand(['--db', db, '--site', 'all', ...DAY, '--by', 'site', '--tz', `${NEW_YORK}=America/New_York`, '--chart', chart]);
    expect(table.split('\n').slice(0, 3)).toEqual([
      'Ring log report — site all, by site',
      'Mon 2 Mar 2026 00:00 to Tue 3 Mar 2026 00:00, each site in its own time zone',
      `time zones: ${ZONE}: ${SITE} (site_zones); America/New_York: ${NEW_YORK} (--tz site=zone)`,
    ]);
    expect(table).toMatch(/^total\s+20\s+14\s+8\s+6\s+6\s+40\.0%/m);
    expect(table).toContain(`Chart: ${chart}`);
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg[\s\S]*2 sites/);
    const csv = await pgReportCommand(['--db', db, '--site', SITE, ...DAY, '--format', 'csv']);
    expect(csv.split('\r\n')[0]).toBe('line,calls,answered,on_time,late,missed,service_level_pct,avg_wait_s,p90_wait_s,avg_rings,callbacks_owed,callbacks_overdue');
  });

  itWithPostgres([], 'says what is wrong with its flags', async () => {
    await expect(pgReportCommand(['--db', db, ...DAY])).rejects.toThrow(new ReportUsageError(`${db} holds several sites (${SITE}, ${NEW_YORK}): choose one with --site, or --site all`));
    await expect(pgReportCommand(['--db', db, '--site', 'all', '--tz', 'nowhere=Mars/Olympus'])).rejects.toThrow('--tz: unknown time zone "Mars/Olympus"');
    await expect(pgReportCommand(['--db', db, '--site', 'all', '--tz', 'branch-xx=Europe/Paris'])).rejects.toThrow('"branch-xx" is not a site in this report');
    await expect(pgReportCommand(['--db', db, '--site', 'all', '--replay', 'x.yaml'])).rejects.toThrow('--replay and --config read a SQLite ring log');
    await query(db, 'INSERT INTO site_zones VALUES ($1, $2)', ['branch-ny', 'Not/AZone']);
    try {
      // Not a zone luxon knows: the site falls back to --tz, and the report names where its zone came from.
      expect((await json(['--site', 'all', '--by', 'site', ...DAY, '--tz', 'UTC'])).sites).toContainEqual(expect.objectContaining({ site: 'branch-ny', timeZone: 'UTC', zoneFrom: '--tz' }));
    } finally {
      await query(db, 'DELETE FROM site_zones WHERE site = $1', ['branch-ny']);
    }
    const empty = await server!.newDatabase();
    await expect(pgReportCommand(['--db', empty])).rejects.toThrow('not a thirdring ring log');
    expect(isPostgresReport(['--db', 'postgresql://h/db'])).toBe(true);
    expect(isPostgresReport(['--db', 'ring-log.sqlite'])).toBe(false);
  });
});
