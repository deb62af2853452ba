// Issue #19: `thirdring record --db postgres://…` through a real mosquitto into a real PostgreSQL: two recorders
// at once (active/active, each with its own client id), one killed with SIGKILL mid-stream, PostgreSQL restarted
// mid-stream, entries sent again — every (site, stream, seq) stored exactly once, every call projected once.
import type { MqttClient } from 'mqtt';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { freePort, sleep, tempDir, until } from '../mqtt-helpers.js';
import { itWithPostgres, query, startPostgres } from '../store/postgres-server.js';
import { startThirdring, type RunningThirdring } from '../thirdring-process.js';
import { publisher, range } from './log-entries.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SITES = ['branch-a', 'branch-b'];
const STREAM = 'outbox-1';

/** Odd seqs answer a call (a row in calls), even seqs are rings. */
function payload(site: string, seq: number): string {
  const t = 1_795_500_000_000 + seq * 1000;
  const ts = new Date(t).toISOString();
  return seq % 2
    ? JSON.stringify({ t, type: 'answered', line: 'front', rings: 2, waitMs: 5000, onTime: true, desk: 'd1', ts, site, stream: STREAM, seq })
    : JSON.stringify({ t, type: 'ring', line: 'front', ring: 1, ts, site, stream: STREAM, seq });
}

async function publish(client: MqttClient, seqs: number[]): Promise<void> {
  for (const site of SITES) {
    await Promise.all(seqs.map((seq) => client.publishAsync(`thirdring/${site}/log`, payload(site, seq), { qos: 1 })));
  }
}

/**
 * mosquitto as docs/mosquitto.md sets it up for a recorder: persistence, and max_queued_messages 100000. With the
 * default 1000 a recorder kept waiting by PostgreSQL, or dead, loses what overflows its queue — and when both
 * have been away, nobody has it.
 */
async function startMosquitto(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = tempDir('thirdring-pg-mosquitto-');
  chmodSync(dir, 0o777);
  const port = await freePort();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\nmax_queued_messages 100000\nlog_dest none\n`);
  const child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const answers = () => new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  const deadline = Date.now() + 5000;
  while (!(await answers())) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}`);
    await sleep(20);
  }
  return { url: `mqtt://127.0.0.1:${port}`, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

function recorder(url: string, db: string, clientId: string): RunningThirdring {
  const process = startThirdring(['record', '--url', url, '--db', db, '--client-id', clientId]);
  cleanups.push(() => process.stop('SIGKILL'));
  return process;
}

describe('thirdring record into PostgreSQL', () => {
  itWithPostgres(['mosquitto'], 'two recorders, one killed, PostgreSQL restarted, entries sent again: each stored exactly once', async () => {
    const pg = await startPostgres();
    cleanups.push(() => pg.close());
    const db = await pg.newDatabase();
    const broker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const pub = await publisher(broker.url);
    cleanups.push(() => pub.endAsync(true));
    const stored = async () => Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM entries'))[0]!.n);
    const storedReaches = async (what: string, count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while ((await stored()) < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${await stored()} of ${count} stored`);
        await sleep(100);
      }
    };

    let a = recorder(broker.url, db, 'recorder-a');
    const b = recorder(broker.url, db, 'recorder-b');
    await until('both recording', () => [a, b].every((r) => r.output.stderr.includes('recording thirdring/+/log')), 20_000);
    // The start line names the database without a password, and says where it records.
    expect(b.output.stdout).toContain(`→ ${db} (client id recorder-b`);

    await publish(pub, range(1, 400));
    // A dies mid-stream, without a chance to finish anything: its unacknowledged entries stay at the broker.
    const firstPart = publish(pub, range(401, 800));
    await storedReaches('some of the second part', 2 * 450, 15_000);
    await a.stop('SIGKILL');
    await firstPart;

    // PostgreSQL goes away mid-stream: B says so, acknowledges nothing, and stores everything once it is back.
    const secondPart = publish(pub, range(801, 1000));
    await sleep(100);
    await pg.stop();
    await publish(pub, range(1001, 1200));
    await until('B says it cannot store', () => b.output.stderr.includes('thirdring record: cannot store entries:'), 15_000);
    await sleep(2500);
    await pg.start();
    await secondPart;

    // A comes back with its session: the broker hands it what it missed (B stored those already).
    a = recorder(broker.url, db, 'recorder-a');
    await until('A recording again', () => a.output.stderr.includes('recording thirdring/+/log'), 20_000);
    // The bridge's outbox sends some again (a PUBACK it never got).
    await publish(pub, [...range(100, 300), ...range(1201, 1500)]);

    await storedReaches('every entry', 2 * 1500, 60_000);
    await until('B says storing works again', () => b.output.stderr.includes('thirdring record: storing entries again'), 10_000);
    for (const site of SITES) {
      const seqs = await query<{ seq: string }>(db, 'SELECT seq FROM entries WHERE site = $1 AND stream = $2 ORDER BY seq', [site, STREAM]);
      expect(seqs.map((row) => Number(row.seq))).toEqual(range(1, 1500));
      const calls = await query<{ n: string }>(db, 'SELECT count(*) AS n FROM calls WHERE site = $1', [site]);
      expect(Number(calls[0]!.n)).toBe(750);
    }
    // Both stop cleanly (SIGTERM) and count what they did.
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    expect(b.output.stdout).toMatch(/thirdring record: stopped; received \d+, stored \d+, duplicates \d+, malformed 0/);
  }, 120_000);

  itWithPostgres([], 'says clearly when PostgreSQL cannot be reached at start, and exits', async () => {
    const run = startThirdring(['record', '--url', 'mqtt://127.0.0.1:1', '--db', 'postgres://someone:secret@127.0.0.1:1/ring_log']);
    cleanups.push(() => run.stop('SIGKILL'));
    expect(await run.exited).toBe(2);
    expect(run.output.stderr).toContain('postgres://someone:***@127.0.0.1:1/ring_log: cannot open the ring log database (');
    expect(run.output.stderr).not.toContain('secret');
  }, 30_000);
});
