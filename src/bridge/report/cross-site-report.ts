import { DateTime, IANAZone } from 'luxon';
import type { GroupSums, PgGroupBy, PgRingLogReader, SitePeriod } from '../store/pg-ring-log-reader.js';
import { oneDecimal, statsFromSums } from './call-stats.js';
import { iso, parsePeriod, PeriodError } from './period.js';
import { sortGroups, type Report } from './report.js';
import type { HourStat } from './service-chart.js';

/** Where a site's zone came from, strongest first. */
export type ZoneSource = '--tz site=zone' | 'site_zones' | '--tz' | 'this machine';

export interface SiteZone {
  site: string;
  timeZone: string;
  source: ZoneSource;
}

export class CrossSiteError extends Error {}

/** --tz values: "site=Area/City" for one site, "Area/City" for the sites nothing else names a zone for. */
export function parseZoneFlags(values: readonly string[]): { perSite: Map<string, string>; fallback: string | null } {
  const perSite = new Map<string, string>();
  let fallback: string | null = null;
  for (const value of values) {
    const [site, zone] = value.includes('=') ? value.split('=', 2) as [string, string] : [null, value];
    if (!IANAZone.isValidZone(zone)) throw new CrossSiteError(`--tz: unknown time zone "${zone}" in "${value}": expected an IANA zone like Europe/Amsterdam (or site=Europe/Amsterdam)`);
    if (site === null) fallback = zone;
    else perSite.set(site, zone);
  }
  return { perSite, fallback };
}

/** Each site's zone: --tz site=zone, else the site_zones table, else --tz zone, else this machine's. */
export function siteZones(sites: readonly string[], flags: ReturnType<typeof parseZoneFlags>, table: ReadonlyMap<string, string>, machineZone: string): SiteZone[] {
  for (const site of flags.perSite.keys()) {
    if (!sites.includes(site)) throw new CrossSiteError(`--tz ${site}=…: "${site}" is not a site in this report (sites: ${sites.join(', ')})`);
  }
  return sites.map((site) => {
    const flagged = flags.perSite.get(site);
    if (flagged) return { site, timeZone: flagged, source: '--tz site=zone' };
    const stored = table.get(site);
    if (stored && IANAZone.isValidZone(stored)) return { site, timeZone: stored, source: 'site_zones' };
    if (flags.fallback) return { site, timeZone: flags.fallback, source: '--tz' };
    return { site, timeZone: machineZone, source: 'this machine' };
  });
}

/** --from / --to read in each site's own zone: "2026-03-02" is each site's own Monday. */
export function sitePeriods(zones: readonly SiteZone[], from: string | undefined, to: string | undefined, now: number): SitePeriod[] {
  try {
    return zones.map(({ site, timeZone }) => ({ site, ...parsePeriod({ from, to, timeZone, now }) }));
  } catch (error) {
    throw error instanceof PeriodError ? new CrossSiteError(error.message) : error;
  }
}

const EMPTY: GroupSums = { group: null, answered: 0, onTime: 0, missed: 0, waitSum: 0, waitCount: 0, p90Wait: null, ringsSum: 0, ringsCount: 0, callbacksOwed: 0, callbacksOverdue: 0 };

/** A report over the sites of `periods`, each in its own zone; its site is "all" for several, or when `all` asked for every one. */
export async function buildCrossSiteReport(reader: PgRingLogReader, periods: readonly SitePeriod[], by: PgGroupBy, all = false): Promise<Report> {
  const sums = periods.length ? await reader.groupSums(periods, by) : [];
  const groups = sums.filter((s) => s.group !== null);
  const byKey = new Map(groups.map((s) => [s.group!, s]));
  const keys = sortGroups([...byKey.keys()], by);
  const first = periods[0];
  return {
    site: all || periods.length > 1 ? 'all' : (first?.site ?? null),
    period: first ? { from: first.from, to: first.to, timeZone: first.timeZone } : { from: 0, to: 0, timeZone: 'UTC' },
    by,
    groups: keys.map((key) => statsFromSums(byKey.get(key)!, key)),
    total: statsFromSums(sums.find((s) => s.group === null) ?? EMPTY, 'total'),
  };
}

/** Missed calls and service level by hour of day, each site's hours in its own zone (for --chart). */
export async function crossSiteHours(reader: PgRingLogReader, periods: readonly SitePeriod[]): Promise<HourStat[]> {
  const sums = periods.length ? await reader.groupSums(periods, 'hour') : [];
  const byHour = new Map(sums.filter((s) => s.group !== null).map((s) => [Number(s.group!.slice(0, 2)), s]));
  return Array.from({ length: 24 }, (_, hour) => {
    const s = byHour.get(hour) ?? EMPTY;
    const calls = s.answered + s.missed;
    return { hour, calls, onTime: s.onTime, missed: s.missed, serviceLevel: calls ? oneDecimal((s.onTime / calls) * 100) : null };
  });
}

/** How the period reads when sites are in several zones: the same local times, or the same instants. */
export function describeSitePeriods(periods: readonly SitePeriod[]): string {
  const local = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy HH:mm');
  const texts = new Set(periods.map((p) => `${local(p.from, p.timeZone)} to ${local(p.to, p.timeZone)}`));
  if (texts.size === 1) return `${[...texts][0]}, each site in its own time zone`;
  const first = periods[0]!;
  return `${iso(first.from, 'UTC')} to ${iso(first.to, 'UTC')} (the same instants at every site; hours and days in each site's own zone)`;
}

/** "Europe/Amsterdam: branch-01, branch-02 (site_zones); America/New_York: branch-03 (--tz site=zone)". */
export function describeZones(zones: readonly SiteZone[]): string {
  const groups = new Map<string, string[]>();
  for (const z of zones) {
    const key = `${z.timeZone}\0${z.source}`;
    groups.set(key, [...(groups.get(key) ?? []), z.site]);
  }
  return [...groups].map(([key, sites]) => {
    const [zone, source] = key.split('\0');
    return `${zone}: ${sites.length > 6 ? `${sites.length} sites` : sites.join(', ')} (${source})`;
  }).join('; ');
}
