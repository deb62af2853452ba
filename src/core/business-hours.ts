import { DateTime } from './wall-clock.js';

// Wall-clock arithmetic in the office's time zone. Pure: luxon only converts between epoch ms and local time.

const MINUTE = 60_000;
/** Past this many days without one open day the config is unusable (every day a holiday); give up. */
const SEARCH_DAYS = 400;

/** Monday to Friday, 09:00–17:30, no holidays: the config's defaults. */
/** Opening hours, in the office's time zone. Days: ISO weekday numbers (Monday = 1); times "HH:MM". */
export interface BusinessHours {
  days: readonly number[];
  open: string;
  close: string;
  /** ISO dates the office is closed. */
  holidays: readonly string[];
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:30', holidays: [] };

export const minuteOfDay = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** One business day, as working time: the length of the opening hours. */
export function businessDayMs(hours: BusinessHours): number {
  return (minuteOfDay(hours.close) - minuteOfDay(hours.open)) * MINUTE;
}

/** One local calendar day: [start, end) in epoch ms, and its opening hours (open === close when closed). */
interface LocalDay {
  start: number;
  end: number;
  open: number;
  close: number;
}

/**
 * The office's calendar, local days worked out once each: missed calls come in time order, so the days they
 * need are nearly always the last few looked at (zone arithmetic costs microseconds; a busy floor misses a lot).
 */
export class BusinessCalendar {
  private readonly days = new Map<number, LocalDay>();
  private recent: LocalDay | null = null;

  constructor(
    private readonly hours: BusinessHours,
    private readonly zone: string,
  ) {}

  /**
   * The moment `workMs` of working time has passed after `from`, counting only opening hours on open days.
   * A miss on Friday at closing time plus one business day is Monday at closing time.
   */
  addBusinessTime(from: number, workMs: number): number {
    let day = this.dayContaining(from);
    let remaining = workMs;
    for (let i = 0; i < SEARCH_DAYS; i++, day = this.dayStartingAt(day.end)) {
      const start = Math.max(from, day.open);
      if (start >= day.close) continue;
      if (day.close - start >= remaining) return start + remaining;
      remaining -= day.close - start;
    }
    return from + workMs;
  }

  /** One business day after `from`. */
  dueAfterOneBusinessDay(from: number): number {
    return this.addBusinessTime(from, businessDayMs(this.hours));
  }

  private dayContaining(t: number): LocalDay {
    const recent = this.recent;
    if (recent && t >= recent.start && t < recent.end) return recent;
    return (this.recent = this.dayStartingAt(DateTime.fromMillis(t, { zone: this.zone }).startOf('day').toMillis()));
  }

  private dayStartingAt(start: number): LocalDay {
    let day = this.days.get(start);
    if (!day) {
      day = this.describeDay(DateTime.fromMillis(start, { zone: this.zone }));
      this.days.set(start, day);
    }
    return day;
  }

  private describeDay(midnight: DateTime): LocalDay {
    const { hours } = this;
    const start = midnight.toMillis();
    const end = midnight.plus({ days: 1 }).toMillis();
    if (!hours.days.includes(midnight.weekday) || hours.holidays.includes(midnight.toISODate()!)) return { start, end, open: start, close: start };
    const at = (clock: string) => midnight.set({ hour: Math.floor(minuteOfDay(clock) / 60), minute: minuteOfDay(clock) % 60 }).toMillis();
    return { start, end, open: at(hours.open), close: at(hours.close) };
  }
}
