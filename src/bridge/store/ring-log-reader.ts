import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { CallRecord } from '../report/call-stats.js';
import { checkSchema } from './ring-log-schema.js';

/** A callback opened in a period and not closed by its end. */
export interface OpenCallback {
  line: string;
  desk: string | null;
  missedAt: number;
  dueAt: number | null;
  /** When a callback-overdue entry said so, if one did. */
  overdueAt: number | null;
}

export class RingLogMissingError extends Error {}

type CallRow = [t: number, line: string, desk: string | null, outcome: 'answered' | 'missed', rings: number | null, waitMs: number | null, onTime: number | null];

/** Read-only access to a ring log database for reports; never creates one. */
export class RingLogReader {
  private readonly db: Database.Database;
  private readonly callsStatement: Database.Statement<[string, number, number], CallRow>;
  private readonly openCallbacksStatement: Database.Statement<[string, number, number, number], OpenCallback>;
  private readonly nextSite: Database.Statement<[string], { site: string | null }>;

  constructor(path: string) {
    if (!existsSync(path)) throw new RingLogMissingError(`${path}: no ring log database there (the recorder creates it: thirdring record, or recorder.enabled in the config)`);
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    checkSchema(this.db);
    this.callsStatement = this.db
      .prepare<[string, number, number], CallRow>('SELECT t, line, desk, outcome, rings, wait_ms, on_time FROM calls WHERE site = ? AND t >= ? AND t < ?')
      .raw();
    this.openCallbacksStatement = this.db.prepare(`
      SELECT line, desk, missed_at AS missedAt, due_at AS dueAt, overdue_t AS overdueAt FROM callbacks
      WHERE site = ? AND missed_at >= ? AND missed_at < ? AND (closed_t IS NULL OR closed_t >= ?)`);
    this.nextSite = this.db.prepare('SELECT min(site) AS site FROM entries WHERE site > ?');
  }

  /** The sites in the log, each found with one index seek rather than a scan of every entry. */
  sites(): string[] {
    const sites: string[] = [];
    for (let site = this.nextSite.get('')!.site; site !== null; site = this.nextSite.get(site)!.site) sites.push(site);
    return sites;
  }

  /** Answered and missed calls with from ≤ t < to, in time order. */
  *calls(site: string, from: number, to: number): Generator<CallRecord> {
    for (const [t, line, desk, outcome, rings, waitMs, onTime] of this.callsStatement.iterate(site, from, to)) {
      yield { t, line, desk, outcome, rings, waitMs, onTime: onTime === null ? null : onTime === 1 };
    }
  }

  /** Callbacks for calls missed in [from, to) that were still open at `to`. */
  openCallbacks(site: string, from: number, to: number): OpenCallback[] {
    return this.openCallbacksStatement.all(site, from, to, to);
  }

  close(): void {
    this.db.close();
  }
}
