import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OutboxMessage {
  seq: number;
  topic: string;
  payload: string;
}

/**
 * Log messages waiting for the broker, on disk (SQLite, WAL), in order. A message leaves only when the broker
 * acknowledged it, so the queue survives broker outages and bridge restarts. It holds at most `maxMessages`;
 * past that the oldest are dropped and counted (the newest are the ones facilities staff still act on). Messages
 * pushed as droppable (fault reports) go first: a flood of faults never pushes a ring-log entry out.
 */
export class Outbox {
  /**
   * Created once with the database file: the recorder tells log entries apart by (site, stream, seq), so a
   * wiped dataDir, whose seq starts at 1 again, is a new stream rather than a run of redeliveries.
   */
  readonly stream: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string, string, number]>;
  private readonly oldest: Database.Statement<[number, number], OutboxMessage>;
  private readonly remove: Database.Statement<[number]>;
  private readonly countRows: Database.Statement<[], { n: number }>;
  private readonly trim: Database.Statement<[number]>;
  private readonly trimDroppable: Database.Statement<[number]>;
  private readonly addDropped: Database.Statement<[number, string]>;
  private readonly readDropped: Database.Statement<[string], { value: number }>;
  private size: number;
  private nextSeq: number;

  constructor(path: string, private readonly maxMessages: number) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT OR IGNORE INTO counters VALUES ('dropped', 0), ('droppedFaults', 0);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // Outboxes written before fault reports were droppable have no such column: none of theirs are.
    const columns = this.db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'droppable')) this.db.exec('ALTER TABLE outbox ADD COLUMN droppable INTEGER NOT NULL DEFAULT 0');
    this.db.exec('CREATE INDEX IF NOT EXISTS outbox_droppable ON outbox (seq) WHERE droppable = 1');
    this.db.prepare("INSERT OR IGNORE INTO meta VALUES ('stream', ?)").run(randomUUID());
    this.stream = (this.db.prepare("SELECT value FROM meta WHERE name = 'stream'").get() as { value: string }).value;
    this.insert = this.db.prepare('INSERT INTO outbox (seq, topic, payload, droppable) VALUES (?, ?, ?, ?)');
    this.oldest = this.db.prepare('SELECT seq, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.remove = this.db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.countRows = this.db.prepare('SELECT count(*) AS n FROM outbox');
    this.trim = this.db.prepare('DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT ?)');
    this.trimDroppable = this.db.prepare('DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE droppable = 1 ORDER BY seq LIMIT ?)');
    this.addDropped = this.db.prepare('UPDATE counters SET value = value + ? WHERE name = ?');
    this.readDropped = this.db.prepare('SELECT value FROM counters WHERE name = ?');
    this.size = this.countRows.get()!.n;
    // AUTOINCREMENT remembers the highest seq ever used (sqlite_sequence), even after the queue drained.
    const last = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number } | undefined;
    this.nextSeq = (last?.seq ?? 0) + 1;
  }

  /** Queues a message; `payload` is built with the sequence number the message gets. */
  push(topic: string, payload: (seq: number) => string, options: { droppable?: boolean } = {}): number {
    const seq = this.nextSeq++;
    this.insert.run(seq, topic, payload(seq), options.droppable ? 1 : 0);
    if (++this.size > this.maxMessages) this.dropOldest(this.size - this.maxMessages);
    return seq;
  }

  /** The next messages after `afterSeq`, oldest first. */
  next(afterSeq: number, limit: number): OutboxMessage[] {
    return this.oldest.all(afterSeq, limit);
  }

  /** The broker has it: forget it. */
  delivered(seq: number): void {
    if (this.remove.run(seq).changes > 0) this.size--;
  }

  /** The seq of the newest message ever queued (0: none yet). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get length(): number {
    return this.size;
  }

  /** Messages dropped because the outbox was full, fault reports not counted. */
  get dropped(): number {
    return this.readDropped.get('dropped')!.value;
  }

  /** Fault reports dropped because the outbox was full (they go before anything else). */
  get droppedFaults(): number {
    return this.readDropped.get('droppedFaults')!.value;
  }

  close(): void {
    this.db.close();
  }

  private dropOldest(count: number): void {
    this.db.transaction(() => {
      const faults = this.trimDroppable.run(count).changes;
      if (faults > 0) this.addDropped.run(faults, 'droppedFaults');
      if (faults < count) this.addDropped.run(this.trim.run(count - faults).changes, 'dropped');
    })();
    this.size = this.countRows.get()!.n;
  }
}
