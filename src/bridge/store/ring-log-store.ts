import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredEntry } from './log-payload.js';
import { parseBody, text } from './entry-projection.js';
import { CALL_KIND, migrate } from './ring-log-schema.js';

export { parseLogPayload, type ParsedEntry, type StoredEntry } from './log-payload.js';

type Fields = Record<string, unknown>;

export interface IngestResult {
  inserted: number;
  duplicates: number;
  /** Duplicates with other content than the entry stored under their (site, stream, seq). */
  conflicts: StoredEntry[];
  /** Entries this store cannot keep (PostgreSQL: a NUL in a key); the recorder counts them as malformed. */
  rejected?: { entry: StoredEntry; why: string }[];
}

/** Stream ids remembered at most: streams are named by whoever publishes, so the cache must not grow with them. */
const STREAM_CACHE_MAX = 4096;
type CallRow = [site: string, t: number, streamId: number, seq: number, line: string, desk: string | null, kind: number, rings: number | null, waitMs: number | null];
type CallbackRow = [site: string, line: string, missedAt: number, desk: string | null, dueAt: number | null, owedT: number | null, overdueT: number | null, closedT: number | null, closedBy: string | null, closedOverdue: number | null];

// Each column ends in the same state whatever order the entries arrive in: times keep the earliest, the desk
// named by callback-owed wins, and the close fields come from the earliest close.
const UPSERT_CALLBACK = `
  INSERT INTO callbacks (site, line, missed_at, desk, due_at, owed_t, overdue_t, closed_t, closed_by, closed_overdue)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (site, line, missed_at) DO UPDATE SET
    desk = CASE WHEN excluded.owed_t IS NOT NULL AND (callbacks.owed_t IS NULL OR excluded.owed_t < callbacks.owed_t)
                THEN excluded.desk ELSE coalesce(callbacks.desk, excluded.desk) END,
    due_at = coalesce(callbacks.due_at, excluded.due_at),
    owed_t = min(coalesce(callbacks.owed_t, excluded.owed_t), coalesce(excluded.owed_t, callbacks.owed_t)),
    overdue_t = min(coalesce(callbacks.overdue_t, excluded.overdue_t), coalesce(excluded.overdue_t, callbacks.overdue_t)),
    closed_by = CASE WHEN excluded.closed_t IS NOT NULL AND (callbacks.closed_t IS NULL OR excluded.closed_t < callbacks.closed_t)
                     THEN excluded.closed_by ELSE callbacks.closed_by END,
    closed_overdue = CASE WHEN excluded.closed_t IS NOT NULL AND (callbacks.closed_t IS NULL OR excluded.closed_t < callbacks.closed_t)
                          THEN excluded.closed_overdue ELSE callbacks.closed_overdue END,
    closed_t = min(coalesce(callbacks.closed_t, excluded.closed_t), coalesce(excluded.closed_t, callbacks.closed_t))`;

/**
 * The ring log on disk (SQLite, WAL): every entry once, however often the broker redelivers it, plus the call
 * and callback projections reports read. Writes happen in batches, one transaction each.
 */
