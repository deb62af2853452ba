import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { LogEntry } from '../../src/bridge/log-tail.js';
import { parseLogPayload, RingLogStore } from '../../src/bridge/store/ring-log-store.js';
import { startTestAedes, tempDir, until } from '../mqtt-helpers.js';
import { startThirdring } from '../thirdring-process.js';
import { officeYaml } from './bridge-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('thirdring log --config shows a callback\'s times in the office\'s zone (the config\'s timezone), not the machine\'s', async () => {
  const broker = await startTestAedes();
  cleanups.push(() => broker.stop());
  const dir = tempDir('thirdring-log-zone-');
  const config = join(dir, 'office.yaml');
  writeFileSync(config, `timezone: Asia/Tokyo\n${officeYaml(`{ url: "${broker.url}" }`)}dataDir: data\nrecorder: { enabled: true, database: log.sqlite }\n`);
  mkdirSync(join(dir, 'data'));
  // Missed five minutes ago; due 2026-11-25 09:20 UTC, 18:20 in Tokyo (UTC+9, no summer time).
  const t = Date.now() - 5 * 60_000;
  const owed: LogEntry = {
    t, type: 'callback-owed', line: 'front', missedAt: t, desk: 'anna', dueAt: Date.parse('2026-11-25T09:20:00Z'),
    ts: new Date(t).toISOString(), site: 't', stream: 'stream-a', seq: 1,
  };
  const store = new RingLogStore(join(dir, 'data', 'log.sqlite'));
  const parsed = parseLogPayload(JSON.stringify(owed));
  if (!parsed.ok) throw new Error(parsed.error);
  store.ingest([parsed.entry]);
  store.close();

  const tail = startThirdring(['log', '--config', config, '--since', '1h'], { env: { TZ: 'America/New_York' } });
  cleanups.push(() => tail.stop('SIGKILL'));
  await until('the past shown', () => tail.output.stdout.includes('\n'), 15_000);
  const tokyo = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(t));
  expect(tail.output.stdout).toBe(`${tokyo}  t  front  callback owed by anna, due 2026-11-25 18:20\n`);
  expect(await tail.stop()).toBe(0);
}, 40_000);
