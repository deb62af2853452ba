import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { CallRecord } from '../report/call-stats.js';
import { CALL_KIND, checkSchema } from './ring-log-schema.js';

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

/** One `input` entry (what the bridge fed its rules core): its key, the core's time and the payload as stored. */
export interface InputRow {
  t: number;
  stream: string;
  seq: number;
  body: string;
}

/** One stored entry: its key, its time (the decision's t, or ts) and the payload as it arrived. */
export interface EntryRow {
  site: string;
  stream: string;
  seq: number;
  t: number;
  body: string;
}

/**
 * entriesFrom finds where a stream reaches a time by bisecting its seqs, as an entry's time grows with its seq
 * (the bridge logs in time order). An entry up to this much older than one logged before it in the same stream
 * (a clock set back, an event stamped before it was logged) is still found.
 */
export const ENTRY_TIME_SLACK_MS = 10 * 60_000;

/** Input entries ordered as the core saw them: time, then per stream in the order they were logged. */
const INPUTS_ORDER = 'ORDER BY t, stream, seq';

type CallVisitor = (call: CallRecord) => void;
type CallColumns = [t: number, line: string, desk: string | null, kind: number, rings: number | null, waitMs: number | null];

/** Read-only access to a ring log database for reports; never creates one. */
export class RingLogReader {
  private readonly db: Database.Database;
  private readonly visitCalls: Database.Statement<[string, number, number]>;
  private visitor: CallVisitor | null = null;
  private readonly openCallbacksStatement: Database.Statement<[string, number, number, number], OpenCallback>;
  private readonly nextSite: Database.Statement<[string], { site: string | null }>;
  private readonly inputsStatement: Database.Statement<[string, number, number], InputRow>;
  private readonly stateInputsStatement: Database.Statement<[string, number], InputRow>;
  private readonly inputSpanStatement: Database.Statement<[string, string], { first: number | null; last: number | null }>;
  private readonly callCountStatement: Database.Statement<[string, number, number], { n: number }>;
  private readonly firstStream: Database.Statement<[string], { stream: string | null }>;
  private readonly nextStream: Database.Statement<[string, string], { stream: string | null }>;
  private readonly seqSpanStatement: Database.Statement<[string, string, string, string], { first: number; last: number }>;
  private readonly seqAtOrAfter: Database.Statement<[string, string, number], { seq: number; t: number }>;
  private readonly entriesStatement: Database.Statement<[string, number], EntryRow>;

  constructor(path: string) {
    if (!existsSync(path)) throw new RingLogMissingError(`${path}: no ring log database there (the recorder creates it: thirdring record, or recorder.enabled in the config)`);
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    checkSchema(this.db);
    // A year is about a million calls. Stepping through them with a JS aggregate over one reused record costs a
    // third of what fetching them as rows does, which keeps a year's report well under two seconds.
    const call: CallRecord = { t: 0, line: '', desk: null, outcome: 'answered', rings: null, waitMs: null, onTime: null };
    this.db.aggregate('visit_call', {
      varargs: true,
      start: 0,
      // The driver's typings allow one argument per step; SQLite passes the six columns.
      step: (count: number, ...columns: unknown[]) => {
        const [t, line, desk, kind, rings, waitMs] = columns as CallColumns;
        call.t = t;
        call.line = line;
        call.desk = desk;
        call.outcome = kind === CALL_KIND.missed ? 'missed' : 'answered';
        call.rings = rings;
        call.waitMs = waitMs;
        call.onTime = kind === CALL_KIND.missed ? null : kind === CALL_KIND.onTime;
        this.visitor!(call);
        return count + 1;
      },
    });
    this.visitCalls = this.db.prepare('SELECT visit_call(t, line, desk, kind, rings, wait_ms) FROM calls WHERE site = ? AND t >= ? AND t < ?').pluck();
    this.openCallbacksStatement = this.db.prepare(`
      SELECT line, desk, missed_at AS missedAt, due_at AS dueAt, overdue_t AS overdueAt FROM callbacks
      WHERE site = ? AND missed_at >= ? AND missed_at < ? AND (closed_t IS NULL OR closed_t >= ?)`);
    this.nextSite = this.db.prepare('SELECT min(site) AS site FROM entries WHERE site > ?');
    // `type = 'input'` written out, so the partial index entries_inputs_by_time (schema v4) serves these in order:
    // a range of the index, no sort, however long the log.
    this.inputsStatement = this.db.prepare(`SELECT t, stream, seq, body FROM entries WHERE site = ? AND type = 'input' AND t >= ? AND t < ? ${INPUTS_ORDER}`);
    this.stateInputsStatement = this.db.prepare(`
      SELECT t, stream, seq, body FROM entries
      WHERE site = ? AND type = 'input' AND t < ? AND json_extract(body, '$.event.type') IN ('presence', 'takeover') ${INPUTS_ORDER}`);
    // Two subqueries: each is one index seek, where min() and max() together would read every input of the site.
    this.inputSpanStatement = this.db.prepare(`
      SELECT (SELECT min(t) FROM entries WHERE site = ? AND type = 'input') AS first,
             (SELECT max(t) FROM entries WHERE site = ? AND type = 'input') AS last`);
    this.callCountStatement = this.db.prepare('SELECT count(*) AS n FROM calls WHERE site = ? AND t >= ? AND t < ?');
    // Entries have no index by time (schema v3 dropped it: it cost a third of the insert time); these are seeks on
    // the primary key (site, stream, seq), so a recent period is found without reading a year of entries.
    this.firstStream = this.db.prepare('SELECT min(stream) AS stream FROM entries WHERE site = ?');
    this.nextStream = this.db.prepare('SELECT min(stream) AS stream FROM entries WHERE site = ? AND stream > ?');
    this.seqSpanStatement = this.db.prepare(`
      SELECT (SELECT min(seq) FROM entries WHERE site = ? AND stream = ?) AS first,
             (SELECT max(seq) FROM entries WHERE site = ? AND stream = ?) AS last`);
    this.seqAtOrAfter = this.db.prepare('SELECT seq, t FROM entries WHERE site = ? AND stream = ? AND seq >= ? ORDER BY seq LIMIT 1');
    // One range of the primary key per stream ([site, stream, first seq] in a JSON array), merged by time.
    this.entriesStatement = this.db.prepare(`
      SELECT e.site, e.stream, e.seq, e.t, e.body
      FROM json_each(?) AS s
      CROSS JOIN entries AS e ON e.site = s.value ->> 0 AND e.stream = s.value ->> 1 AND e.seq >= s.value ->> 2
      WHERE e.t >= ?
      ORDER BY e.t, e.site, e.stream, e.seq`);
  }

