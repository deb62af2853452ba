import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runThirdring as thirdring } from '../thirdring-process.js';
import { writeHandDay, ZONE } from './hand-day.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-report-cli-');
const db = writeHandDay(dir);
const DAY = ['--from', '2026-03-02', '--to', '2026-03-03', '--tz', ZONE];

describe('thirdring report', () => {
  it('prints an aligned table with a total row', () => {
    const { status, stdout, stderr } = thirdring(['report', '--db', db, ...DAY, '--by', 'desk']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Ring log report — site branch-01, by desk');
    expect(lines[1]).toBe('Mon 2 Mar 2026 00:00 to Tue 3 Mar 2026 00:00 (Europe/Amsterdam)');
    expect(stdout).toMatch(/^d3 +3 +2 +1 +1 +1 +33\.3% +7\.0 s +12\.0 s +2\.0 +1 +1$/m);
    expect(stdout).toMatch(/^\(none\) +1 +0 +0 +0 +1 +0\.0% +— +— +— +0 +0$/m);
    expect(stdout).toMatch(/^total +10 +7 +4 +3 +3 +40\.0% +8\.3 s +16\.0 s +2\.3 +2 +1$/m);
    const header = lines.find((line) => line.startsWith('desk '))!;
    const total = lines.find((line) => line.startsWith('total '))!;
    expect(total.length).toBe(header.length); // numbers end under their headings
  });

  it('prints CSV: a header, one record per group and the total', () => {
    const { status, stdout } = thirdring(['report', '--db', db, ...DAY, '--format', 'csv']);
    expect(status).toBe(0);
    expect(stdout).toBe(
      [
        'line,calls,answered,on_time,late,missed,service_level_pct,avg_wait_s,p90_wait_s,avg_rings,callbacks_owed,callbacks_overdue',
        'back,5,3,1,2,2,20,10,16,2.7,1,1',
        'front,5,4,3,1,1,60,7,10,2,1,0',
        'total,10,7,4,3,3,40,8.3,16,2.3,2,1',
        '',
      ].join('\r\n'),
    );
  });

  it('takes the database, site and time zone from a config, and prints JSON', () => {
    const configDir = join(dir, 'office');
    mkdirSync(join(configDir, 'state'), { recursive: true });
    writeFileSync(join(configDir, 'state', 'calls.sqlite'), readFileSync(db));
    const config = join(configDir, 'thirdring.yaml');
    writeFileSync(config, `${readFileSync('examples/branch.yaml', 'utf8')}\ndataDir: state\nrecorder: { database: calls.sqlite }\n`);
    const { status, stdout, stderr } = thirdring(['report', '--config', config, '--from', '2026-03-02', '--to', '2026-03-03', '--by', 'hour', '--format', 'json']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.site).toBe('branch-01');
    expect(report.period).toEqual({ from: '2026-03-02T00:00:00+01:00', to: '2026-03-03T00:00:00+01:00', timeZone: 'Europe/Amsterdam' });
    expect(report.groups.map((g: { group: string }) => g.group)).toEqual(['09:00', '10:00', '11:00', '12:00', '14:00', '16:00']);
    expect(report.total).toMatchObject({ calls: 10, serviceLevel: 40, callbacksOwed: 2, callbacksOverdue: 1 });
  });

  it('writes the chart to --chart and says so under the table', () => {
    const chart = join(dir, 'chart.svg');
    const { status, stdout } = thirdring(['report', '--db', db, ...DAY, '--chart', chart]);
    expect(status).toBe(0);
    expect(stdout).toContain(`Chart: ${chart}\n`);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/class="missed-bar"/g)).toHaveLength(3); // missed at 09, 11 and 16
    expect(svg.match(/class="service-point"/g)).toHaveLength(6); // calls at 09, 10, 11, 12, 14, 16
  });

  it('prints its usage with --help', () => {
    const { status, stdout } = thirdring(['report', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: thirdring report /);
  });

  const missing = join(dir, 'nowhere', 'ring-log.sqlite');
  // Every other kind of bad input is checked in-process in report-command.test.ts.
  it.each([
    ['an unknown flag', ['--db', db, '--colour'], "Unknown option '--colour'"],
    ['a bad --by', ['--db', db, '--by', 'week'], '--by: expected line, desk, hour, day, got "week"'],
    ['a missing database', ['--db', missing], `${missing}: no ring log database there`],
  ])('exits 2 with one line for %s', (_what, args, message) => {
    const { status, stdout, stderr } = thirdring(['report', ...args]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`thirdring report: ${message}`);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false); // never creates a database
  });
});
