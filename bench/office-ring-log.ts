// An office's ring log as the bridge publishes it, for benchmarks and samples: realistic proportions of rings,
// assignments, escalations, answers, misses, hangups, holds, callbacks and device events over business days.
import { DateTime } from 'luxon';
import { exponential, seededRandom } from '../firmware-sim/random.js';

export interface OfficeOptions {
  /** Stop after exactly this many entries (the last business day ends early). */
  entries: number;
  lines: number;
  desks: number;
  seed: number;
  site: string;
}

const RING_MS = 5000; // nl cadence: 1 s on, 4 s off
const ANSWER_BY = 3;
const DAY_MS = 86_400_000;
/** Share of the day's calls per local hour, 08:00–18:00: a morning peak, a lunch dip, an afternoon peak. */
const HOURLY = [[8, 6], [9, 12], [10, 15], [11, 13], [12, 8], [13, 9], [14, 13], [15, 12], [16, 8], [17, 4]] as const;
/** Lunch cover is thin: more calls go unanswered. */
const MISSED_SHARE = (hour: number) => (hour === 12 || hour === 13 ? 0.16 : hour === 17 ? 0.1 : 0.06);
const ENTRIES_PER_CALL_GUESS = 7;
/** Like an outbox's stream id (a UUID). */
const STREAM = '5f0c2a4e-8d1b-4c3a-9e7f-2b6d1a0c9e84';

export function businessDays(year: number, timeZone: string): DateTime[] {
  const holidays = new Set(['01-01', '04-18', '04-21', '04-28', '05-05', '05-29', '06-09', '12-25', '12-26', '12-31', '08-15']);
  const days: DateTime[] = [];
  for (let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: timeZone }); day.year === year; day = day.plus({ days: 1 })) {
    if (day.weekday <= 5 && !holidays.has(day.toFormat('MM-dd'))) days.push(day);
  }
  return days;
}

/** Log payloads (JSON text) for these days (local midnights), in publishing order, numbered from seq 1 in one stream. */
export function* ringLogDays(days: readonly DateTime[], options: OfficeOptions): Generator<string> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const lines = Array.from({ length: options.lines }, (_, i) => `line-${i + 1}`);
  // The first lines (reception, sales) ring far more often than the rest.
  const lineWeights = lines.map((_, i) => 1 / (i + 1));
  const lineTotal = lineWeights.reduce((a, b) => a + b, 0);
  const pickLine = () => {
    let r = random() * lineTotal;
    for (let i = 0; i < lines.length; i++) if ((r -= lineWeights[i]!) <= 0) return lines[i]!;
    return lines.at(-1)!;
  };
  const desks = Array.from({ length: options.desks }, (_, i) => `desk-${String(i + 1).padStart(2, '0')}`);
  const hourTotal = HOURLY.reduce((sum, [, share]) => sum + share, 0);
  const pickHour = () => {
    let r = random() * hourTotal;
    for (const [hour, share] of HOURLY) if ((r -= share) <= 0) return hour;
    return 17;
  };

  let seq = 0, calls = 0;
  const out: string[] = [];
  const emit = (decision: Record<string, unknown> & { t: number }) => {
    out.push(JSON.stringify({ ...decision, ts: new Date(decision.t).toISOString(), site: options.site, stream: STREAM, seq: ++seq }));
  };
  const device = (t: number, state: string) =>
    out.push(JSON.stringify({ type: 'device', family: 'ring-sensor', device: '/dev/serial/by-id/usb-Arduino-if00', state, ts: new Date(t).toISOString(), site: options.site, stream: STREAM, seq: ++seq }));

  for (const [index, day] of days.entries()) {
    const remaining = options.entries - seq;
    const perCall = calls ? seq / calls : ENTRIES_PER_CALL_GUESS;
    const callsToday = Math.max(1, Math.round(remaining / (days.length - index) / perCall));
    const midnight = day.toMillis();
    const hourStarts = new Map(HOURLY.map(([hour]) => [hour, day.set({ hour }).toMillis()]));
    device(midnight + 7 * 3_600_000, 'connected');
    const lastDay = index === days.length - 1;
    for (let c = 0; lastDay ? seq < options.entries : c < callsToday; c++) {
      const hour = pickHour();
      const start = hourStarts.get(hour)! + Math.floor(random() * 3_600_000);
      const line = pickLine(), assigned = pick(desks);
      calls++;
      emit({ t: start, type: 'ring', line, ring: 1 });
      emit({ t: start + 40, type: 'assign', line, desk: assigned, reason: 'first' });
      if (random() >= MISSED_SHARE(hour)) {
        const rings = 1 + Math.min(5, Math.floor(exponential(random, 0.9)));
        for (let ring = 2; ring <= rings; ring++) emit({ t: start + (ring - 1) * RING_MS, type: 'ring', line, ring });
        if (rings >= ANSWER_BY) emit({ t: start + (ANSWER_BY - 1) * RING_MS + 10, type: 'escalate', line, level: 1, desks: [assigned, pick(desks), pick(desks)] });
        const answeredAt = start + (rings - 1) * RING_MS + Math.floor(random() * 4000);
        const desk = random() < 0.8 ? assigned : pick(desks);
        emit({ t: answeredAt, type: 'answered', line, rings, waitMs: answeredAt - start, onTime: rings < ANSWER_BY, desk });
        let end = answeredAt + Math.floor(exponential(random, 180_000));
        if (random() < 0.05) {
          const heldMs = Math.floor(exponential(random, 90_000));
          emit({ t: answeredAt + 30_000, type: 'hold', line, desk, state: 'on', heldMs: 0 });
          emit({ t: answeredAt + 30_000 + heldMs, type: 'hold', line, desk, state: 'off', heldMs });
          end += heldMs;
        }
        emit({ t: end, type: 'ended', line, durationMs: end - answeredAt });
      } else {
        const rings = 4 + Math.floor(random() * 5);
        for (let ring = 2; ring <= rings; ring++) emit({ t: start + (ring - 1) * RING_MS, type: 'ring', line, ring });
        emit({ t: start + (ANSWER_BY - 1) * RING_MS + 10, type: 'escalate', line, level: 1, desks: [assigned, pick(desks), pick(desks)] });
        emit({ t: start + ANSWER_BY * RING_MS + 10, type: 'escalate', line, level: 2, desks });
        const missedAt = start + rings * RING_MS;
        emit({ t: missedAt, type: 'missed', line, rings, waitMs: missedAt - start, desk: assigned });
        const dueAt = missedAt + DAY_MS;
        const callback = { line, missedAt, desk: assigned, dueAt };
        emit({ t: missedAt, type: 'callback-owed', ...callback });
        const outcome = random();
        if (outcome < 0.85) {
          const closedAt = missedAt + Math.floor(exponential(random, 2 * 3_600_000));
          emit({ t: closedAt, type: 'callback-closed', ...callback, by: random() < 0.7 ? 'outgoing' : 'ack', overdue: closedAt > dueAt });
        } else if (outcome < 0.97) {
          emit({ t: dueAt, type: 'callback-overdue', ...callback });
          emit({ t: dueAt + Math.floor(exponential(random, 3 * 3_600_000)), type: 'callback-closed', ...callback, by: 'outgoing', overdue: true });
        } // else: never called back
      }
      if (seq >= options.entries) break;
      yield* out.splice(0);
    }
    device(midnight + 19 * 3_600_000, 'disconnected');
    if (seq >= options.entries) break;
    yield* out.splice(0);
  }
  yield* out.splice(0, Math.max(0, out.length - (seq - options.entries)));
}
