import type { StoredEntry } from './log-payload.js';
import { CALL_KIND } from './ring-log-schema.js';

type Fields = Record<string, unknown>;

export interface CallRow {
  site: string; stream: string; seq: number; t: number;
  line: string; desk: string | null; kind: number; rings: number | null; waitMs: number | null;
}

/** One callback entry's contribution; the store merges rows of one (site, line, missedAt) whatever their order. */
export interface CallbackRow {
  site: string; line: string; missedAt: number; desk: string | null; dueAt: number | null;
  owedT: number | null; overdueT: number | null; closedT: number | null; closedBy: string | null; closedOverdue: boolean | null;
}

export interface Projected {
  line: string | null;
  desk: string | null;
  call: CallRow | null;
  callback: CallbackRow | null;
}

/** What an entry adds to the calls and callbacks projections (the same rules as the SQLite store). */
export function projectEntry(entry: StoredEntry): Projected {
  const fields = parseBody(entry.body);
  const line = text(fields.line), desk = text(fields.desk);
  const none = { line, desk, call: null, callback: null };
  if (line === null) return none;
  switch (entry.type) {
    case 'answered':
    case 'missed': {
      const kind = entry.type === 'missed' ? CALL_KIND.missed : fields.onTime === true ? CALL_KIND.onTime : CALL_KIND.late;
      return { ...none, call: { site: entry.site, stream: entry.stream, seq: entry.seq, t: entry.t, line, desk, kind, rings: int(fields.rings), waitMs: int(fields.waitMs) } };
    }
    case 'callback-owed':
    case 'callback-overdue':
    case 'callback-closed': {
      const missedAt = int(fields.missedAt);
      // The row's times are the entry's own: one that is no whole number of ms fits no column (the entry is kept).
      if (missedAt === null || !Number.isSafeInteger(entry.t)) return none;
      const closed = entry.type === 'callback-closed';
      return {
        ...none,
        callback: {
          site: entry.site, line, missedAt, desk, dueAt: int(fields.dueAt),
          owedT: entry.type === 'callback-owed' ? entry.t : null,
          overdueT: entry.type === 'callback-overdue' ? entry.t : null,
          closedT: closed ? entry.t : null,
          closedBy: closed ? text(fields.by) : null,
          closedOverdue: closed && typeof fields.overdue === 'boolean' ? fields.overdue : null,
        },
      };
    }
    default:
      return none;
  }
}

/** A stored entry's JSON body as fields; anything else (not JSON, not an object) as none. */
export function parseBody(body: string): Fields {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Fields) : {};
  } catch {
    return {};
  }
}

export const text = (value: unknown) => (typeof value === 'string' ? value : null);
/** PostgreSQL's columns are integers: a fraction is rounded, an out-of-range number is left out (SQLite keeps either). */
const int = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 2 ** 53 ? Math.round(value) : null);
