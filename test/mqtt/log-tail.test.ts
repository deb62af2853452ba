import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/bridge/config/load.js';
import { formatLogEntry, logConnection, logTimeZone, matchesFilter, parseSince, type LogEntry } from '../../src/bridge/log-tail.js';
import { sleep, tempDir, until } from '../mqtt-helpers.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from './bridge-harness.js';

const ring: LogEntry = { t: 1, type: 'ring', line: 'front', ring: 2, ts: '2026-11-24T09:15:02.120Z', site: 'branch-01', seq: 7 };
const missed: LogEntry = { t: 2, type: 'missed', line: 'back', rings: 4, waitMs: 16000, ts: '2026-11-24T09:20:00.000Z', site: 'branch-01', seq: 8 };
const offline: LogEntry = { type: 'device', family: 'ring-sensor', device: '/dev/ttyACM0', state: 'offline', reason: 'no heartbeat for 3 s', lines: ['front'], ts: '2026-11-24T09:21:00.000Z', site: 'branch-02', seq: 9 };

describe('thirdring log', () => {
  it('formats entries for people', () => {
    expect(formatLogEntry(ring)).toBe('2026-11-24 09:15:02  branch-01  front  ring 2');
    expect(formatLogEntry(missed)).toBe('2026-11-24 09:20:00  branch-01  back  MISSED after 4 rings (16.0 s)');
    expect(formatLogEntry(offline)).toBe('2026-11-24 09:21:00  branch-02  ring-sensor /dev/ttyACM0: OFFLINE — no heartbeat for 3 s; calls on front were ringing');
  });

  it('shows times, a callback\'s due and missed times too, in the office\'s time zone', () => {
    // Amsterdam in November: UTC+1. A call missed on Tuesday at 10:20 (09:20Z) is due on Wednesday at 10:20.
    const missedAt = Date.parse('2026-11-24T09:20:00Z'), dueAt = Date.parse('2026-11-25T09:20:00Z');
    const owed: LogEntry = { t: missedAt, type: 'callback-owed', line: 'back', missedAt, desk: 'anna', dueAt, ts: '2026-11-24T09:20:00.000Z', site: 'branch-01', seq: 10 };
    const overdue: LogEntry = { t: dueAt, type: 'callback-overdue', line: 'back', missedAt, desk: 'anna', ts: '2026-11-25T09:20:00.000Z', site: 'branch-01', seq: 11 };
    const closed: LogEntry = { t: dueAt + 60_000, type: 'callback-closed', line: 'back', missedAt, desk: 'anna', by: 'ack', overdue: true, ts: '2026-11-25T09:21:00.000Z', site: 'branch-01', seq: 12 };
    const amsterdam = 'Europe/Amsterdam';
    expect(formatLogEntry(owed, amsterdam)).toBe('2026-11-24 10:20:00  branch-01  back  callback owed by anna, due 2026-11-25 10:20');
    expect(formatLogEntry(overdue, amsterdam)).toBe('2026-11-25 10:20:00  branch-01  back  callback OVERDUE at anna (missed 2026-11-24 10:20)');
    expect(formatLogEntry(closed, amsterdam)).toBe('2026-11-25 10:21:00  branch-01  back  callback for 2026-11-24 10:20 done at anna (ack, was overdue)');
    expect(formatLogEntry(ring, amsterdam)).toBe('2026-11-24 10:15:02  branch-01  front  ring 2');
    // New York on the same day: UTC-5, the day before in the small hours.
    expect(formatLogEntry({ ...owed, ts: '2026-11-24T03:00:00.000Z', dueAt: Date.parse('2026-11-25T03:00:00Z') }, 'America/New_York'))
      .toBe('2026-11-23 22:00:00  branch-01  back  callback owed by anna, due 2026-11-24 22:00');
    // UTC says so on the callback times.
    expect(formatLogEntry(owed)).toBe('2026-11-24 09:20:00  branch-01  back  callback owed by anna, due 2026-11-25 09:20Z');

    // The zone: --tz, else the config's, else this machine's.
    const config = parseConfig(`timezone: Asia/Tokyo\n${officeYaml('{ port: 0 }')}`);
    expect(logTimeZone('Europe/Amsterdam', config)).toBe('Europe/Amsterdam');
    expect(logTimeZone(undefined, config)).toBe('Asia/Tokyo');
    expect(logTimeZone(undefined, null)).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => logTimeZone('Mars/Olympus', null)).toThrow(/^--tz: unknown time zone "Mars\/Olympus"/);
  });

  it('filters by site, line, type and time', () => {
    const all = [ring, missed, offline];
    const pick = (filter: Parameters<typeof matchesFilter>[1]) => all.filter((e) => matchesFilter(e, filter)).map((e) => e.seq);
    expect(pick({ site: 'branch-01' })).toEqual([7, 8]);
    expect(pick({ lines: ['back'] })).toEqual([8]);
    expect(pick({ types: ['missed', 'device'] })).toEqual([8, 9]);
    expect(pick({ since: Date.parse('2026-11-24T09:16:00Z') })).toEqual([8, 9]);
    expect(parseSince('15m', 1_000_000_000)).toBe(1_000_000_000 - 900_000);
    expect(() => parseSince('yesterday')).toThrow(/--since/);
  });

  it('hides input entries unless asked for (--type input), and says them readably', () => {
    const ring: LogEntry = { type: 'input', ts: '2026-11-24T09:15:00.000Z', site: 'b', seq: 1, event: { type: 'ring', line: 'front', state: 'on' } };
    const hook: LogEntry = { type: 'input', ts: '2026-11-24T09:15:04.000Z', site: 'b', seq: 2, event: { type: 'hook', desk: 'anna', line: 'front', state: 'off' } };
    const cover: LogEntry = { type: 'input', ts: '2026-11-24T09:15:05.000Z', site: 'b', seq: 3, event: { type: 'takeover', desk: 'chloe', from: 'anna', state: 'on' } };
    const decision: LogEntry = { type: 'ring', ts: '2026-11-24T09:15:00.000Z', site: 'b', seq: 4, line: 'front', ring: 1 };
    const all = [ring, hook, cover, decision];
    expect(all.filter((e) => matchesFilter(e, {})).map((e) => e.seq)).toEqual([4]);
    expect(all.filter((e) => matchesFilter(e, { types: ['input'] })).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all.filter((e) => matchesFilter(e, { types: ['input'], lines: ['front'] })).map((e) => e.seq)).toEqual([1, 2]);
    expect([ring, hook, cover].map((e) => formatLogEntry(e))).toEqual([
      '2026-11-24 09:15:00  b  front  input ring on',
      '2026-11-24 09:15:04  b  anna  input hook off front',
      '2026-11-24 09:15:05  b  chloe  input takeover on from anna',
    ]);
  });

  it('reaches the broker the way the bridge does: the embedded broker on its host, the config\'s credentials; flags override', () => {
    const embedded = parseConfig(officeYaml('{ host: "::1", port: 1884, username: admin, password: s3cret }'));
    expect(logConnection({}, embedded)).toEqual({ url: 'mqtt://[::1]:1884', options: { username: 'admin', password: 's3cret', rejectUnauthorized: true } });
    expect(logConnection({}, parseConfig(officeYaml('{ host: 10.0.0.5, port: 1885, username: admin, password: s3cret }'))).url).toBe('mqtt://10.0.0.5:1885');
    expect(logConnection({}, parseConfig(officeYaml('{ host: 0.0.0.0, username: admin, password: s3cret }'))).url).toBe('mqtt://127.0.0.1:1883');
    const external = parseConfig(officeYaml('{ url: "mqtts://broker.example:8883", rejectUnauthorized: false }'));
    expect(logConnection({}, external)).toEqual({ url: 'mqtts://broker.example:8883', options: { rejectUnauthorized: false } });
    expect(logConnection({ url: 'mqtt://other:1883', username: 'facilities', password: 'pw' }, embedded)).toEqual({
      url: 'mqtt://other:1883',
      options: { username: 'facilities', password: 'pw', rejectUnauthorized: true },
    });
    expect(logConnection({}, null)).toEqual({ url: 'mqtt://127.0.0.1:1883', options: {} });
    expect(() => logConnection({}, parseConfig(officeYaml('{ url: "mqtts://broker.example:8883", ca: /nonexistent/ca.crt }')))).toThrow(/^mqtt: ENOENT.*ca\.crt/);
  });

  it('tails a live bridge from a separate process', async () => {
    const { bridge, mqtt } = await startMqttBridge(officeYaml('{ port: 0, wsPort: false }'), tempDir());
    const tail = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'log', '--url', mqtt.broker!.url, '--site', 't', '--type', 'answered,ended'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    createInterface({ input: tail.stdout }).on('line', (l) => lines.push(l));
    try {
      // Calls until the tail has subscribed and shows them (it starts in its own time).
      await until('tail shows an answered call', () => {
        oneAnsweredCall(bridge);
        return lines.find((l) => / t {2}front {2}answered after 1 ring/.test(l));
      }, 15_000);
      await sleep(200);
      expect(lines.every((l) => /front {2}(answered|hung up)/.test(l))).toBe(true);
    } finally {
      tail.kill('SIGTERM');
      await new Promise((resolve) => tail.once('exit', resolve));
      await bridge.stop();
    }
    expect(tail.exitCode).toBe(0);
  }, 20_000);
});
