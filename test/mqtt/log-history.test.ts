// Issue #14 item 7: thirdring log refuses a --type it does not know, and --since shows the past from a recorder's
// database (then goes on live), or says plainly that it only filters live entries.
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogEntry, LOG_TYPES, type LogEntry } from '../../src/bridge/log-tail.js';
import { ENTRY_TIME_SLACK_MS, RingLogReader } from '../../src/bridge/store/ring-log-reader.js';
import { parseLogPayload, RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { freePort, sleep, startTestAedes, tempDir, until } from '../mqtt-helpers.js';
import { publisher } from '../recorder/log-entries.js';
import { runThirdring, startThirdring } from '../thirdring-process.js';
import { officeYaml } from './bridge-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MINUTE = 60_000;

/** A log entry as the bridge publishes it, `ago` ms before now. */
function entry(seq: number, ago: number, fields: Record<string, unknown> = {}, site = 't', stream = 'stream-a'): LogEntry {
  const t = Date.now() - ago;
  return { t, type: 'answered', line: 'front', rings: 1, waitMs: 2500, onTime: true, desk: 'anna', ...fields, ts: new Date(t).toISOString(), site, stream, seq };
}

function ringLog(path: string, entries: LogEntry[]): void {
  const store = new RingLogStore(path);
  store.ingest(entries.map((e) => {
    const parsed = parseLogPayload(JSON.stringify(e));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  }));
  store.close();
}

const readable = (e: LogEntry) => formatLogEntry(e, 'UTC');
const stdoutLines = (text: string) => text.split('\n').filter(Boolean);

describe('thirdring log --type', () => {
  it('a type it does not know: exit 2 with the types it knows', () => {
    for (const [types, what] of [['bogus', 'unknown type "bogus"'], ['answered,missd,ringg', 'unknown types "missd", "ringg"'], [',', 'expected one or more types']]) {
      const result = runThirdring(['log', '--url', 'mqtt://127.0.0.1:1', '--type', types!]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`thirdring log: --type: ${what}; the types are ${LOG_TYPES.join(', ')}\n`);
    }
    // The list is the one the formatter knows, and the help shows it.
    expect(LOG_TYPES).toEqual(expect.arrayContaining(['ring', 'answered', 'missed', 'callback-overdue', 'device', 'fault', 'desk-action', 'input']));
    const help = runThirdring(['log', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`Types: ${LOG_TYPES.join(', ')}.`);
  });
});

describe('the ring log from a time on (RingLogReader.entriesFrom)', () => {
  it('finds what a scan of every entry finds, for every site and stream, with gaps in the seqs and a clock set back a little', () => {
    const path = join(tempDir('thirdring-history-'), 'ring-log.sqlite');
    const base = Date.parse('2026-11-24T08:00:00Z');
    const at = (minutes: number) => base + minutes * MINUTE;
    const entries: LogEntry[] = [];
    const add = (site: string, stream: string, seq: number, t: number) => entries.push({ ...entry(seq, 0, {}, site, stream), t, ts: new Date(t).toISOString() });
    for (let seq = 1; seq <= 300; seq++) add('a', 'one', seq, at(seq));
    // Seqs with gaps (entries a full outbox dropped), and a clock set back 5 minutes at seq 120.
    for (let seq = 100; seq <= 200; seq += 3) add('a', 'two', seq, at(seq >= 120 ? seq - 5 : seq));
    // From before streams existed.
    for (let seq = 1; seq <= 40; seq++) add('a', '', seq, at(seq * 2));
    for (let seq = 1; seq <= 100; seq++) add('b', 'three', seq, at(seq * 3));
    ringLog(path, entries);

    const reader = new RingLogReader(path);
    const db = new Database(path, { readonly: true });
    try {
      const scan = db.prepare('SELECT site, stream, seq, t FROM entries WHERE t >= ? AND (? IS NULL OR site = ?) ORDER BY t, site, stream, seq');
      const keys = (rows: { site: string; stream: string; seq: number; t: number }[]) => rows.map(({ site, stream, seq, t }) => `${site}/${stream}/${seq}@${t}`);
      for (const minutes of [-10, 0, 1, 50, 99, 100, 117, 118, 119, 120, 150, 199, 250, 300, 301, 1000]) {
        for (const site of [undefined, 'a', 'b', 'nowhere']) {
          const found = keys([...reader.entriesFrom(at(minutes), site)]);
          expect({ minutes, site, found }).toEqual({ minutes, site, found: keys(scan.all(at(minutes), site ?? null, site ?? null) as never) });
        }
      }
      expect(ENTRY_TIME_SLACK_MS).toBeGreaterThanOrEqual(5 * MINUTE);
    } finally {
      db.close();
      reader.close();
    }
  });
});

describe('thirdring log --since', () => {
  it('shows the past from --db first, in time order and filtered, then goes on live; an entry in both is shown once', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir('thirdring-history-'), 'ring-log.sqlite');
    const old = entry(1, 120 * MINUTE);
    const history = [entry(2, 30 * MINUTE, { type: 'ring', ring: 1 }), entry(4, 20 * MINUTE), entry(5, 10 * MINUTE, { type: 'missed', rings: 4, waitMs: 16_000 })];
    const input = entry(3, 25 * MINUTE, { type: 'input', event: { type: 'ring', line: 'front', state: 'on' } });
    const otherSite = entry(1, 5 * MINUTE, {}, 'u', 'stream-u');
    ringLog(db, [old, ...history, input, otherSite]);

    const tail = startThirdring(['log', '--url', broker.url, '--site', 't', '--since', '1h', '--db', db, '--tz', 'UTC']);
    cleanups.push(() => tail.stop('SIGKILL'));
    await until('the past shown', () => stdoutLines(tail.output.stdout).length >= history.length, 15_000);
    expect(tail.output.stderr).toMatch(new RegExp(`^thirdring log: the ring log since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d from ${db}, then live\\n$`));

    // Live: entries until the tail has subscribed and shows them, then one it showed from the database (the
    // recorder stored it, and the bridge's outbox sends it again), then a new one.
    const pub = await publisher(broker.url);
    cleanups.push(() => pub.endAsync(true));
    const publish = (e: LogEntry) => pub.publishAsync('thirdring/t/log', JSON.stringify(e), { qos: 1 });
    for (let seq = 101; stdoutLines(tail.output.stdout).length === history.length; seq++) {
      if (seq > 200) throw new Error('the tail shows no live entries');
      await publish(entry(seq, 0));
      await sleep(100);
    }
    await publish(history[2]!);
    const last = entry(1000, 0, { type: 'ended', durationMs: 60_000 });
    await publish(last);
    await until('the last live entry', () => tail.output.stdout.includes(readable(last)), 10_000);

    const lines = stdoutLines(tail.output.stdout);
    expect(lines.slice(0, history.length)).toEqual(history.map(readable));
    expect(lines.slice(history.length).every((line) => line === readable(last) || / t {2}front {2}answered at anna after 1 ring/.test(line))).toBe(true);
    expect(lines.filter((line) => line === readable(history[2]!))).toHaveLength(1);
    expect(await tail.stop()).toBe(0);
  }, 40_000);

  it('shows the past while the broker cannot be reached, and on subscribing what was recorded meanwhile', async () => {
    const port = await freePort();
    const db = join(tempDir('thirdring-history-'), 'ring-log.sqlite');
    const first = entry(1, 10 * MINUTE);
    ringLog(db, [first]);
    const tail = startThirdring(['log', '--url', `mqtt://127.0.0.1:${port}`, '--since', '15m', '--db', db, '--tz', 'UTC', '--json']);
    cleanups.push(() => tail.stop('SIGKILL'));
    await until('the past shown', () => tail.output.stdout.includes('\n'), 15_000);
    expect(JSON.parse(tail.output.stdout)).toEqual(first);

    // A recorder stores more while this tail waits for the broker; then the broker is back.
    const meanwhile = [entry(2, 2 * MINUTE, { type: 'missed', rings: 4, waitMs: 16_000 }), entry(1, MINUTE, {}, 'v', 'stream-v')];
    ringLog(db, meanwhile);
    const broker = await startTestAedes(port);
    cleanups.push(() => broker.stop());
    await until('what was recorded meanwhile', () => stdoutLines(tail.output.stdout).length === 3, 15_000);
    expect(stdoutLines(tail.output.stdout).map((line) => JSON.parse(line))).toEqual([first, ...meanwhile]);
    expect(await tail.stop()).toBe(0);
  }, 40_000);

  it('with --config: the bridge\'s ring log, <dataDir>/<recorder.database>; said when there is none yet', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const dir = tempDir('thirdring-history-');
    const config = join(dir, 'office.yaml');
    writeFileSync(config, `${officeYaml(`{ url: "${broker.url}" }`)}dataDir: data\nrecorder: { enabled: true, database: log.sqlite }\n`);
    const database = join(dir, 'data', 'log.sqlite');

    const before = startThirdring(['log', '--config', config, '--since', '1h']);
    cleanups.push(() => before.stop('SIGKILL'));
    await until('said', () => before.output.stderr.includes('\n'), 15_000);
    expect(before.output.stderr).toBe(`thirdring log: --since filters live entries only: the bridge has recorded nothing into ${database} yet\n`);
    expect(await before.stop()).toBe(0);

    mkdirSync(join(dir, 'data'));
    const recorded = entry(7, 5 * MINUTE);
    ringLog(database, [recorded]);
    const tail = startThirdring(['log', '--config', config, '--since', '1h', '--tz', 'UTC']);
    cleanups.push(() => tail.stop('SIGKILL'));
    await until('the past shown', () => tail.output.stdout.includes('\n'), 15_000);
    expect(tail.output.stdout).toBe(`${readable(recorded)}\n`);
    expect(tail.output.stderr).toContain(`from ${database}, then live`);
    expect(await tail.stop()).toBe(0);
  }, 40_000);

  it('without --db or --config: the database thirdring record keeps by default, for the site or every site; without one, says --since filters live entries only', async () => {
    const state = tempDir('thirdring-state-');
    const env = { XDG_STATE_HOME: state };
    const none = startThirdring(['log', '--url', 'mqtt://127.0.0.1:1', '--since', '2h'], { env });
    cleanups.push(() => none.stop('SIGKILL'));
    await until('said', () => none.output.stderr.includes('--since'), 15_000);
    expect(none.output.stderr.split('\n')[0]).toBe(
      `thirdring log: --since filters live entries only: no ring log database here to read the past from (give --db, or --config of a bridge that records; thirdring record keeps one in ${join(state, 'thirdring', 'ring-log.sqlite')})`,
    );
    expect(await none.stop()).toBe(0);

    const everySite = join(state, 'thirdring', 'ring-log.sqlite'), oneSite = join(state, 'thirdring', 't', 'ring-log.sqlite');
    ringLog(everySite, [entry(1, MINUTE, {}, 'u', 'stream-u')]);
    ringLog(oneSite, [entry(1, MINUTE)]);
    for (const [args, path, site] of [[['--site', 't'], oneSite, 't'], [[], everySite, 'u']] as const) {
      const tail = startThirdring(['log', '--url', 'mqtt://127.0.0.1:1', '--since', '2h', ...args], { env });
      cleanups.push(() => tail.stop('SIGKILL'));
      await until('the past shown', () => tail.output.stdout.includes('\n'), 15_000);
      expect(tail.output.stdout).toContain(`  ${site}  front  answered`);
      expect(tail.output.stderr).toContain(`from ${path}, then live`);
      expect(await tail.stop()).toBe(0);
    }
  }, 40_000);

  it('stopped while it connects: exits at once (mqtt.js, ended before CONNACK, kept the socket open)', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir('thirdring-history-'), 'ring-log.sqlite');
    ringLog(db, [entry(1, MINUTE)]);
    const tail = startThirdring(['log', '--url', broker.url, '--since', '1h', '--db', db]);
    cleanups.push(() => tail.stop('SIGKILL'));
    await until('started', () => tail.output.stdout.includes('\n'), 15_000);
    expect(await Promise.race([tail.stop(), sleep(5000).then(() => 'still running 5 s after SIGTERM')])).toBe(0);
  }, 30_000);

  it('--db that is not there, or without --since: exit 2', () => {
    const missing = join(tempDir('thirdring-history-'), 'nothing.sqlite');
    const result = runThirdring(['log', '--url', 'mqtt://127.0.0.1:1', '--since', '1h', '--db', missing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`thirdring log: --db ${missing}: no ring log database there (the recorder creates it: thirdring record, or recorder.enabled in the config)\n`);
    const noSince = runThirdring(['log', '--url', 'mqtt://127.0.0.1:1', '--db', missing]);
    expect(noSince.status).toBe(2);
    expect(noSince.stderr).toBe('thirdring log: --db: the ring log is read from --since on; give --since too\n');
  });
});
