import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand, ReportUsageError } from '../../src/bridge/report/report-command.js';
import { parseLogPayload, RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { at, writeHandDay, ZONE } from './hand-day.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-report-command-');
const db = writeHandDay(dir);
const NOW = at('2026-03-02T18:00');
const run = (...args: string[]) => reportCommand(['--db', db, '--tz', ZONE, ...args], NOW);
const usageError = (...args: string[]) => {
  try {
    run(...args);
  } catch (error) {
    if (error instanceof ReportUsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('report command arguments', () => {
  it.each([
    ['a bad --format', ['--format', 'pdf'], '--format: expected table, csv, json, got "pdf"'],
    ['a date that does not exist', ['--from', '2026-02-30'], '--from: expected a date (2026-03-02), a date-time (2026-03-02T09:00), today, yesterday, now or 7d / 12h / 2w back, got "2026-02-30"'],
    ['a word that is not a date', ['--to', 'soon'], '--to: expected a date'],
    ['--from after --to', ['--from', '2026-03-03', '--to', '2026-03-02'], '--from (2026-03-03T00:00:00+01:00) must be before --to (2026-03-02T00:00:00+01:00)'],
    ['an unknown time zone', ['--tz', 'Mars/Olympus'], '--tz: unknown time zone "Mars/Olympus": expected an IANA zone like Europe/Amsterdam'],
    ['a site not in the log', ['--site', 'branch-99'], `--site: "branch-99" is not in ${db} (sites: branch-01)`],
    ['an extra argument', ['weekly'], 'unexpected argument "weekly" (see thirdring report --help)'],
    ['a flag without its value', ['--by'], "Option '--by <value>' argument missing"],
  ])('rejects %s with one clear line', (_what, args, message) => {
    expect(usageError(...args)).toContain(message);
  });

  it('refuses a file that is not a ring log', () => {
    expect(() => reportCommand(['--db', 'package.json'], NOW)).toThrow('package.json: not a SQLite database');
    const other = join(dir, 'other.sqlite');
    const otherDb = new Database(other);
    otherDb.exec('CREATE TABLE t (x)');
    otherDb.close();
    expect(() => reportCommand(['--db', other], NOW)).toThrow(`${other}: not a thirdring ring log`);
    const old = join(dir, 'old.sqlite');
    const oldDb = new Database(old);
    oldDb.pragma('user_version = 1');
    oldDb.close();
    expect(() => reportCommand(['--db', old], NOW)).toThrow(`${old}: ring log from an older thirdring (schema version 1); the recorder upgrades it`);
  });

  it('asks which site when the log holds several and none was named', () => {
    const path = join(dir, 'two-sites.sqlite');
    const store = new RingLogStore(path);
    store.ingest(['a', 'b'].map((site) => {
      const parsed = parseLogPayload(JSON.stringify({ t: NOW, type: 'ring', line: 'front', ring: 1, site, seq: 1 }));
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.entry;
    }));
    store.close();
    expect(() => reportCommand(['--db', path], NOW)).toThrow(`${path} holds several sites (a, b): choose one with --site`);
    expect(reportCommand(['--db', path, '--site', 'b', '--format', 'json'], NOW)).toContain('"site": "b"');
  });

  it('reports the last 7 days up to now by default', () => {
    const report = JSON.parse(run('--format', 'json'));
    expect(report.period).toEqual({ from: '2026-02-23T18:00:00+01:00', to: '2026-03-02T18:00:00+01:00', timeZone: ZONE });
    expect(report.total.calls).toBe(11); // the hand day's 10 and the missed call the evening before
  });

  it('understands today, and reads times without an offset in --tz', () => {
    const report = JSON.parse(run('--from', 'today', '--to', '2026-03-02T10:00', '--format', 'json'));
    expect(report.period).toMatchObject({ from: '2026-03-02T00:00:00+01:00', to: '2026-03-02T10:00:00+01:00' });
    expect(report.total.calls).toBe(3); // #1–3, all before 10:00
  });
});
