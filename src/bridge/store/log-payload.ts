/** One ring log entry as the store keeps it: the key, what queries filter on, and the payload as it arrived. */
export interface StoredEntry {
  site: string;
  /** The publishing bridge's outbox id ('' for entries from before streams existed). */
  stream: string;
  seq: number;
  /** Epoch ms: the decision's `t`, or `ts` for entries without one (device events). */
  t: number;
  type: string;
  /** The raw JSON payload. */
  body: string;
}

export type ParsedEntry = { ok: true; entry: StoredEntry } | { ok: false; error: string };

const MAX_ERROR_SNIPPET = 60;
/** Date.parse alone also takes "March 7, 2025" and reads it in the recorder's zone. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Checks one `thirdring/<site>/log` payload; the error names the field and what was wrong with it. */
export function parseLogPayload(payload: Buffer | string): ParsedEntry {
  const body = typeof payload === 'string' ? payload : payload.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message}): ${snippet(body)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`expected a JSON object, got ${snippet(body)}`);
  const fields = value as Record<string, unknown>;
  const { site, seq, type, stream = '' } = fields;
  if (typeof site !== 'string' || site === '') return fail(`site: expected a non-empty string, got ${describe(site)}`);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return fail(`seq: expected an integer ≥ 1, got ${describe(seq)}`);
  if (typeof type !== 'string' || type === '') return fail(`type: expected a non-empty string, got ${describe(type)}`);
  if (typeof stream !== 'string') return fail(`stream: expected a string, got ${describe(stream)}`);
  const t = timeOf(fields);
  if (typeof t === 'string') return fail(t);
  return { ok: true, entry: { site, stream, seq, t, type, body } };
}

function timeOf(fields: Record<string, unknown>): number | string {
  const { t, ts } = fields;
  if (t !== undefined) return typeof t === 'number' && Number.isFinite(t) ? t : `t: expected epoch milliseconds, got ${describe(t)}`;
  if (ts === undefined) return 'expected t (epoch ms) or ts (ISO time)';
  const parsed = typeof ts === 'string' && ISO_TIME.test(ts) ? Date.parse(ts) : NaN;
  return Number.isNaN(parsed) ? `ts: expected an ISO time, got ${describe(ts)}` : parsed;
}

const fail = (error: string): ParsedEntry => ({ ok: false, error });
const describe = (value: unknown) => (value === undefined ? 'nothing' : snippet(JSON.stringify(value)));
const snippet = (text: string) => (text.length > MAX_ERROR_SNIPPET ? `${text.slice(0, MAX_ERROR_SNIPPET)}…` : text);
