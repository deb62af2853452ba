import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../src/bridge/export/export-command.js';
import { GROUPINGS, type GroupBy } from '../../src/bridge/report/report.js';
import { reportCommand } from '../../src/bridge/report/report-command.js';
import { at, branchYaml, DAY, DAY_END, DAY_START, handEvents, recordDay, SITE, writeFile, ZONE } from './what-if-day.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-what-if-');
const yaml = branchYaml();
const config = writeFile(dir, 'branch.yaml', yaml);
const db = recordDay(join(dir, 'ring-log.sqlite'), yaml, handEvents());
const DAY_ARGS = ['--from', DAY, '--to', '2026-03-04', '--tz', ZONE];
const NOW = DAY_END + 3_600_000;
const PERIOD = { from: '2026-03-03T00:00:00+01:00', to: '2026-03-04T00:00:00+01:00', timeZone: ZONE };

const exported = join(dir, 'day.jsonl');
beforeAll(async () => {
  await exportCommand(['--db', db, ...DAY_ARGS, '-o', exported], { now: NOW });
});

type Stats = Record<string, number | null>;
interface ComparedJson {
  site: string;
  period: object;
  groups: { group: string; recorded: Stats; whatIf: Stats; change: Stats }[];
  total: { recorded: Stats; whatIf: Stats; change: Stats };
}
const compare = (configFile: string, by: GroupBy, ...more: string[]): ComparedJson =>
  JSON.parse(reportCommand(['--db', db, '--replay', configFile, exported, '--by', by, '--format', 'json', ...more], NOW));
const recordedReport = (by: GroupBy) => JSON.parse(reportCommand(['--db', db, ...DAY_ARGS, '--by', by, '--format', 'json'], NOW));
const NO_CHANGE = { calls: 0, onTime: 0, late: 0, missed: 0, serviceLevel: 0 };

describe('thirdring export', () => {
  it('writes the period\'s input entries as replay events in the order the core took them, after a header naming the period', () => {
    const lines = readFileSync(exported, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ t: DAY_START, type: 'tick', export: { site: SITE, ...PERIOD } });
    expect(lines.slice(1)).toEqual(handEvents());
  });

  it('on a terminal, says what it wrote to -o; piped, nothing', async () => {
    const written: string[] = [];
    const out = join(dir, 'told.jsonl');
    await exportCommand(['--db', db, ...DAY_ARGS, '-o', out], { now: NOW, stderr: { isTTY: true, columns: 200, write: (text: string) => written.push(text) } });
    expect(written.join('')).toBe(`thirdring export: 45 events, site branch-01, Tue 3 Mar 2026 00:00 to Wed 4 Mar 2026 00:00 (Europe/Amsterdam) → ${out}\n`);
    written.length = 0;
    await exportCommand(['--db', db, ...DAY_ARGS, '-o', out], { now: NOW, stderr: { isTTY: false, write: (text: string) => written.push(text) } });
    expect(written).toEqual([]);
  });

  it('carries desks away and cover taken before --from into the period, as events at --from', async () => {
    const noon = join(dir, 'noon.jsonl');
    // chloe went away at 09:30 and is back at 13:00: away at 12:00.
    const result = await exportCommand(['--db', db, '--from', `${DAY}T12:00`, '--to', `${DAY}T13:30`, '--tz', ZONE, '-o', noon], { now: NOW });
    expect(result).toMatchObject({ site: SITE, events: 2, carried: 1, skipped: 0, cut: false }); // ack 12:30, presence 13:00
    expect(readFileSync(noon, 'utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line))).toEqual([
      { t: at('12:00'), type: 'presence', desk: 'chloe', state: 'away', carried: true },
      { t: at('12:30'), type: 'ack', desk: 'anna' },
      { t: at('13:00'), type: 'presence', desk: 'chloe', state: 'present' },
    ]);
    // At 15:10 chloe is back (nothing to carry) and anna covers daan since 15:00.
    const afternoon = join(dir, 'afternoon.jsonl');
    await exportCommand(['--db', db, '--from', `${DAY}T15:10`, '--to', `${DAY}T15:40`, '--tz', ZONE, '-o', afternoon], { now: NOW });
    expect(readFileSync(afternoon, 'utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line))).toEqual([
      { t: at('15:10'), type: 'takeover', desk: 'anna', from: 'daan', state: 'on', carried: true },
      { t: at('15:30'), type: 'takeover', desk: 'anna', from: 'daan', state: 'off' },
    ]);
  });

  it('says why, as one line, when the period has no input entries, and writes no file', async () => {
    const old = recordDay(join(dir, 'before-inputs.sqlite'), yaml, handEvents(), { inputs: false });
    const out = join(dir, 'never.jsonl');
    await expect(exportCommand(['--db', old, ...DAY_ARGS, '-o', out], { now: NOW })).rejects.toThrow(
      `${old}: no input entries for site branch-01 from Tue 3 Mar 2026 00:00 to Wed 4 Mar 2026 00:00 (Europe/Amsterdam) (5 calls recorded then): this ring log was recorded before the bridge logged what it fed its rules core, so there is nothing to replay`,
    );
    await expect(exportCommand(['--db', db, '--from', '2026-03-04', '--to', '2026-03-05', '--tz', ZONE, '-o', out], { now: NOW })).rejects.toThrow(
      'no input entries for site branch-01 from Wed 4 Mar 2026 00:00 to Thu 5 Mar 2026 00:00 (Europe/Amsterdam) (no calls recorded then either); inputs are logged from 2026-03-03T09:00:00+01:00 to 2026-03-03T16:00:21+01:00',
    );
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('writes no faster than a slow reader takes the lines (backpressure), and all of them', async () => {
    // 20,000 presence changes (1.3 MB of events) into a writer that holds 16 KiB and takes a chunk per timer turn.
    const events = Array.from({ length: 20_000 }, (_, i) => ({ t: at('08:00') + i * 1000, type: 'presence' as const, desk: 'anna', state: i % 2 ? 'present' as const : 'away' as const }));
    const big = recordDay(join(dir, 'busy.sqlite'), yaml, events);
    const chunks: Buffer[] = [];
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        setTimeout(done, 0);
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: Buffer, ...rest: never[]) => {
      const ok = write(chunk, ...rest);
      mostBuffered = Math.max(mostBuffered, slow.writableLength);
      return ok;
    }) as typeof slow.write;
    const result = await exportCommand(['--db', big, ...DAY_ARGS], { now: NOW, stdout: slow });
    expect(result.events).toBe(20_000);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_001);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ ...events.at(-1)! });
    expect(chunks.length).toBeGreaterThan(15); // 64 KiB writes
    expect(mostBuffered).toBeLessThan(16 * 1024 + 70 * 1024); // never more than one chunk past the high-water mark
  });
});

