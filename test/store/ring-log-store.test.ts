import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_KIND, MIGRATIONS, SCHEMA_VERSION } from '../../src/bridge/store/ring-log-schema.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../../src/bridge/store/ring-log-store.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-store-');
let opened: RingLogStore[] = [];
let dbCount = 0;
const newStore = (path = join(dir, `log-${++dbCount}`, 'ring-log.sqlite')) => {
  const store = new RingLogStore(path);
  opened.push(store);
  return { store, path };
};
afterEach(() => {
  for (const store of opened) store.close();
  opened = [];
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
function entry(seq: number, decision: Record<string, unknown>, extra: { stream?: string; site?: string } = {}): StoredEntry {
  const site = extra.site ?? 'branch-01', stream = extra.stream ?? 'a1';
  const t = typeof decision.t === 'number' ? decision.t : T0;
  const body = JSON.stringify({ ...decision, ts: new Date(t).toISOString(), site, seq, stream });
  const parsed = parseLogPayload(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.entry;
}
const rows = (path: string, sql: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

describe('parseLogPayload', () => {
  it('reads the key, time and type and keeps the raw body', () => {
    const body = '{"t":1000,"type":"ring","line":"front","ring":1,"ts":"1970-01-01T00:00:01.000Z","site":"b","seq":7,"stream":"s"}';
    expect(parseLogPayload(Buffer.from(body))).toEqual({ ok: true, entry: { site: 'b', stream: 's', seq: 7, t: 1000, type: 'ring', body } });
  });

  it('takes the time from ts when there is no t, and treats a missing stream as ""', () => {
    const parsed = parseLogPayload('{"type":"device","family":"ring-sensor","ts":"2026-03-02T09:00:00.000Z","site":"b","seq":1}');
    expect(parsed).toMatchObject({ ok: true, entry: { t: T0, stream: '' } });
  });

  it.each([
    ['not JSON', '{"site":', /^not valid JSON/],
    ['an array', '[1,2]', /^expected a JSON object/],
    ['missing site', '{"t":1,"type":"ring","seq":1}', /^site: expected a non-empty string, got nothing/],
    ['missing seq', '{"t":1,"type":"ring","site":"b"}', /^seq: expected an integer ≥ 1, got nothing/],
    ['seq not an integer', '{"t":1,"type":"ring","site":"b","seq":1.5}', /^seq: expected an integer ≥ 1, got 1.5/],
    ['seq as a string', '{"t":1,"type":"ring","site":"b","seq":"3"}', /^seq: expected an integer ≥ 1, got "3"/],
    ['seq 0', '{"t":1,"type":"ring","site":"b","seq":0}', /^seq: expected an integer ≥ 1, got 0/],
    ['missing type', '{"t":1,"site":"b","seq":1}', /^type: expected a non-empty string/],
    ['no time at all', '{"type":"ring","site":"b","seq":1}', /^expected t \(epoch ms\) or ts \(ISO time\)/],
    ['a bad ts', '{"type":"device","ts":"yesterday","site":"b","seq":1}', /^ts: expected an ISO time, got "yesterday"/],
    ['a ts that is not ISO', '{"type":"device","ts":"March 7, 2025 10:00","site":"b","seq":1}', /^ts: expected an ISO time/],
    ['a ts without a zone', '{"type":"device","ts":"2025-03-07T10:00:00","site":"b","seq":1}', /^ts: expected an ISO time/],
    ['a bad t', '{"t":"noon","type":"ring","site":"b","seq":1}', /^t: expected epoch milliseconds/],
    ['a stream that is not a string', '{"t":1,"type":"ring","site":"b","seq":1,"stream":5}', /^stream: expected a string/],
  ])('rejects %s with a clear error', (_what, payload, error) => {
    const parsed = parseLogPayload(payload);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(error);
  });
});

describe('RingLogStore', () => {
  const day = [
    entry(1, { t: T0, type: 'ring', line: 'front', ring: 1 }),
    entry(2, { t: T0 + 100, type: 'assign', line: 'front', desk: 'd1', reason: 'first' }),
    entry(3, { t: T0 + 4000, type: 'answered', line: 'front', rings: 1, waitMs: 4000, onTime: true, desk: 'd1' }),
    entry(4, { t: T0 + 60_000, type: 'missed', line: 'back', rings: 6, waitMs: 30_000, desk: 'd2' }),
  ];

  it('stores a batch once: the same batch again is all duplicates and adds no rows', () => {
    const { store, path } = newStore();
    expect(store.ingest(day)).toEqual({ inserted: 4, duplicates: 0, conflicts: [] });
    expect(store.ingest(day)).toEqual({ inserted: 0, duplicates: 4, conflicts: [] });
    expect(store.count()).toBe(4);
    expect(rows(path, 'SELECT line, desk, kind, rings, wait_ms FROM calls ORDER BY t')).toEqual([
      { line: 'front', desk: 'd1', kind: CALL_KIND.onTime, rings: 1, wait_ms: 4000 },
      { line: 'back', desk: 'd2', kind: CALL_KIND.missed, rings: 6, wait_ms: 30_000 },
    ]);
  });

  it('counts duplicates interleaved with new entries, also within one batch', () => {
    const { store, path } = newStore();
    store.ingest([day[0]!, day[2]!]);
    expect(store.ingest([day[1]!, day[2]!, day[3]!, day[3]!, day[0]!])).toEqual({ inserted: 2, duplicates: 3, conflicts: [] });
    expect(store.count()).toBe(4);
    expect(rows(path, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 2 }]);
  });

  it('says when an entry comes again with other content (a forgery or a second publisher): the first one stays', () => {
    const { store, path } = newStore();
    const forged = entry(3, { t: T0 + 4000, type: 'missed', line: 'front', rings: 9, waitMs: 40_000, desk: 'd1' });
    expect(store.ingest([forged])).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    expect(store.ingest([day[2]!, forged])).toEqual({ inserted: 0, duplicates: 2, conflicts: [day[2]] });
    expect(rows(path, 'SELECT kind FROM calls')).toEqual([{ kind: CALL_KIND.missed }]);
  });

  it('keeps a restarted sequence from a new outbox (another stream) apart from the old one', () => {
    const { store, path } = newStore();
    const before = entry(1, { t: T0, type: 'answered', line: 'front', rings: 1, waitMs: 1000, onTime: true }, { stream: 'old' });
    const after = entry(1, { t: T0 + 5000, type: 'answered', line: 'front', rings: 2, waitMs: 9000, onTime: true }, { stream: 'new' });
    expect(store.ingest([before, after])).toEqual({ inserted: 2, duplicates: 0, conflicts: [] });
    expect(rows(path, 'SELECT stream, rings FROM calls JOIN streams ON streams.id = calls.stream_id ORDER BY t')).toEqual([{ stream: 'old', rings: 1 }, { stream: 'new', rings: 2 }]);
  });

  it('keeps nothing of a batch that fails, and stores it whole when it comes again', () => {
    const { store, path } = newStore();
    const call = entry(1, { t: T0, type: 'answered', line: 'front', rings: 1, waitMs: 1000, onTime: true }, { stream: 'fresh' });
    expect(() => store.ingest([call, { ...call, seq: 2, body: {} as unknown as string }])).toThrow(); // cannot be bound
    expect(store.count()).toBe(0);
    expect(store.ingest([call])).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
    expect(rows(path, 'SELECT stream FROM calls JOIN streams ON streams.id = calls.stream_id')).toEqual([{ stream: 'fresh' }]);
  });

  it('keeps sites apart and counts per site', () => {
    const { store } = newStore();
    store.ingest([entry(1, { t: T0, type: 'ring', line: 'front', ring: 1 }, { site: 'a' }), entry(1, { t: T0, type: 'ring', line: 'front', ring: 1 }, { site: 'b' })]);
    expect([store.count(), store.count('a'), store.count('b'), store.count('c')]).toEqual([2, 1, 1, 0]);
  });

  it('survives reopening: the schema is created once and the rows stay', () => {
    const { store, path } = newStore();
    store.ingest(day);
    store.close();
    opened = [];
    const again = newStore(path).store;
    expect(again.count()).toBe(4);
    expect(again.ingest(day).duplicates).toBe(4);
    expect(rows(path, 'PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
    expect(rows(path, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('brings a version 1 database up to date, keeping its calls', () => {
    const path = join(dir, 'v1.sqlite');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    const insertEntry = db.prepare('INSERT INTO entries (site, stream, seq, t, type, line, desk, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertCall = db.prepare('INSERT INTO calls (site, t, stream, seq, line, desk, outcome, rings, wait_ms, on_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const e of day) insertEntry.run(e.site, e.stream, e.seq, e.t, e.type, null, null, e.body);
    insertCall.run('branch-01', day[2]!.t, 'a1', 3, 'front', 'd1', 'answered', 1, 4000, 1);
    insertCall.run('branch-01', day[3]!.t, 'a1', 4, 'back', 'd2', 'missed', 6, 30_000, null);
    db.close();
    const { store } = newStore(path);
    expect(rows(path, 'PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
    expect(rows(path, 'SELECT line, kind, stream FROM calls JOIN streams ON streams.id = calls.stream_id ORDER BY t')).toEqual([
      { line: 'front', kind: CALL_KIND.onTime, stream: 'a1' },
      { line: 'back', kind: CALL_KIND.missed, stream: 'a1' },
    ]);
    expect(store.ingest(day)).toEqual({ inserted: 0, duplicates: 4, conflicts: [] });
  });

  it('brings a version 3 database up to date: an escalation that listed every desk now says how many', () => {
    const path = join(dir, 'v3.sqlite');
    const db = new Database(path);
    for (const sql of MIGRATIONS.slice(0, 3)) db.exec(sql);
    db.pragma('user_version = 3');
    const everyDesk = Array.from({ length: 10_000 }, (_, i) => `desk-${i}`);
    const wide = entry(1, { t: T0, type: 'escalate', line: 'front', level: 3, desks: everyDesk });
    const named = entry(2, { t: T0, type: 'escalate', line: 'front', level: 2, desks: ['d1', 'd2', 'd3'] });
    const insert = db.prepare('INSERT INTO entries (site, stream, seq, t, type, line, desk, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const e of [wide, named]) insert.run(e.site, e.stream, e.seq, e.t, e.type, 'front', null, e.body);
    db.close();
    newStore(path);
    const bodies = rows(path, 'SELECT body FROM entries ORDER BY seq').map((r) => JSON.parse((r as { body: string }).body));
    expect(bodies[0]).toMatchObject({ type: 'escalate', level: 3, desks: [], everyone: { desks: 10_000 }, seq: 1 });
    expect(JSON.stringify(bodies[0]).length).toBeLessThan(300);
    expect(bodies[1]).toMatchObject({ level: 2, desks: ['d1', 'd2', 'd3'] });
    expect(bodies[1].everyone).toBeUndefined();
    expect(rows(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'entries_inputs_by_time'")).toHaveLength(1);
  });

  it('refuses a database from a newer thirdring', () => {
    const path = join(dir, 'newer.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new RingLogStore(path)).toThrow(/schema version 99 is newer/);
  });

  describe('callbacks', () => {
    const missedAt = T0 + 60_000, dueAt = missedAt + 86_400_000;
    const owed = entry(10, { t: missedAt, type: 'callback-owed', line: 'back', missedAt, desk: 'd2', dueAt });
    const overdue = entry(11, { t: dueAt, type: 'callback-overdue', line: 'back', missedAt, desk: 'd2', dueAt });
    const closed = entry(12, { t: dueAt + 600_000, type: 'callback-closed', line: 'back', missedAt, desk: 'd3', by: 'outgoing', overdue: true });
    const orders = [[owed, overdue, closed], [closed, overdue, owed], [overdue, closed, owed], [closed, owed, overdue]];

    it.each(orders.map((order) => [order.map((e) => e.type).join(' → '), order]))('end in the same state when entries arrive %s', (_name, order) => {
      const { store, path } = newStore();
      for (const one of order) store.ingest([one]);
      expect(rows(path, 'SELECT * FROM callbacks')).toEqual([{
        site: 'branch-01', line: 'back', missed_at: missedAt, desk: 'd2', due_at: dueAt,
        owed_t: missedAt, overdue_t: dueAt, closed_t: dueAt + 600_000, closed_by: 'outgoing', closed_overdue: 1,
      }]);
    });

    it('stay open while only owed', () => {
      const { store, path } = newStore();
      store.ingest([owed, owed]);
      expect(rows(path, 'SELECT desk, closed_t, overdue_t FROM callbacks')).toEqual([{ desk: 'd2', closed_t: null, overdue_t: null }]);
    });
  });
});
