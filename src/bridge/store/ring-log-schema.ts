import type Database from 'better-sqlite3';

/**
 * The ring log database, versioned with PRAGMA user_version. `entries` keeps every payload, keyed so a
 * redelivered entry (MQTT QoS 1) is recognised; `calls` and `callbacks` are projections kept up to date at ingest
 * so reports over a year read a few hundred thousand narrow rows in time order instead of parsing millions of bodies.
 */
const MIGRATIONS: readonly string[] = [
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
  if (version !== SCHEMA_VERSION) {
    throw new SchemaError(`${db.name}: not a thirdring ring log (schema version ${version}, expected ${SCHEMA_VERSION})`);
  }
}
