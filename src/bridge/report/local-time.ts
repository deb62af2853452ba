import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface DaySlot {
  /** Offset (ms) at the start of the UTC day, and from `changesAt` on (the day's zone transition, if any). */
  before: number;
  after: number;
  changesAt: number;
}

/**
 * Local hour and date of instants in one time zone, fast enough for a year of calls: the zone is asked for its
 * offset about once per UTC day (Intl lookups cost microseconds each), and a day with a DST change is searched
 * for the exact instant it happens, so buckets stay right on the days clocks go forward or back.
 */
export class LocalClock {
  private readonly zone: IANAZone;
  private readonly days = new Map<number, DaySlot>();
  private readonly dates = new Map<number, string>();

  constructor(readonly timeZone: string) {
    if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}": expected an IANA zone like Europe/Amsterdam`);
    this.zone = IANAZone.create(timeZone);
  }

  /** 0–23, the wall-clock hour at t. */
  hourOf(t: number): number {
    return Math.floor(modulo(this.localMs(t), DAY_MS) / HOUR_MS);
  }

  /** YYYY-MM-DD, the local date at t. */
  dateOf(t: number): string {
    const day = Math.floor(this.localMs(t) / DAY_MS);
    let date = this.dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.dates.set(day, date);
    }
    return date;
  }

  /** Milliseconds to add to t to read the wall clock as if it were UTC. */
  offsetAt(t: number): number {
    const day = Math.floor(t / DAY_MS);
    let slot = this.days.get(day);
    if (slot === undefined) {
      slot = this.slotOf(day * DAY_MS);
      this.days.set(day, slot);
    }
    return t < slot.changesAt ? slot.before : slot.after;
  }

  private localMs(t: number): number {
    return t + this.offsetAt(t);
  }

  private slotOf(start: number): DaySlot {
    const offset = (t: number) => this.zone.offset(t) * 60_000;
    const before = offset(start), after = offset(start + DAY_MS);
    if (before === after) return { before, after, changesAt: start };
    let low = start, high = start + DAY_MS; // offset(low) = before, offset(high) = after
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offset(middle) === before) low = middle;
      else high = middle;
    }
    return { before, after, changesAt: high };
  }
}

const modulo = (a: number, b: number) => ((a % b) + b) % b;

export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
