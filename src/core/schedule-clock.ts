import { DateTime } from './wall-clock.js';
import { minuteOfDay } from './business-hours.js';
import type { Schedule } from './state.js';

/** The names of the desks that `schedules` keep away at `t`, each with the schedule that does. */
export function scheduledAway(schedules: readonly Schedule[], t: number, zone: string): Map<string, string> {
  const local = DateTime.fromMillis(t, { zone });
  const minute = local.hour * 60 + local.minute;
  const away = new Map<string, string>();
  for (const schedule of schedules) {
    if (!schedule.days.includes(local.weekday)) continue;
    if (minute < minuteOfDay(schedule.away[0]) || minute >= minuteOfDay(schedule.away[1])) continue;
    for (const desk of schedule.desks) if (!away.has(desk)) away.set(desk, schedule.name);
  }
  return away;
}

/** The first minute after `t` at which some schedule starts or ends, or null without schedules. */
export function nextScheduleChange(schedules: readonly Schedule[], t: number, zone: string): number | null {
  if (schedules.length === 0) return null;
  const today = DateTime.fromMillis(t, { zone }).startOf('day');
  let next: number | null = null;
  for (let offset = 0; offset <= 7 && next === null; offset++) {
    const day = today.plus({ days: offset });
    for (const schedule of schedules) {
      if (!schedule.days.includes(day.weekday)) continue;
      for (const clock of schedule.away) {
        const minutes = minuteOfDay(clock);
        const boundary = day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
        if (boundary > t && (next === null || boundary < next)) next = boundary;
      }
    }
  }
  return next;
}
