import { DateTime, IANAZone } from 'luxon';

/** A report period: from (inclusive) to (exclusive), epoch ms, and the zone its dates were read in. */
export interface Period {
  from: number;
  to: number;
  timeZone: string;
}

export class PeriodError extends Error {}

const RELATIVE = /^(\d+)(m|h|d|w)$/;
const UNITS = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;
export const DEFAULT_PERIOD = '7d';

/**
 * Reads --from / --to: `today`, `yesterday`, `now`, `7d` / `12h` / `2w` / `30m` back from now, or ISO dates and
 * date-times; a bare date is local midnight in the zone, a date-time without an offset is local time there.
 */
export function parsePeriod(options: { from?: string | undefined; to?: string | undefined; timeZone: string; now: number }): Period {
  if (!IANAZone.isValidZone(options.timeZone)) throw new PeriodError(`--tz: unknown time zone "${options.timeZone}": expected an IANA zone like Europe/Amsterdam`);
  const now = DateTime.fromMillis(options.now, { zone: options.timeZone });
  const from = parseInstant('--from', options.from ?? DEFAULT_PERIOD, now);
  const to = options.to === undefined ? options.now : parseInstant('--to', options.to, now);
  if (from >= to) throw new PeriodError(`--from (${iso(from, options.timeZone)}) must be before --to (${iso(to, options.timeZone)})`);
  return { from, to, timeZone: options.timeZone };
}

function parseInstant(flag: string, text: string, now: DateTime): number {
  const word = text.trim().toLowerCase();
  if (word === 'now') return now.toMillis();
  if (word === 'today') return now.startOf('day').toMillis();
  if (word === 'yesterday') return now.minus({ days: 1 }).startOf('day').toMillis();
  const relative = RELATIVE.exec(word);
  if (relative) return now.minus({ [UNITS[relative[2] as keyof typeof UNITS]]: Number(relative[1]) }).toMillis();
  const parsed = DateTime.fromISO(text.trim(), { zone: now.zone });
  if (!parsed.isValid) {
    throw new PeriodError(`${flag}: expected a date (2026-03-02), a date-time (2026-03-02T09:00), today, yesterday, now or 7d / 12h / 2w back, got "${text}"`);
  }
  return parsed.toMillis();
}

export const iso = (t: number, timeZone: string): string => DateTime.fromMillis(t, { zone: timeZone }).toISO({ suppressMilliseconds: true })!;

/** How far through the period `t` is, as "57%" (for progress lines). */
export function percentThrough(t: number, period: Period): string {
  const percent = Math.floor(((t - period.from) * 100) / Math.max(1, period.to - period.from));
  return `${Math.max(0, Math.min(100, percent))}%`;
}

/** "Mon 2 Mar 2026 00:00 to Tue 3 Mar 2026 00:00 (Europe/Amsterdam)", for people. */
export function describePeriod(period: Period): string {
  const when = (t: number) => DateTime.fromMillis(t, { zone: period.timeZone }).setLocale('en-GB').toFormat('ccc d LLL yyyy HH:mm');
  return `${when(period.from)} to ${when(period.to)} (${period.timeZone})`;
}
