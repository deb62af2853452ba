// The bridge's clock and the office's time zone: every time on the page is the bridge's time in the office's zone.
import { $, setText } from './dom.js';
import { now } from './state.js';

// Times are shown in the office's time zone (config `timezone`), whatever zone the screen is set to.
const formats = { time: null, minute: null, weekday: null, day: null, zone: undefined };

export function useTimeZone(timeZone) {
  formats.zone = timeZone;
  const zone = (options) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      return new Intl.DateTimeFormat('en-GB', options);
    }
  };
  formats.time = zone({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  formats.minute = zone({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  formats.weekday = zone({ weekday: 'short' });
  formats.day = zone({ year: 'numeric', month: '2-digit', day: '2-digit' });
}
useTimeZone(undefined);

export const clockTime = (date) => formats.time.format(date);

/** YYYY-MM-DD in the office's time zone, as the bridge counts "today". */
export function localDay(date) {
  const part = Object.fromEntries(formats.day.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}

/** "09:40" today, "Mon 09:40" within five days either side, else "2026-03-02 09:40" (office time). */
export function when(t) {
  const date = new Date(t);
  return whenLocal(localDay(date), formats.minute.format(date));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The same, for a day and a time already in the office's zone ("2026-03-10", "09:40"). */
function whenLocal(day, time) {
  const today = localDay(new Date(now()));
  if (day === today) return time;
  const utc = (d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  const days = Math.round((utc(day) - utc(today)) / 86_400_000);
  return Math.abs(days) <= 5 ? `${WEEKDAYS[new Date(utc(day)).getUTCDay()]} ${time}` : `${day} ${time}`;
}

/**
 * A ring log entry as the page shows it: the times in it (the bridge writes "2026-03-11 09:40", in the office's
 * zone, with Z when that zone is UTC) as the rest of the page writes them: "09:40", "Wed 09:40".
 */
export const logWords = (text) => text.replace(/\b(\d{4}-\d\d-\d\d) (\d\d:\d\d)Z?/g, (_, day, time) => whenLocal(day, time));

/** The bridge's time: at every tick, and at once when a snapshot says what the bridge's clock is. */
export const renderClock = () => setText($('#clock'), clockTime(new Date(now())));