describe('thirdring report --replay', () => {
  it.each(GROUPINGS)('with the recorded config gives the recorded report, by %s', (by) => {
    const report = compare(config, by);
    const recorded = recordedReport(by);
    expect(report.site).toBe(SITE);
    expect(report.period).toEqual(PERIOD); // the export's period, read from its first line
    expect(report.groups.map((g) => ({ group: g.group, ...g.recorded }))).toEqual(recorded.groups);
    expect(report.total.recorded).toEqual(recorded.total);
    for (const row of [...report.groups, report.total]) {
      expect(row.whatIf).toEqual(row.recorded);
      expect(row.change).toEqual(NO_CHANGE);
    }
  });

  it('hand-computed recorded numbers, by line', () => {
    // front: #1 on time (2 rings, 7 s), #2 late (3 rings, 12 s), #3 and #5 missed → 1 / 4 = 25.0 %; waits 7 12 → 9.5 s,
    //   nearest rank ⌈0.9 × 2⌉ = 2nd → 12 s; rings 2 3 → 2.5; callback A returned at 11:30, B open, due tomorrow → owed 1
    // back: #4 on time (1 ring, 2 s) → 100 %
    // total: 5 calls, on time 2, late 1, missed 2 → 40.0 %; waits 2 7 12 → 7.0 s, 3rd → 12 s; rings 2 3 1 → 2.0
    const report = compare(config, 'line');
    expect(report.groups.map((g) => [g.group, g.recorded.calls, g.recorded.onTime, g.recorded.late, g.recorded.missed, g.recorded.serviceLevel])).toEqual([
      ['back', 1, 1, 0, 0, 100],
      ['front', 4, 1, 1, 2, 25],
    ]);
    expect(report.total.recorded).toEqual({
      calls: 5, answered: 3, onTime: 2, late: 1, missed: 2, serviceLevel: 40, avgWaitSeconds: 7, p90WaitSeconds: 12, avgRings: 2, callbacksOwed: 1, callbacksOverdue: 0,
    });
  });

  it('answerBy 4: the call picked up during ring 3 becomes on time', () => {
    // #2 was answered at 12 s, during ring 3 (10–15 s): late before ring 3, on time before ring 4.
    // front: on time 1 → 2, late 1 → 0; service level 1 / 4 = 25.0 % → 2 / 4 = 50.0 %: +25.0 points
    // total: on time 2 → 3, late 1 → 0; 2 / 5 = 40.0 % → 3 / 5 = 60.0 %: +20.0 points; calls and missed as recorded
    const report = compare(writeFile(dir, 'answer-by-4.yaml', branchYaml({ answerBy: 4 })), 'line');
    expect(report.groups).toEqual([
      expect.objectContaining({ group: 'back', change: NO_CHANGE }),
      expect.objectContaining({ group: 'front', change: { calls: 0, onTime: 1, late: -1, missed: 0, serviceLevel: 25 } }),
    ]);
    expect(report.groups[1]!.whatIf).toMatchObject({ calls: 4, onTime: 2, late: 0, missed: 2, serviceLevel: 50 });
    expect(report.total.change).toEqual({ calls: 0, onTime: 1, late: -1, missed: 0, serviceLevel: 20 });
    expect(report.total.whatIf).toMatchObject({ onTime: 3, late: 0, serviceLevel: 60, avgWaitSeconds: 7, callbacksOwed: 1 });
  });

  it('a desk next to the front phone: it is asked first, so the missed calls count against it — the callers were still missed', () => {
    // fred at [4.5, 2.5] is 0.5 m from the front phone, bram 1.1 m: fred is assigned every front call, and the two
    // missed ones (#3, #5) count against fred instead of bram. Nobody at fred picked up in the recording, so by line
    // and in total nothing changes. By desk:
    //   bram:   #2 (late) #3 #5 (missed) → 3 calls, 0 on time, 1 late, 2 missed, 0.0 %, owes B
    //        →  #2 only              → 1 call, 1 late, 0.0 %: calls −2, missed −2, service level ±0.0
    //   fred:   no calls (service level —) → #3 #5 missed: calls +2, missed +2, 0.0 %, owes B; change in service level: none (—)
    //   eva (#4) and (none) (#1, the counter phone) as recorded
    const withFred = writeFile(dir, 'fred.yaml', branchYaml({ extraDesks: ['{ id: fred, at: [4.5, 2.5] }'] }));
    expect(compare(withFred, 'line').total.change).toEqual(NO_CHANGE);
    const report = compare(withFred, 'desk');
    const byDesk = Object.fromEntries(report.groups.map((g) => [g.group, g]));
    expect(report.groups.map((g) => g.group)).toEqual(['bram', 'eva', 'fred', '(none)']);
    expect(byDesk.bram!.recorded).toMatchObject({ calls: 3, onTime: 0, late: 1, missed: 2, serviceLevel: 0, callbacksOwed: 1 });
    expect(byDesk.bram!.whatIf).toMatchObject({ calls: 1, onTime: 0, late: 1, missed: 0, serviceLevel: 0, callbacksOwed: 0 });
    expect(byDesk.bram!.change).toEqual({ calls: -2, onTime: 0, late: 0, missed: -2, serviceLevel: 0 });
    expect(byDesk.fred!.recorded).toMatchObject({ calls: 0, serviceLevel: null, callbacksOwed: 0 });
    expect(byDesk.fred!.whatIf).toMatchObject({ calls: 2, onTime: 0, late: 0, missed: 2, serviceLevel: 0, callbacksOwed: 1 });
    expect(byDesk.fred!.change).toEqual({ calls: 2, onTime: 0, late: 0, missed: 2, serviceLevel: null });
    expect(byDesk.eva!.change).toEqual(NO_CHANGE);
    expect(byDesk['(none)']!.change).toEqual(NO_CHANGE);
    expect(report.total.change).toEqual(NO_CHANGE);
  });

  it('prints recorded, what-if and the difference side by side as a table and as CSV', () => {
    const args = ['--db', db, '--replay', writeFile(dir, 'answer-by-4b.yaml', branchYaml({ answerBy: 4 })), exported];
    const table = reportCommand([...args, '--by', 'line'], NOW);
    const lines = table.split('\n');
    expect(lines[0]).toBe('What-if report — site branch-01, by line');
    expect(lines[1]).toBe('Tue 3 Mar 2026 00:00 to Wed 4 Mar 2026 00:00 (Europe/Amsterdam)');
    expect(lines[2]).toMatch(/^rec\.: recorded in .*ring-log\.sqlite; what-if: .*day\.jsonl replayed with .*answer-by-4b\.yaml$/);
    expect(lines[4]).toMatch(/^ +calls +on time +late +missed +service level$/);
    expect(lines[5]).toMatch(/^line +rec\. +what-if +Δ( +rec\. +what-if +Δ){4}$/);
    expect(table).toMatch(/^front +4 +4 +0 +1 +2 +\+1 +1 +0 +-1 +2 +2 +0 +25\.0% +50\.0% +\+25\.0$/m);
    expect(table).toMatch(/^total +5 +5 +0 +2 +3 +\+1 +1 +0 +-1 +2 +2 +0 +40\.0% +60\.0% +\+20\.0$/m);
    const total = lines.find((line) => line.startsWith('total'))!;
    expect(total.length).toBe(lines[5]!.length); // numbers end under their headings
    expect(reportCommand([...args, '--format', 'csv'], NOW).split('\r\n')).toEqual([
      'line,calls_recorded,calls_what_if,calls_change,on_time_recorded,on_time_what_if,on_time_change,late_recorded,late_what_if,late_change,'
        + 'missed_recorded,missed_what_if,missed_change,service_level_pct_recorded,service_level_pct_what_if,service_level_pct_change',
      'back,1,1,0,1,1,0,0,0,0,0,0,0,100,100,0',
      'front,4,4,0,1,2,1,1,0,-1,2,2,0,25,50,25',
      'total,5,5,0,2,3,1,1,0,-1,2,2,0,40,60,20',
      '',
    ]);
  });

  it('without a ring log: the what-if report alone, in the report\'s own formats', () => {
    const table = reportCommand(['--replay', config, exported], NOW);
    expect(table.split('\n').slice(0, 3)).toEqual([
      'What-if report — site branch-01, by line',
      'Tue 3 Mar 2026 00:00 to Wed 4 Mar 2026 00:00 (Europe/Amsterdam)',
      `${exported} replayed with ${config}`,
    ]);
    expect(table).toMatch(/^total +5 +3 +2 +1 +2 +40\.0% +7\.0 s +12\.0 s +2\.0 +1 +0$/m);
    const json = JSON.parse(reportCommand(['--replay', config, exported, '--format', 'json', '--by', 'hour'], NOW));
    expect(json).toMatchObject({ site: SITE, period: PERIOD, by: 'hour', whatIf: { config, events: exported } });
    expect(json.groups).toEqual(recordedReport('hour').groups);
  });

  it('--chart draws the what-if', () => {
    const chart = join(dir, 'what-if.svg');
    const table = reportCommand(['--db', db, '--replay', config, exported, '--chart', chart], NOW);
    expect(table).toContain(`Chart (what-if): ${chart}\n`);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toContain('What-if: site branch-01, Tue 3 Mar 2026 00:00 to Wed 4 Mar 2026 00:00 (Europe/Amsterdam)');
    expect(svg.match(/class="missed-bar"/g)).toHaveLength(2); // missed at 11 and 16
  });

  it('takes --from/--to over the export\'s period, and a file without a header from its first event to a minute after its last', () => {
    // 10:00–12:00: #2 (late) and #3 (missed; callback A, returned at 11:30) → 2 calls, 0 % on both sides.
    const morning = compare(config, 'line', '--from', `${DAY}T10:00`, '--to', `${DAY}T12:00`);
    expect(morning.total.recorded).toMatchObject({ calls: 2, onTime: 0, late: 1, missed: 1, callbacksOwed: 0 });
    expect(morning.total.whatIf).toEqual(morning.total.recorded);
    // The hand-written events as they are: 09:00:00 to 16:00:21 + 1 min, so #5 (missed at 16:00:27) is in.
    const plain = writeFile(dir, 'plain.jsonl', handEvents().map((e) => JSON.stringify(e)).join('\n') + '\n');
    const report = JSON.parse(reportCommand(['--replay', config, plain, '--format', 'json'], NOW));
    expect(report.period).toEqual({ from: '2026-03-03T09:00:00+01:00', to: '2026-03-03T16:01:21+01:00', timeZone: ZONE });
    expect(report.total).toMatchObject({ calls: 5, onTime: 2, late: 1, missed: 2, serviceLevel: 40 });
  });

  it('reports bad events with their file and line, and bad flags, as one line', () => {
    const broken = writeFile(dir, 'broken.jsonl', readFileSync(exported, 'utf8').replace('"desk":"chloe"', '"desk":"zoe"'));
    // Line 1 is the header; chloe goes away in the 7th event (2 bursts, hook off and on before it): line 8.
    expect(() => reportCommand(['--replay', config, broken], NOW)).toThrow(`${broken}:8: unknown desk "zoe"`);
    expect(() => reportCommand(['--replay', config], NOW)).toThrow(`--replay ${config}: which events? thirdring report --replay other.yaml events.jsonl`);
    expect(() => reportCommand(['--db', db, exported], NOW)).toThrow(`unexpected argument "${exported}"`);
  });
});
