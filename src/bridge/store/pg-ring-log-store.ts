import pg from 'pg';
import type { StoredEntry } from './log-payload.js';
import { projectEntry, type CallbackRow, type CallRow, type Projected } from './entry-projection.js';
import { migratePg } from './pg-schema.js';
import type { IngestResult } from './ring-log-store.js';

const INSERT_ENTRIES = `
  INSERT INTO entries (site, stream, seq, t, type, line, desk, body)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::text[])
  ON CONFLICT DO NOTHING
  RETURNING site, stream, seq`;

const STORED_BODIES = `
  SELECT e.site, e.stream, e.seq, e.body FROM entries e
  JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS k(site, stream, seq) USING (site, stream, seq)`;

const INSERT_CALLS = `
  INSERT INTO calls (site, stream, seq, t, line, desk, kind, rings, wait_ms)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::smallint[], $8::bigint[], $9::bigint[])
  ON CONFLICT DO NOTHING`;

// The same merge as the SQLite store's: each column ends the same whatever order the entries arrive in, so two
// recorders (or a redelivery) cannot leave a callback half-updated.
const UPSERT_CALLBACKS = `
  INSERT INTO callbacks AS c (site, line, missed_at, desk, due_at, owed_t, overdue_t, closed_t, closed_by, closed_overdue)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::boolean[])
  ON CONFLICT (site, line, missed_at) DO UPDATE SET
    desk = CASE WHEN excluded.owed_t IS NOT NULL AND (c.owed_t IS NULL OR excluded.owed_t < c.owed_t)
                THEN excluded.desk ELSE coalesce(c.desk, excluded.desk) END,
    due_at = coalesce(c.due_at, excluded.due_at),
    owed_t = least(c.owed_t, excluded.owed_t),
    overdue_t = least(c.overdue_t, excluded.overdue_t),
    closed_by = CASE WHEN excluded.closed_t IS NOT NULL AND (c.closed_t IS NULL OR excluded.closed_t < c.closed_t)
                     THEN excluded.closed_by ELSE c.closed_by END,
    closed_overdue = CASE WHEN excluded.closed_t IS NOT NULL AND (c.closed_t IS NULL OR excluded.closed_t < c.closed_t)
                          THEN excluded.closed_overdue ELSE c.closed_overdue END,
    closed_t = least(c.closed_t, excluded.closed_t)`;

const key = (e: { site: string; stream: string; seq: number | string }) => `${e.site}\0${e.stream}\0${e.seq}`;
const byKey = (a: StoredEntry, b: StoredEntry) => (a.site < b.site ? -1 : a.site > b.site ? 1 : a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq);
// PostgreSQL text cannot hold NUL; such a value can only come from a hand-made payload ("\\u0000").
// eslint-disable-next-line no-control-regex
const HAS_NUL = /\u0000/;
/** Site, stream, line and desk names are keys of btree indexes, whose rows hold at most about 2,700 bytes. */
const NAME_MAX = 500;
/** Half a UTF-16 pair (from a "\\ud800" escape): stored as U+FFFD, so the key would not read back as sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The ring log in PostgreSQL: the same entries and projections as RingLogStore, for several recorders at once.
 * A batch is one transaction. Entries are inserted in key order with ON CONFLICT DO NOTHING: a recorder that
 * meets a key another one is inserting waits for that commit and then skips it, so each entry — and its call or
 * callback row — is written by exactly one of them; taking row locks in one order keeps them from deadlocking.
 */
export class PgRingLogStore {
  private constructor(
    private readonly pool: pg.Pool,
    readonly name: string,
  ) {}

