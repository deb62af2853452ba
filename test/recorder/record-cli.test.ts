import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/bridge/config/load.js';
import { recordSettings, type RecordArgs } from '../../src/bridge/recorder/record-command.js';
import { runThirdring as thirdring } from '../thirdring-process.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from '../mqtt/bridge-harness.js';
import { startTestAedes, tempDir, until } from '../mqtt-helpers.js';
import { publishEntries, publisher, range, storedCount, storedSeqs } from './log-entries.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `thirdring record ...` from source, in its own process. */
function recordProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'record', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => child.exitCode === null && child.signalCode === null && (child.kill('SIGKILL'), exited));
  return { child, output, exited };
}

async function stopWith(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals): Promise<number | null> {
  child.kill(signal);
  return exited;
}

describe('thirdring record', () => {
  it('records a real bridge\'s log; SIGTERM stops it cleanly with the counts', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir(), 'ring-log.sqlite');
    const recorder = recordProcess(['--url', broker.url, '--site', 't', '--db', db]);
    await until('recording', () => recorder.output.stderr.includes('recording thirdring/t/log'), 15_000);
    expect(recorder.output.stdout).toContain(`thirdring record: ${broker.url}, topic thirdring/t/log → ${db} (client id thirdring-recorder-t-`);

    const { bridge, mqtt } = await startMqttBridge(officeYaml(`{ url: "${broker.url}" }`), tempDir());
    cleanups.push(() => bridge.stop());
    oneAnsweredCall(bridge);
    const stream = mqtt.outbox!.stream;
    await until('the call recorded', () => storedSeqs(db, 't', stream).length >= 4);

    expect(await stopWith(recorder.child, recorder.exited, 'SIGTERM')).toBe(0);
    const seqs = storedSeqs(db, 't', stream);
    expect(seqs).toEqual(range(1, seqs.length));
    expect(recorder.output.stdout).toMatch(new RegExp(`thirdring record: stopped; received ${seqs.length}, stored ${seqs.length}, duplicates 0, malformed 0\\n$`));
  }, 30_000);

  it('killed mid-stream (SIGKILL) and started again: every entry stored exactly once', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const db = join(tempDir(), 'ring-log.sqlite');
    const args = ['--url', broker.url, '--db', db, '--client-id', 'crash-test'];
    const first = recordProcess(args);
    await until('recording', () => first.output.stderr.includes('recording thirdring/+/log'), 15_000);
    const pub = await publisher(broker.url);
    cleanups.push(() => pub.endAsync(true));
    const publishing = publishEntries(pub, range(1, 3000));
    await until('some stored', () => storedCount(db) >= 500, 15_000);
    await stopWith(first.child, first.exited, 'SIGKILL');
    await publishing;

    const second = recordProcess(args);
    await until('every entry stored', () => storedCount(db) === 3000, 15_000);
    expect(await stopWith(second.child, second.exited, 'SIGINT')).toBe(0);
    expect(storedSeqs(db)).toEqual(range(1, 3000));
  }, 40_000);

  it('takes broker, site and database from a bridge config', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const dir = tempDir();
    writeFileSync(join(dir, 'office.yaml'), officeYaml(`{ url: "${broker.url}" }`) + 'dataDir: data\nrecorder: { database: log/ring.sqlite }\n');
    const recorder = recordProcess(['--config', join(dir, 'office.yaml')]);
    await until('recording', () => recorder.output.stderr.includes(`recording thirdring/t/log from ${broker.url}`), 15_000);
    const pub = await publisher(broker.url);
    cleanups.push(() => pub.endAsync(true));
    await publishEntries(pub, range(1, 3));
    await until('stored', () => { try { return storedCount(join(dir, 'data', 'log', 'ring.sqlite')) === 3; } catch { return false; } });
    expect(await stopWith(recorder.child, recorder.exited, 'SIGTERM')).toBe(0);
  }, 30_000);

  it('bad usage exits 2 with one message', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--url', 'http://example.org'], /--url: expected mqtt:\/\/host:port/],
      [['--db', tempDir()], /cannot open the ring log database/],
    ];
    for (const [args, message] of cases) {
      const result = thirdring(['record', ...args]);
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.stderr).toMatch(message);
    }
    const help = thirdring(['record', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: thirdring record');
  }, 60_000);

  it('checks its flags: one broker, a valid site, a password only with a user name', () => {
    const bad: [RecordArgs, RegExp][] = [
      [{ url: 'mqtt://127.0.0.1:1' }, /either --url or --config/],
      [{ site: 'Branch_1' }, /--site: expected \[a-z0-9-\]\+/],
      [{ password: 'secret' }, /--password needs --username/],
      [{ clientId: '' }, /--client-id: expected a non-empty id/],
    ];
    const config = parseConfig(officeYaml('{ url: embedded, port: 1999, username: admin, password: admin-secret }'));
    for (const [args, message] of bad) expect(() => recordSettings(args, args.url ? config : null)).toThrow(message);
    expect(recordSettings({}, null, { XDG_STATE_HOME: '/s' })).toEqual({ url: 'mqtt://127.0.0.1:1883', database: '/s/thirdring/ring-log.sqlite', databaseFrom: 'default', connect: {} });
    expect(recordSettings({ site: 'branch-01', username: 'u', password: 'p' }, null)).toMatchObject({ site: 'branch-01', connect: { username: 'u', password: 'p' } });
    expect(recordSettings({}, { ...config, dataDir: '/srv/thirdring' })).toMatchObject({
      url: 'mqtt://127.0.0.1:1999',
      site: 't',
      database: '/srv/thirdring/ring-log.sqlite',
      connect: { username: 'admin', password: 'admin-secret' },
    });
  });
});
