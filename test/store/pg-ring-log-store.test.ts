import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PgRingLogStore } from '../../src/bridge/store/pg-ring-log-store.js';
import { PG_SCHEMA_VERSION } from '../../src/bridge/store/pg-schema.js';
import { parseLogPayload, type StoredEntry } from '../../src/bridge/store/ring-log-store.js';
import { handDayEntries, SITE, ZONE } from '../report/hand-day.js';
import { itWithPostgres, postgresBin, query, startPostgres, type PostgresServer } from './postgres-server.js';

let server: PostgresServer | null = null;
beforeAll(async () => {
  if (postgresBin()) server = await startPostgres();
}, 30_000);
afterAll(async () => server?.close());

function entry(seq: number, fields: Record<string, unknown>, site = 's1', stream = 'a'): StoredEntry {
  const parsed = parseLogPayload(JSON.stringify({ t: 1_795_500_000_000 + seq * 1000, ...fields, site, stream, seq }));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.entry;
}

/** A busy stretch: rings, answers and misses, each miss owing a callback that is later closed, on two sites. */
function busyEntries(count: number): StoredEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = i + 1, site = seq % 2 ? 's1' : 's2';
    const line = `line-${seq % 3}`;
    switch (seq % 5) {
      case 0: return entry(seq, { type: 'answered', line, rings: 2, waitMs: seq % 17 * 1000, onTime: seq % 3 > 0, desk: 'd1' }, site);
      case 1: return entry(seq, { type: 'missed', line, rings: 5, waitMs: 25_000 }, site);
      case 2: return entry(seq, { type: 'callback-owed', line, missedAt: seq - 1, desk: 'd2', dueAt: seq + 1_000_000 }, site);
      case 3: return entry(seq, { type: 'callback-closed', line, missedAt: seq - 2, desk: 'd3', by: 'outgoing', overdue: false }, site);
      default: return entry(seq, { type: 'ring', line, ring: 1 }, site);
    }
  });
}