  /** Connects and migrates; `onError` hears of connections PostgreSQL dropped while idle (the pool makes new ones). */
  static async open(url: string, onError: (error: Error) => void = () => {}): Promise<PgRingLogStore> {
    // A server that stops answering (a cut network) fails the batch after query_timeout, to be retried, rather
    // than holding the recorder forever; keepAlive finds a dead connection while idle.
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000, query_timeout: 60_000, keepAlive: true, application_name: 'thirdring record' });
    pool.on('error', onError);
    const store = new PgRingLogStore(pool, redactUrl(url));
    // Its own connection, without the query timeout: a migration of a year's log may take minutes.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'thirdring record (migration)' });
    client.on('error', () => {});
    try {
      await client.connect();
      await migratePg(client, store.name);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
    return store;
  }

  async ingest(batch: readonly StoredEntry[]): Promise<IngestResult> {
    const rejected: { entry: StoredEntry; why: string }[] = [];
    const kept: [StoredEntry, Projected][] = [];
    for (const entry of batch) {
      const projection = projectEntry(entry);
      const why = unstorable(entry, projection);
      if (why) rejected.push({ entry, why });
      else kept.push([entry, projection]);
    }
    kept.sort((a, b) => byKey(a[0], b[0]));
    const entries = kept.map(([entry]) => entry), projected = kept.map(([, projection]) => projection);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // The pool listens for errors only on idle connections: one PostgreSQL drops while it is checked out emits
    // 'error' on the client with nobody listening, which would end the process. The query in flight fails anyway.
    const dropped = (error: Error) => void (broken ??= error);
    client.on('error', dropped);
    try {
      await client.query('BEGIN');
      const inserted = await client.query<{ site: string; stream: string; seq: string }>(INSERT_ENTRIES, [
        entries.map((e) => e.site), entries.map((e) => e.stream), entries.map((e) => e.seq), entries.map((e) => e.t),
        entries.map((e) => e.type), projected.map((p) => clean(p.line)), projected.map((p) => clean(p.desk)), entries.map((e) => e.body),
      ]);
      const fresh = new Set(inserted.rows.map(key));
      const calls: CallRow[] = [];
      const callbacks: CallbackRow[] = [];
      const again: StoredEntry[] = [];
      entries.forEach((entry, i) => {
        if (!fresh.delete(key(entry))) return void again.push(entry);
        const { call, callback } = projected[i]!;
        if (call && Number.isSafeInteger(call.t)) calls.push(call);
        if (callback) callbacks.push(callback);
      });
      await this.insertCalls(client, calls);
      await this.upsertCallbacks(client, callbacks);
      const conflicts = await this.conflicts(client, again);
      await client.query('COMMIT');
      return { inserted: entries.length - again.length, duplicates: again.length, conflicts, rejected };
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // A connection that failed mid-transaction is not reused.
      client.off('error', dropped);
      client.release(broken);
    }
  }

  /** Entries stored (for one site); for tools and tests. */
  async count(site?: string): Promise<number> {
    const { rows } = site === undefined
      ? await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM entries')
      : await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM entries WHERE site = $1', [site]);
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insertCalls(client: pg.PoolClient, calls: CallRow[]): Promise<void> {
    if (calls.length === 0) return;
    await client.query(INSERT_CALLS, [
      calls.map((c) => c.site), calls.map((c) => c.stream), calls.map((c) => c.seq), calls.map((c) => c.t), calls.map((c) => clean(c.line)),
      calls.map((c) => clean(c.desk)), calls.map((c) => c.kind), calls.map((c) => c.rings), calls.map((c) => c.waitMs),
    ]);
  }

  /**
   * One statement cannot update a row twice, so rows of the same callback go in rounds (the first of each, then
   * the second...); each round in key order, like the entries.
   */
  private async upsertCallbacks(client: pg.PoolClient, rows: CallbackRow[]): Promise<void> {
    const rounds: CallbackRow[][] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const k = `${row.site}\0${row.line}\0${row.missedAt}`;
      const round = seen.get(k) ?? 0;
      seen.set(k, round + 1);
      (rounds[round] ??= []).push(row);
    }
    for (const round of rounds) {
      round.sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : a.line < b.line ? -1 : a.line > b.line ? 1 : a.missedAt - b.missedAt));
      await client.query(UPSERT_CALLBACKS, [
        round.map((r) => r.site), round.map((r) => clean(r.line)), round.map((r) => r.missedAt), round.map((r) => clean(r.desk)), round.map((r) => r.dueAt),
        round.map((r) => r.owedT), round.map((r) => r.overdueT), round.map((r) => r.closedT), round.map((r) => clean(r.closedBy)), round.map((r) => r.closedOverdue),
      ]);
    }
  }

  /** Of the entries already stored, those whose stored payload differs (something besides the bridge publishes). */
  private async conflicts(client: pg.PoolClient, again: StoredEntry[]): Promise<StoredEntry[]> {
    if (again.length === 0) return [];
    const { rows } = await client.query<{ site: string; stream: string; seq: string; body: string }>(STORED_BODIES, [
      again.map((e) => e.site), again.map((e) => e.stream), again.map((e) => e.seq),
    ]);
    const stored = new Map(rows.map((r) => [key(r), r.body]));
    return again.filter((e) => stored.get(key(e)) !== e.body);
  }
}

/**
 * Why PostgreSQL cannot keep this entry as sent, or null. Such an entry would fail its whole batch, again at every
 * retry, so it is refused alone: a key with a NUL or half a UTF-16 pair, or a name longer than an index row allows.
 */
function unstorable(entry: StoredEntry, { line, desk }: Projected): string | null {
  if ([entry.site, entry.stream, entry.type].some((s) => HAS_NUL.test(s) || LONE_SURROGATE.test(s))) return 'its site, stream or type holds a NUL or half a UTF-16 pair';
  if ([entry.site, entry.stream, line ?? '', desk ?? ''].some((s) => s.length > NAME_MAX)) return `its site, stream, line or desk is longer than ${NAME_MAX} characters`;
  return null;
}

/** NUL in a line or desk name: the rest of the entry is kept, the name replaced. */
const clean = (value: string | null) => (value !== null && HAS_NUL.test(value) ? value.replaceAll('\u0000', '\uFFFD') : value);

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
