import type { ClientBase } from 'pg';
import { CALL_KIND } from './ring-log-schema.js';
import { SchemaError } from './ring-log-schema.js';

/** Both recorders of an active/active pair migrate on start: one waits for the other on this advisory lock. */
const MIGRATION_LOCK = 0x7468_6972; // "thir"

/**
 * The ring log in PostgreSQL, versioned in thirdring_schema; PG_MIGRATIONS[n] takes version n to n + 1. The
 * tables are the SQLite ones (ring-log-schema.ts), times in epoch ms (entries.t as it came: any number); calls name their stream as text
 * (no streams table: an id would have to be agreed between two recorders inserting at once). The views are for
 * people and their tools (Grafana, a spreadsheet): local times come from site_zones, else the session's TimeZone.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE entries (
    site text NOT NULL, stream text NOT NULL, seq bigint NOT NULL,
    t double precision NOT NULL, type text NOT NULL, line text, desk text, body text NOT NULL,
    PRIMARY KEY (site, stream, seq)
  );
  CREATE INDEX entries_inputs_by_time ON entries (site, t) WHERE type = 'input';

  CREATE TABLE calls (
    site text NOT NULL, stream text NOT NULL, seq bigint NOT NULL, t bigint NOT NULL,
    line text NOT NULL, desk text,
    kind smallint NOT NULL CHECK (kind IN (${CALL_KIND.missed}, ${CALL_KIND.late}, ${CALL_KIND.onTime})),
    rings bigint, wait_ms bigint,
    PRIMARY KEY (site, stream, seq)
  );
  CREATE INDEX calls_by_time ON calls (site, t);

  CREATE TABLE callbacks (
    site text NOT NULL, line text NOT NULL, missed_at bigint NOT NULL,
    desk text, due_at bigint, owed_t bigint, overdue_t bigint,
    closed_t bigint, closed_by text, closed_overdue boolean,
    PRIMARY KEY (site, line, missed_at)
  );

  -- Each site's time zone (IANA name), for the views and thirdring report --site all. Filled by hand.
  CREATE TABLE site_zones (site text PRIMARY KEY, time_zone text NOT NULL);

  CREATE FUNCTION thirdring_local(site text, t bigint) RETURNS timestamp LANGUAGE sql STABLE AS $$
    SELECT to_timestamp(t / 1000.0) AT TIME ZONE coalesce((SELECT z.time_zone FROM site_zones z WHERE z.site = $1), current_setting('TimeZone'))
  $$;

  CREATE VIEW call_log AS
    SELECT site, line, desk, to_timestamp(t / 1000.0) AS at, thirdring_local(site, t) AS local_time,
           CASE kind WHEN ${CALL_KIND.missed} THEN 'missed' WHEN ${CALL_KIND.late} THEN 'late' ELSE 'on time' END AS outcome,
           rings, wait_ms / 1000.0 AS wait_s
    FROM calls;

  CREATE VIEW calls_by_day AS
    SELECT site, line, local_time::date AS day, count(*) AS calls,
           count(*) FILTER (WHERE outcome <> 'missed') AS answered,
           count(*) FILTER (WHERE outcome = 'on time') AS on_time,
           count(*) FILTER (WHERE outcome = 'late') AS late,
           count(*) FILTER (WHERE outcome = 'missed') AS missed,
           round(100.0 * count(*) FILTER (WHERE outcome = 'on time') / count(*), 1) AS service_level_pct,
           round(avg(wait_s) FILTER (WHERE outcome <> 'missed'), 1) AS avg_wait_s
    FROM call_log GROUP BY site, line, local_time::date;

  CREATE VIEW service_level_by_day AS
    SELECT site, day, sum(calls)::bigint AS calls, sum(on_time)::bigint AS on_time, sum(missed)::bigint AS missed,
           round(100.0 * sum(on_time) / sum(calls), 1) AS service_level_pct
    FROM calls_by_day GROUP BY site, day;

  CREATE VIEW missed_calls AS
    SELECT site, line, desk, at, local_time, rings, wait_s FROM call_log WHERE outcome = 'missed';

  CREATE VIEW callbacks_overdue AS
    SELECT site, line, desk, to_timestamp(missed_at / 1000.0) AS missed_at, thirdring_local(site, missed_at) AS missed_local,
           to_timestamp(due_at / 1000.0) AS due_at,
           now() - to_timestamp(coalesce(due_at, overdue_t) / 1000.0) AS overdue_by
    FROM callbacks
    WHERE closed_t IS NULL
      AND (due_at <= extract(epoch FROM now()) * 1000 OR overdue_t IS NOT NULL);
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Brings the database up to PG_SCHEMA_VERSION (under a lock, so two recorders starting together migrate once). */
export async function migratePg(client: ClientBase, name: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS thirdring_schema (version integer NOT NULL)');
    const version = await schemaVersion(client);
    if (version > PG_SCHEMA_VERSION) throw new SchemaError(`${name}: ring log schema version ${version} is newer than this thirdring understands (${PG_SCHEMA_VERSION})`);
    for (const sql of PG_MIGRATIONS.slice(version)) await client.query(sql);
    await client.query('DELETE FROM thirdring_schema');
    await client.query('INSERT INTO thirdring_schema (version) VALUES ($1)', [PG_SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** For readers: the database must already be at PG_SCHEMA_VERSION. */
export async function checkPgSchema(client: ClientBase, name: string): Promise<void> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('thirdring_schema')::text AS t`);
  const version = exists.rows[0]!.t === null ? 0 : await schemaVersion(client);
  if (version === PG_SCHEMA_VERSION) return;
  if (version === 0) throw new SchemaError(`${name}: not a thirdring ring log (thirdring record --db creates one)`);
  if (version < PG_SCHEMA_VERSION) throw new SchemaError(`${name}: ring log from an older thirdring (schema version ${version}); the recorder upgrades it when it connects (thirdring record)`);
  throw new SchemaError(`${name}: ring log schema version ${version} is newer than this thirdring understands (${PG_SCHEMA_VERSION})`);
}

async function schemaVersion(client: ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number }>('SELECT max(version) AS version FROM thirdring_schema');
  return rows[0]?.version ?? 0;
}
