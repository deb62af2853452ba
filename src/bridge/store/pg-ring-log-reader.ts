import pg from 'pg';
import { CALL_KIND } from './ring-log-schema.js';
import { checkPgSchema } from './pg-schema.js';
import { redactUrl } from './pg-ring-log-store.js';

/** A site's period and zone: its calls from ≤ t < to count, its hours and days are read in timeZone. */
export interface SitePeriod {
  site: string;
  timeZone: string;
  from: number;
  to: number;
}

export const PG_GROUPINGS = ['site', 'line', 'desk', 'hour', 'day'] as const;
export type PgGroupBy = (typeof PG_GROUPINGS)[number];

/**
 * What a group's report numbers are made from: counts and sums, from SQL here or from the SQLite report's
 * accumulator (report/call-stats.ts statsFromSums turns either into the same numbers).
 */
export interface CallSums {
  answered: number;
  onTime: number;
  missed: number;
  waitSum: number;
  waitCount: number;
  /** ms, the nearest-rank 90th percentile of the answered calls' waits (percentile_disc here); null without waits */
  p90Wait: number | null;
  ringsSum: number;
  ringsCount: number;
  callbacksOwed: number;
  callbacksOverdue: number;
}

/** One group's sums (null group: the total). */
export interface GroupSums extends CallSums {
  group: string | null;
}

const NO_DESK = '(none)';

/** The group of a row in SQL: `prefix` puts the site before lines and desks when several sites are reported. */
function groupKey(by: PgGroupBy, time: string, prefixSite: boolean, desk: string): string {
  const local = `(to_timestamp(${time} / 1000.0) AT TIME ZONE p.zone)`;
  const named = (name: string) => (prefixSite ? `p.site || '/' || ${name}` : name);
  switch (by) {
    case 'site': return 'p.site';
    case 'line': return named('x.line');
    case 'desk': return named(`coalesce(${desk}, '${NO_DESK}')`);
    case 'hour': return `to_char(${local}, 'HH24') || ':00'`;
    case 'day': return `to_char(${local}, 'YYYY-MM-DD')`;
  }
}

const PERIODS = `periods AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS p(site, zone, from_ms, to_ms))`;

/**
 * Reports straight from PostgreSQL: the calls of many sites are summed in the database, grouped in each site's
 * own zone, so a year of ten busy sites sends a few dozen rows to Node rather than millions.
 */
export class PgRingLogReader {
  private constructor(
    private readonly client: pg.Client,
    readonly name: string,
  ) {}

  static async open(url: string): Promise<PgRingLogReader> {
    const client = new pg.Client({ connectionString: url, application_name: 'thirdring report' });
    const name = redactUrl(url);
    client.on('error', () => {});
    await client.connect();
    try {
      await checkPgSchema(client, name);
    } catch (error) {
      await client.end();
      throw error;
    }
    return new PgRingLogReader(client, name);
  }

  /** The sites in the log: one index seek each (a loose scan of the primary key), not a scan of every entry. */
  async sites(): Promise<string[]> {
    const { rows } = await this.client.query<{ site: string }>(`
      WITH RECURSIVE s AS (
        SELECT min(site) AS site FROM entries
        UNION ALL SELECT (SELECT min(site) FROM entries WHERE site > s.site) FROM s WHERE s.site IS NOT NULL)
      SELECT site FROM s WHERE site IS NOT NULL`);
    return rows.map((r) => r.site);
  }

  /** site_zones: each site's time zone, as set by hand. */
  async siteZones(): Promise<Map<string, string>> {
    const { rows } = await this.client.query<{ site: string; time_zone: string }>('SELECT site, time_zone FROM site_zones');
    return new Map(rows.map((r) => [r.site, r.time_zone]));
  }

  /** Sums per group and for all (group null), calls by their answer / miss time, open callbacks by when missed. */
  async groupSums(periods: readonly SitePeriod[], by: PgGroupBy): Promise<GroupSums[]> {
    const prefix = periods.length > 1;
    const callKey = groupKey(by, 'x.t', prefix, 'x.desk'), callbackKey = groupKey(by, 'x.missed_at', prefix, 'x.desk');
    const params = [periods.map((p) => p.site), periods.map((p) => p.timeZone), periods.map((p) => p.from), periods.map((p) => p.to)];
    const calls = await this.client.query<Record<string, string | null>>(`
      WITH ${PERIODS}
      SELECT ${callKey} AS grp, GROUPING(${callKey}) AS total,
             count(*) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS answered,
             count(*) FILTER (WHERE x.kind = ${CALL_KIND.onTime}) AS on_time,
             count(*) FILTER (WHERE x.kind = ${CALL_KIND.missed}) AS missed,
             sum(x.wait_ms) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS wait_sum,
             count(x.wait_ms) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS wait_count,
             percentile_disc(0.9) WITHIN GROUP (ORDER BY x.wait_ms) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS p90,
             sum(x.rings) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS rings_sum,
             count(x.rings) FILTER (WHERE x.kind <> ${CALL_KIND.missed}) AS rings_count
      FROM calls x JOIN periods p ON x.site = p.site AND x.t >= p.from_ms AND x.t < p.to_ms
      GROUP BY GROUPING SETS ((${callKey}), ())`, params);
    const callbacks = await this.client.query<Record<string, string | null>>(`
      WITH ${PERIODS}
      SELECT ${callbackKey} AS grp, GROUPING(${callbackKey}) AS total,
             count(*) AS owed,
             count(*) FILTER (WHERE x.due_at <= p.to_ms OR x.overdue_t <= p.to_ms) AS overdue
      FROM callbacks x JOIN periods p ON x.site = p.site AND x.missed_at >= p.from_ms AND x.missed_at < p.to_ms
      WHERE x.closed_t IS NULL OR x.closed_t >= p.to_ms
      GROUP BY GROUPING SETS ((${callbackKey}), ())`, params);
    const groups = new Map<string | null, GroupSums>();
    const of = (row: Record<string, string | null>) => {
      const group = Number(row.total) === 1 ? null : row.grp!;
      let sums = groups.get(group);
      if (!sums) groups.set(group, (sums = { group, answered: 0, onTime: 0, missed: 0, waitSum: 0, waitCount: 0, p90Wait: null, ringsSum: 0, ringsCount: 0, callbacksOwed: 0, callbacksOverdue: 0 }));
      return sums;
    };
    for (const row of calls.rows) {
      Object.assign(of(row), {
        answered: Number(row.answered), onTime: Number(row.on_time), missed: Number(row.missed),
        waitSum: Number(row.wait_sum ?? 0), waitCount: Number(row.wait_count), p90Wait: row.p90 === null ? null : Number(row.p90),
        ringsSum: Number(row.rings_sum ?? 0), ringsCount: Number(row.rings_count),
      });
    }
    for (const row of callbacks.rows) Object.assign(of(row), { callbacksOwed: Number(row.owed), callbacksOverdue: Number(row.overdue) });
    return [...groups.values()];
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
