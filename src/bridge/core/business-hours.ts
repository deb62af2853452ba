import { DateTime } from 'luxon';
import type { BusinessHours } from './state.js';

// Wall-clock arithmetic in the office's time zone. Pure: luxon only converts between epoch ms and local time.

const MINUTE = 60_000;

/** Monday to Friday, 09:00–17:30, no holidays: the config's defaults. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:30', holidays: [] };
/** Past this many days without one open day the config is unusable (every day a holiday); give up. */
const SEARCH_DAYS = 400;

export const minuteOfDay = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** One business day, as working time: the length of the opening hours. */
export function businessDayMs(hours: BusinessHours): number {
  return (minuteOfDay(hours.close) - minuteOfDay(hours.open)) * MINUTE;
}

function isOpenDay(day: DateTime, hours: BusinessHours): boolean {
  return hours.days.includes(day.weekday) && !hours.holidays.includes(day.toISODate()!);
}

/** `day` (a local midnight) at a wall-clock time, as epoch ms. */
function at(day: DateTime, clock: string): number {
  const minutes = minuteOfDay(clock);
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/**
 * The moment `workMs` of working time has passed after `from`, counting only opening hours on open days.
 * A miss on Friday at closing time plus one business day is Monday at closing time.
 */
export function addBusinessTime(from: number, workMs: number, hours: BusinessHours, zone: string): number {
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  let remaining = workMs;
  for (let i = 0; i < SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
    if (!isOpenDay(day, hours)) continue;
    const start = Math.max(from, at(day, hours.open));
    const end = at(day, hours.close);
    if (start >= end) continue;
    if (end - start >= remaining) return start + remaining;
    remaining -= end - start;
  }
  return from + workMs;
}
