import type { RingLogReader } from '../store/ring-log-reader.js';
import { StatsAccumulator, type GroupStats } from './call-stats.js';
import { LocalClock } from './local-time.js';
import type { Period } from './period.js';

export const GROUPINGS = ['line', 'desk', 'hour', 'day'] as const;
export type GroupBy = (typeof GROUPINGS)[number];
/** A report across sites (PostgreSQL) can also be grouped by site. */
export type ReportBy = GroupBy | 'site';

export interface Report {
  /** null: the ring log holds no site yet. */
  site: string | null;
  period: Period;
  by: ReportBy;
  groups: GroupStats[];
  total: GroupStats;
}

const HOUR_LABELS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);

/** The desk of a missed call nobody was assigned to, or of an answer no desk reported. */
export const NO_DESK = '(none)';

/** Counts calls (by answer / miss time) and callbacks (by when the call was missed) in the period, per group. */
export function buildReport(reader: RingLogReader, site: string | null, period: Period, by: GroupBy): Report {
  const groupOf = grouping(by, new LocalClock(period.timeZone));
  const groups = new Map<string, StatsAccumulator>();
  const statsOf = (key: string) => {
    let stats = groups.get(key);
    if (!stats) groups.set(key, (stats = new StatsAccumulator()));
    return stats;
  };
  if (site !== null) {
    reader.forEachCall(site, period.from, period.to, (call) => {
      statsOf(groupOf(call.t, call.line, call.desk)).addCall(call);
    });
    for (const callback of reader.openCallbacks(site, period.from, period.to)) {
      const overdue = (callback.dueAt !== null && callback.dueAt <= period.to) || (callback.overdueAt !== null && callback.overdueAt <= period.to);
      statsOf(groupOf(callback.missedAt, callback.line, callback.desk)).addOpenCallback(overdue);
    }
  }
  const keys = sortGroups([...groups.keys()], by);
  const total = new StatsAccumulator().addAll(groups.values());
  return { site, period, by, groups: keys.map((key) => groups.get(key)!.result(key)), total: total.result('total') };
}

function grouping(by: GroupBy, clock: LocalClock): (t: number, line: string, desk: string | null) => string {
  switch (by) {
    case 'line':
      return (_t, line) => line;
    case 'desk':
      return (_t, _line, desk) => desk ?? NO_DESK;
    case 'hour':
      return (t) => HOUR_LABELS[clock.hourOf(t)]!;
    case 'day':
      return (t) => clock.dateOf(t);
  }
}

/** Report order: lines and desks by name, hours and days in time order. Sorts `keys` in place and returns it. */
export function sortGroups(keys: string[], by: ReportBy): string[] {
  return keys.sort(by === 'line' || by === 'desk' || by === 'site' ? byName : undefined);
}

/** Names in natural order (desk2 before desk10), "(none)" last. */
function byName(a: string, b: string): number {
  if (a === NO_DESK || b === NO_DESK) return Number(a === NO_DESK) - Number(b === NO_DESK);
  return a.localeCompare(b, 'en', { numeric: true });
}