export class RingLogStore {
  private readonly db: Database.Database;
  private readonly insertEntry: Database.Statement<[string, string, number, number, string, string | null, string | null, string]>;
  private readonly insertCall: Database.Statement<CallRow>;
  private readonly upsertCallback: Database.Statement<CallbackRow>;
  private readonly insertStream: Database.Statement<[string, string]>;
  private readonly selectStream: Database.Statement<[string, string], { id: number }>;
  /** site + NUL + stream → streams.id; cleared when a batch rolls back, as its new ids went with it. */
  private readonly streamIds = new Map<string, number>();
  private readonly countAll: Database.Statement<[], { n: number }>;
  private readonly countSite: Database.Statement<[string], { n: number }>;
  private readonly storedBody: Database.Statement<[string, string, number], { body: string }>;
  private readonly ingestBatch: (entries: readonly StoredEntry[]) => IngestResult;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db);
    this.insertEntry = this.db.prepare('INSERT OR IGNORE INTO entries (site, stream, seq, t, type, line, desk, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertCall = this.db.prepare('INSERT OR IGNORE INTO calls (site, t, stream_id, seq, line, desk, kind, rings, wait_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertStream = this.db.prepare('INSERT OR IGNORE INTO streams (site, stream) VALUES (?, ?)');
    this.selectStream = this.db.prepare('SELECT id FROM streams WHERE site = ? AND stream = ?');
    this.upsertCallback = this.db.prepare(UPSERT_CALLBACK);
    this.countAll = this.db.prepare('SELECT count(*) AS n FROM entries');
    this.countSite = this.db.prepare('SELECT count(*) AS n FROM entries WHERE site = ?');
    this.storedBody = this.db.prepare('SELECT body FROM entries WHERE site = ? AND stream = ? AND seq = ?');
    this.ingestBatch = this.db.transaction((entries: readonly StoredEntry[]) => {
      let inserted = 0;
      const conflicts: StoredEntry[] = [];
      for (const entry of entries) {
        const fields = parseBody(entry.body);
        const line = text(fields.line), desk = text(fields.desk);
        if (this.insertEntry.run(entry.site, entry.stream, entry.seq, entry.t, entry.type, line, desk, entry.body).changes === 0) {
          // A redelivery is the same bytes; anything else under a stored (site, stream, seq) is not from that bridge.
          if (this.storedBody.get(entry.site, entry.stream, entry.seq)?.body !== entry.body) conflicts.push(entry);
          continue;
        }
        inserted++;
        this.project(entry, fields);
      }
      return { inserted, duplicates: entries.length - inserted, conflicts };
    });
  }

  /**
   * Stores a batch in one transaction. An entry already stored (same site, stream and seq) counts as a duplicate;
   * a duplicate whose content differs from the stored one is also returned as a conflict (the first one stays).
   */
  ingest(entries: readonly StoredEntry[]): IngestResult {
    try {
      return this.ingestBatch(entries);
    } catch (error) {
      this.streamIds.clear();
      throw error;
    }
  }

  /** Entries stored (for one site). Counts every row: for tools and tests, not for every message. */
  count(site?: string): number {
    return (site === undefined ? this.countAll.get() : this.countSite.get(site))!.n;
  }

  close(): void {
    this.db.close();
  }

  private streamId(site: string, stream: string): number {
    const key = `${site}\0${stream}`;
    let id = this.streamIds.get(key);
    if (id === undefined) {
      this.insertStream.run(site, stream);
      id = this.selectStream.get(site, stream)!.id;
      if (this.streamIds.size >= STREAM_CACHE_MAX) this.streamIds.clear();
      this.streamIds.set(key, id);
    }
    return id;
  }

  private project(entry: StoredEntry, fields: Fields): void {
    const line = text(fields.line);
    if (line === null) return;
    switch (entry.type) {
      case 'answered':
      case 'missed': {
        const kind = entry.type === 'missed' ? CALL_KIND.missed : fields.onTime === true ? CALL_KIND.onTime : CALL_KIND.late;
        this.insertCall.run(entry.site, entry.t, this.streamId(entry.site, entry.stream), entry.seq, line, text(fields.desk), kind, num(fields.rings), num(fields.waitMs));
        return;
      }
      case 'callback-owed':
      case 'callback-overdue':
      case 'callback-closed': {
        const missedAt = num(fields.missedAt);
        if (missedAt === null) return;
        const closed = entry.type === 'callback-closed';
        this.upsertCallback.run(
          entry.site, line, missedAt, text(fields.desk), num(fields.dueAt),
          entry.type === 'callback-owed' ? entry.t : null,
          entry.type === 'callback-overdue' ? entry.t : null,
          closed ? entry.t : null,
          closed ? text(fields.by) : null,
          closed && typeof fields.overdue === 'boolean' ? Number(fields.overdue) : null,
        );
      }
    }
  }
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