const shuffle = <T>(items: T[], seed: number) => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe('the ring log in PostgreSQL', () => {
  itWithPostgres([], 'a connection PostgreSQL drops in the middle of a batch fails that batch, not the process; the next batch is stored', async () => {
    const url = await server!.newDatabase('ring_log_dropped');
    const store = await PgRingLogStore.open(url);
    const pg = (await import('pg')).default;
    // Another session holds the table, so the batch waits on it; then the batch's own backend is terminated.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE entries IN ACCESS EXCLUSIVE MODE');
    const batch = store.ingest(busyEntries(10));
    const failed = batch.then(() => null, (error: Error) => error);
    let terminated = 0;
    for (let i = 0; i < 100 && terminated === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const rows = await query<{ ok: boolean }>(url, "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'thirdring record' AND wait_event_type = 'Lock'");
      terminated = rows.filter((r) => r.ok).length;
    }
    expect(terminated).toBe(1);
    expect((await failed)?.message).toMatch(/terminat/i);
    await holder.query('ROLLBACK');
    await holder.end();
    expect(await store.ingest(busyEntries(10))).toMatchObject({ inserted: 10, duplicates: 0 });
    expect(await store.count()).toBe(10);
    await store.close();
  }, 30_000);

  itWithPostgres([], 'migrates an empty database once, even when two recorders start together', async () => {
    const url = await server!.newDatabase();
    const [a, b] = await Promise.all([PgRingLogStore.open(url), PgRingLogStore.open(url)]);
    await Promise.all([a.close(), b.close()]);
    expect(await query(url, 'SELECT version FROM thirdring_schema')).toEqual([{ version: PG_SCHEMA_VERSION }]);
    const views = await query<{ name: string }>(url, `SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`);
    expect(views.map((v) => v.name)).toEqual(['call_log', 'callbacks_overdue', 'calls_by_day', 'missed_calls', 'service_level_by_day']);
    await (await PgRingLogStore.open(url)).close();
    expect(await query(url, 'SELECT count(*)::int AS n FROM thirdring_schema')).toEqual([{ n: 1 }]);
  });

  itWithPostgres([], 'stores each entry once, says which duplicates differ, and drops what PostgreSQL cannot hold', async () => {
    const store = await PgRingLogStore.open(await server!.newDatabase());
    try {
      const first = [entry(1, { type: 'ring', line: 'front', ring: 1 }), entry(2, { type: 'answered', line: 'front', rings: 1, waitMs: 3000, onTime: true })];
      expect(await store.ingest(first)).toMatchObject({ inserted: 2, duplicates: 0, conflicts: [] });
      const forged = entry(2, { type: 'missed', line: 'front', rings: 9, waitMs: 1 });
      const nul = entry(3, { type: 'ring', line: 'front', ring: 1 }, 's1', 'bad\u0000stream');
      const again = await store.ingest([...first, forged, first[0]!, nul]);
      expect(again).toMatchObject({ inserted: 0, duplicates: 4, conflicts: [forged] });
      expect(again.rejected!.map((r) => r.entry)).toEqual([nul]);
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });

  itWithPostgres([], 'entries no column fits do not stop the batch: the entry is kept, the projection row left out', async () => {
    const url = await server!.newDatabase();
    const store = await PgRingLogStore.open(url);
    try {
      const odd = [
        entry(1, { type: 'callback-owed', line: 'front', missedAt: 5, desk: 'd1', dueAt: 9, t: 1.5 }),
        entry(2, { type: 'answered', line: 'front', rings: 2.4, waitMs: 1e300, onTime: true, t: 1e300 }),
        entry(3, { type: 'missed', line: 'fr\u0000ont', rings: 1, waitMs: 3000, desk: 'd\ud800' }),
        entry(4, { type: 'ring', line: 'front', ring: 1 }, '\udc00site'),
        entry(5, { type: 'callback-closed', line: 'front', missedAt: 5, by: 'b\u0000y', overdue: false }),
        entry(6, { type: 'ring', line: 'front', ring: 1 }, 's1', 'x'.repeat(3000)),
        entry(7, { type: 'callback-owed', line: 'l'.repeat(3000), missedAt: 5, desk: 'd1', dueAt: 9 }),
      ];
      const result = await store.ingest(odd);
      expect(result).toMatchObject({ inserted: 4, duplicates: 0, conflicts: [] });
      expect(result.rejected!.map((r) => r.entry.seq)).toEqual([4, 6, 7]);
      expect(await query(url, 'SELECT seq::int, line, desk, rings::int, wait_ms::int FROM calls')).toEqual([{ seq: 3, line: 'fr\uFFFDont', desk: 'd\uFFFD', rings: 1, wait_ms: 3000 }]);
      expect(await query(url, 'SELECT owed_t, closed_by FROM callbacks')).toEqual([{ owed_t: null, closed_by: 'b\uFFFDy' }]);
    } finally {
      await store.close();
    }
  });

  itWithPostgres([], 'two recorders inserting the same entries at once, in other batches and orders: every entry, call and callback once', async () => {
    const url = await server!.newDatabase();
    const all = busyEntries(6000);
    const [a, b] = await Promise.all([PgRingLogStore.open(url), PgRingLogStore.open(url)]);
    try {
      await Promise.all([
        (async () => { for (const batch of chunks(all, 700)) await a.ingest(batch); })(),
        (async () => { for (const batch of chunks(shuffle(all, 7), 450)) await b.ingest(batch); })(),
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const alone = await PgRingLogStore.open(await server!.newDatabase('ring_log_alone'));
    await alone.ingest(all);
    await alone.close();
    const snapshot = async (db: string) => ({
      entries: await query(db, 'SELECT count(*)::int AS n FROM entries'),
      calls: await query(db, 'SELECT site, stream, seq, t, line, desk, kind, rings, wait_ms FROM calls ORDER BY site, stream, seq'),
      callbacks: await query(db, 'SELECT * FROM callbacks ORDER BY site, line, missed_at'),
    });
    const together = await snapshot(url);
    expect(together.entries).toEqual([{ n: 6000 }]);
    expect(together.calls).toHaveLength(2400);
    expect(together).toEqual(await snapshot(url.replace(/\/[^/]+$/, '/ring_log_alone')));
  }, 60_000);

  itWithPostgres([], "the views give the hand-computed day's numbers in the site's zone", async () => {
    const url = await server!.newDatabase();
    const store = await PgRingLogStore.open(url);
    await store.ingest(handDayEntries());
    await store.close();
    await query(url, 'INSERT INTO site_zones (site, time_zone) VALUES ($1, $2)', [SITE, ZONE]);
    const day = await query(url, `SELECT line, calls::int, answered::int, on_time::int, late::int, missed::int, service_level_pct::float8 AS sl, avg_wait_s::float8 AS wait
                                  FROM calls_by_day WHERE site = $1 AND day = '2026-03-02' ORDER BY line`, [SITE]);
    expect(day).toEqual([
      { line: 'back', calls: 5, answered: 3, on_time: 1, late: 2, missed: 2, sl: 20, wait: 10 },
      { line: 'front', calls: 5, answered: 4, on_time: 3, late: 1, missed: 1, sl: 60, wait: 7 },
    ]);
    // The call at 23:50 the day before is 22:50 UTC: in Amsterdam it belongs to 1 March, not 2 March.
    expect(await query(url, `SELECT day::text, calls::int, on_time::int, missed::int, service_level_pct::float8 AS sl FROM service_level_by_day WHERE site = $1 ORDER BY day`, [SITE])).toEqual([
      { day: '2026-03-01', calls: 1, on_time: 0, missed: 1, sl: 0 },
      { day: '2026-03-02', calls: 10, on_time: 4, missed: 3, sl: 40 },
      { day: '2026-03-03', calls: 1, on_time: 1, missed: 0, sl: 100 },
    ]);
    const missed = await query<{ local: string }>(url, `SELECT to_char(local_time, 'HH24:MI:SS') AS local FROM missed_calls WHERE site = $1 AND local_time::date = '2026-03-02' ORDER BY 1`, [SITE]);
    expect(missed.map((m) => m.local)).toEqual(['09:55:30', '11:15:20', '16:30:25']);
    // Long past now: B (due the next day), C (due 17:30) and D are open and overdue; A was closed.
    const overdue = await query<{ line: string; missed: string }>(url, `SELECT line, to_char(missed_local, 'YYYY-MM-DD HH24:MI') AS missed FROM callbacks_overdue ORDER BY missed_at`);
    expect(overdue).toEqual([
      { line: 'front', missed: '2026-03-01 23:50' },
      { line: 'front', missed: '2026-03-02 11:15' },
      { line: 'back', missed: '2026-03-02 16:30' },
    ]);
  });
});
