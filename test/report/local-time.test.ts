import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LocalClock } from '../../src/bridge/report/local-time.js';
import { parsePeriod } from '../../src/bridge/report/period.js';

const utc = (iso: string) => Date.parse(iso);

describe('LocalClock', () => {
  const amsterdam = new LocalClock('Europe/Amsterdam');

  it('moves the hour on the instant clocks go forward (2026-03-29 02:00 → 03:00 in Amsterdam)', () => {
    expect(amsterdam.hourOf(utc('2026-03-29T00:59:59.999Z'))).toBe(1);
    expect(amsterdam.hourOf(utc('2026-03-29T01:00:00Z'))).toBe(3);
    expect(amsterdam.dateOf(utc('2026-03-29T21:59:59Z'))).toBe('2026-03-29');
    expect(amsterdam.dateOf(utc('2026-03-29T22:00:00Z'))).toBe('2026-03-30'); // midnight is now at 22:00 UTC
  });

  it('repeats the hour when clocks go back (2026-10-25 03:00 → 02:00)', () => {
    expect(amsterdam.hourOf(utc('2026-10-25T00:30:00Z'))).toBe(2);
    expect(amsterdam.hourOf(utc('2026-10-25T01:30:00Z'))).toBe(2);
    expect(amsterdam.hourOf(utc('2026-10-25T02:30:00Z'))).toBe(3);
    expect(amsterdam.dateOf(utc('2026-10-25T22:59:59Z'))).toBe('2026-10-25');
    expect(amsterdam.dateOf(utc('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });

  it.each(['Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'America/New_York', 'UTC'])(
    'agrees with luxon every 13 minutes through a year in %s (half-hour zones and DST shifts too)',
    (zone) => {
      const clock = new LocalClock(zone);
      for (let t = utc('2026-01-01T00:00:00Z'); t < utc('2027-01-01T00:00:00Z'); t += 13 * 60_000) {
        const local = DateTime.fromMillis(t, { zone });
        if (clock.hourOf(t) !== local.hour || clock.dateOf(t) !== local.toISODate()) {
          throw new Error(`${zone} at ${new Date(t).toISOString()}: ${clock.hourOf(t)} ${clock.dateOf(t)}, expected ${local.hour} ${local.toISODate()}`);
        }
      }
    },
  );

  it('rejects an unknown zone', () => {
    expect(() => new LocalClock('Europe/Atlantis')).toThrow('unknown time zone "Europe/Atlantis"');
  });
});

describe('parsePeriod', () => {
  const zone = 'Europe/Amsterdam';
  const now = utc('2026-03-30T10:15:00Z'); // Monday 12:15 in Amsterdam, the day after clocks went forward
  const period = (from?: string, to?: string) => {
    const p = parsePeriod({ from, to, timeZone: zone, now });
    return [new Date(p.from).toISOString(), new Date(p.to).toISOString()];
  };

  it('reads bare dates as local midnight, on either side of a DST change', () => {
    expect(period('2026-03-29', '2026-03-30')).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']); // a 23-hour day
  });

  it('reads today, yesterday and now in the zone', () => {
    expect(period('yesterday', 'today')).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']); // yesterday began in winter time
    expect(period('today')).toEqual(['2026-03-29T22:00:00.000Z', '2026-03-30T10:15:00.000Z']);
    expect(period('today', 'now')).toEqual(['2026-03-29T22:00:00.000Z', '2026-03-30T10:15:00.000Z']);
  });

  it('goes back from now for 7d, 12h, 2w and 30m; 7d is seven calendar days, so 12:15 local then too', () => {
    expect(period()).toEqual(['2026-03-23T11:15:00.000Z', '2026-03-30T10:15:00.000Z']);
    expect(period('7d')[0]).toBe('2026-03-23T11:15:00.000Z');
    expect(period('12h')[0]).toBe('2026-03-29T22:15:00.000Z');
    expect(period('2w')[0]).toBe('2026-03-16T11:15:00.000Z');
    expect(period('30m')[0]).toBe('2026-03-30T09:45:00.000Z');
  });

  it('honours an offset written in the time, and reads one without it as local', () => {
    expect(period('2026-03-30T06:00Z', '2026-03-30T09:00')).toEqual(['2026-03-30T06:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    expect(period('2026-03-30T06:00+02:00', '2026-03-30T09:00:30.5')).toEqual(['2026-03-30T04:00:00.000Z', '2026-03-30T07:00:30.500Z']);
  });
});