  /** The sites in the log, each found with one index seek rather than a scan of every entry. */
  sites(): string[] {
    const sites: string[] = [];
    for (let site = this.nextSite.get('')!.site; site !== null; site = this.nextSite.get(site)!.site) sites.push(site);
    return sites;
  }

  /** Hands `visit` each answered and missed call with from ≤ t < to, in time order. The record is reused: copy what you keep. */
  forEachCall(site: string, from: number, to: number, visit: CallVisitor): void {
    this.visitor = visit;
    try {
      this.visitCalls.get(site, from, to);
    } finally {
      this.visitor = null;
    }
  }

  /** Callbacks for calls missed in [from, to) that were still open at `to`. */
  openCallbacks(site: string, from: number, to: number): OpenCallback[] {
    return this.openCallbacksStatement.all(site, from, to, to);
  }

  /**
   * The input entries with from ≤ t < to, in the order the core took them, one row at a time. The connection is
   * busy until the iteration ends (or `return()` is called): run no other query meanwhile.
   */
  inputs(site: string, from: number, to: number): IterableIterator<InputRow> {
    return this.inputsStatement.iterate(site, from, to);
  }

  /** Presence and takeover inputs before `before`, in order: what carries a desk's state into a period. */
  stateInputsBefore(site: string, before: number): IterableIterator<InputRow> {
    return this.stateInputsStatement.iterate(site, before);
  }

  /** The first and last time of the site's input entries; null when the log holds none (recorded before inputs were logged). */
  inputSpan(site: string): { first: number; last: number } | null {
    const { first, last } = this.inputSpanStatement.get(site, site)!;
    return first === null || last === null ? null : { first, last };
  }

  /** Answered and missed calls with from ≤ t < to. */
  callCount(site: string, from: number, to: number): number {
    return this.callCountStatement.get(site, from, to)!.n;
  }

  /**
   * Every entry with t ≥ from, of one site or all, in time order (then site, stream, seq), one row at a time. The
   * connection is busy until the iteration ends (or `return()` is called): run no other query meanwhile.
   */
  entriesFrom(from: number, site?: string): IterableIterator<EntryRow> {
    const starts: [site: string, stream: string, seq: number][] = [];
    for (const s of site === undefined ? this.sites() : [site]) {
      for (let stream = this.firstStream.get(s)!.stream; stream !== null; stream = this.nextStream.get(s, stream)!.stream) {
        const seq = this.firstSeqFrom(s, stream, from - ENTRY_TIME_SLACK_MS);
        if (seq !== null) starts.push([s, stream, seq]);
      }
    }
    return this.entriesStatement.iterate(JSON.stringify(starts), from);
  }

  /** The first seq of the stream whose entry has t ≥ `time` (bisecting: t grows with seq), or null if none has. */
  private firstSeqFrom(site: string, stream: string, time: number): number | null {
    const { first, last } = this.seqSpanStatement.get(site, stream, site, stream)!;
    let lo = first, hi = last + 1;
    // Invariant: every seq before lo has t < time; the seq found is at most hi (last + 1: none).
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      // The first seq at or after mid (seqs can have gaps: entries the bridge's full outbox dropped).
      const probe = this.seqAtOrAfter.get(site, stream, mid)!;
      if (probe.t >= time) hi = mid;
      else lo = probe.seq + 1;
    }
    return lo > last ? null : lo;
  }

  close(): void {
    this.db.close();
  }
}
