import type Database from 'better-sqlite3';

/** The most desks an escalation names (the assigned desk and the nearest of rules.escalation[].nearest, at most 100). */
const NAMED_ESCALATION_MAX = 101;

/** calls.kind: how the call ended. An answer without onTime counts as late. */
export const CALL_KIND = { missed: 0, late: 1, onTime: 2 } as const;

/**
 * The ring log database, versioned with PRAGMA user_version; MIGRATIONS[n] takes version n to n + 1. `entries`
 * keeps every payload, keyed so a redelivered entry (MQTT QoS 1) is recognised; `calls` and `callbacks` are
 * projections kept up to date at ingest so reports over a year read a million narrow rows in time order instead
 * of parsing millions of bodies.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE entries (
    site TEXT NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL,
    t INTEGER NOT NULL, type TEXT NOT NULL, line TEXT, desk TEXT, body TEXT NOT NULL,
    PRIMARY KEY (site, stream, seq)
  ) WITHOUT ROWID;
  CREATE INDEX entries_by_time ON entries (site, t);

  -- One row per answered or missed call, clustered by time so a period is one range scan.
  CREATE TABLE calls (
    site TEXT NOT NULL, t INTEGER NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL,
    line TEXT NOT NULL, desk TEXT, outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'missed')),
    rings INTEGER, wait_ms INTEGER, on_time INTEGER,
    PRIMARY KEY (site, t, stream, seq)
  ) WITHOUT ROWID;

  -- One row per callback, whatever order its owed / overdue / closed entries arrive in.
  CREATE TABLE callbacks (
    site TEXT NOT NULL, line TEXT NOT NULL, missed_at INTEGER NOT NULL,
    desk TEXT, due_at INTEGER, owed_t INTEGER, overdue_t INTEGER,
    closed_t INTEGER, closed_by TEXT, closed_overdue INTEGER,
    PRIMARY KEY (site, line, missed_at)
  ) WITHOUT ROWID;
  CREATE INDEX callbacks_by_missed_at ON callbacks (site, missed_at);
  `,
  // v2: calls name their stream by a small number (stream ids are 36-character UUIDs) and fold outcome and
  // on_time into `kind`, which halves the table a year's report reads.
  `
  CREATE TABLE streams (id INTEGER PRIMARY KEY, site TEXT NOT NULL, stream TEXT NOT NULL, UNIQUE (site, stream));
  INSERT INTO streams (site, stream) SELECT DISTINCT site, stream FROM calls;
  CREATE TABLE calls_v2 (
    site TEXT NOT NULL, t INTEGER NOT NULL, stream_id INTEGER NOT NULL REFERENCES streams (id), seq INTEGER NOT NULL,
    line TEXT NOT NULL, desk TEXT,
    kind INTEGER NOT NULL CHECK (kind IN (${CALL_KIND.missed}, ${CALL_KIND.late}, ${CALL_KIND.onTime})),
    rings INTEGER, wait_ms INTEGER,
    PRIMARY KEY (site, t, stream_id, seq)
  ) WITHOUT ROWID;
  INSERT INTO calls_v2
    SELECT c.site, c.t, s.id, c.seq, c.line, c.desk,
           CASE WHEN c.outcome = 'missed' THEN ${CALL_KIND.missed} WHEN c.on_time = 1 THEN ${CALL_KIND.onTime} ELSE ${CALL_KIND.late} END,
           c.rings, c.wait_ms
    FROM calls c JOIN streams s ON s.site = c.site AND s.stream = c.stream;
  DROP TABLE calls;
  ALTER TABLE calls_v2 RENAME TO calls;
  `,
  // v3: nothing reads raw entries by time (reports read the projections), and the index cost a third of the
  // insert time and a sixth of the file. Add one back with the feature that needs it.
  `
  DROP INDEX entries_by_time;
  `,
  // v4: an escalation to everyone no longer lists every desk (a 10,000-desk floor made 79,000-character rows); it
  // says how many were lit. Older rows are rewritten: a list longer than any named escalation (assigned desk plus
  // at most ${NAMED_ESCALATION_MAX} nearest) was "everyone"; its radius is not known, so it is left out. And the inputs the bridge
  // now logs are read by time for export (a partial index: other entries do not pay for it).
  `
  UPDATE entries
    SET body = json_set(body, '$.desks', json('[]'), '$.everyone', json_object('desks', json_array_length(body, '$.desks')))
    WHERE type = 'escalate' AND json_valid(body) AND json_array_length(body, '$.desks') > ${NAMED_ESCALATION_MAX};
  CREATE INDEX entries_inputs_by_time ON entries (site, t) WHERE type = 'input';
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaError extends Error {}

/** Brings the database up to SCHEMA_VERSION; refuses one written by a newer thirdring. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new SchemaError(`${db.name}: ring log schema version ${version} is newer than this thirdring understands (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** For readers: the database must already be at SCHEMA_VERSION. */
export function checkSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version === 0) throw new SchemaError(`${db.name}: not a thirdring ring log`);
  if (version < SCHEMA_VERSION) {
    throw new SchemaError(`${db.name}: ring log from an older thirdring (schema version ${version}); the recorder upgrades it when it opens it (thirdring record)`);
  }
  throw new SchemaError(`${db.name}: ring log schema version ${version} is newer than this thirdring understands (${SCHEMA_VERSION})`);
}
