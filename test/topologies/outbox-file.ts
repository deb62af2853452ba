import Database from 'better-sqlite3';
import { join } from 'node:path';
import { range } from '../../bench/branch-sites.js';

/** What a stopped bridge's outbox handed to its broker: every seq it made, less those still waiting in it. */
export function sentByOutbox(dir: string): { stream: string; seqs: number[] } {
  const db = new Database(join(dir, 'data', 'outbox.sqlite'), { readonly: true });
  try {
    const stream = db.prepare("SELECT value FROM meta WHERE name = 'stream'").pluck().get() as string;
    const last = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get() as number | undefined) ?? 0;
    const waiting = new Set(db.prepare('SELECT seq FROM outbox').pluck().all() as number[]);
    return { stream, seqs: range(1, last).filter((seq) => !waiting.has(seq)) };
  } finally {
    db.close();
  }
}
