// npm run bench — the rules core on a building-sized office over a busy day.
// Targets (issue #2): ≥ 200,000 events/s; nearest-available lookup ≤ 50 µs at 10,000 desks; peak RSS ≤ 150 MB.
import { nearestAvailableDesk } from '../src/core/assignment.js';
import { createCoreState, step, type CoreEvent, type CoreState } from '../src/core/index.js';
import type { Call } from '../src/core/state.js';
import { BUSY_DAY, officeDay } from '../firmware-sim/office-day.js';
import { seededRandom } from '../firmware-sim/random.js';
import { bigOffice } from './big-office.js';

const DESKS = 10_000;
const LINES = 1_000;
const CHUNK = 1_000;

const config = bigOffice(DESKS, LINES);
const state = createCoreState(config);

function runDay(): { events: number; ticks: number; decisions: number; commands: number; seconds: number } {
  const totals = { events: 0, ticks: 0, decisions: 0, commands: 0, seconds: 0 };
  let wakeAt: number | null = null;
  const feed = (event: CoreEvent) => {
    const result = step(state, event);
    totals.decisions += result.decisions.length;
    totals.commands += result.commands.length;
    wakeAt = result.wakeAt;
  };
  const chunk: CoreEvent[] = [];
  const runChunk = () => {
    const started = process.hrtime.bigint();
    for (const event of chunk) {
      while (wakeAt !== null && wakeAt <= event.t) {
        feed({ t: wakeAt, type: 'tick' });
        totals.ticks++;
      }
      feed(event);
    }
    totals.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    totals.events += chunk.length;
    chunk.length = 0;
  };
  for (const event of officeDay(config, BUSY_DAY)) {
    chunk.push(event);
    if (chunk.length === CHUNK) runChunk();
  }
  runChunk();
  return totals;
}

/** Nearest-available lookups from random phones with a quarter of the people away. */
function measureLookups(core: CoreState, count: number): number[] {
  const random = seededRandom(99);
  for (const desk of core.desks) desk.present = random() >= 0.25;
  const micros: number[] = [];
  for (let i = 0; i < count; i++) {
    const line = core.lines[Math.floor(random() * core.lines.length)]!;
    const call = { line } as Call;
    const started = process.hrtime.bigint();
    const desk = nearestAvailableDesk(core, call);
    micros.push(Number(process.hrtime.bigint() - started) / 1000);
    if (desk === null) throw new Error('no desk found');
  }
  return micros.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const day = runDay();
const total = day.events + day.ticks;
const eventsPerSecond = total / day.seconds;
measureLookups(state, 2_000); // warm-up
const lookups = measureLookups(state, 20_000);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const target = (ok: boolean) => (ok ? 'ok' : 'MISSED');
console.log(`office: ${fmt(DESKS)} desks, ${fmt(LINES)} lines, ${BUSY_DAY.durationMs / 3_600_000} h busy day (seed ${BUSY_DAY.seed})`);
console.log(`core:   ${fmt(day.events)} events + ${fmt(day.ticks)} ticks in ${fmt(day.seconds, 2)} s → ${fmt(eventsPerSecond)} events/s   [target ≥ 200,000: ${target(eventsPerSecond >= 200_000)}]`);
console.log(`        ${fmt(day.decisions)} decisions, ${fmt(day.commands)} indication commands, ${fmt(state.ignoredEvents)} events ignored as out of place`);
console.log(`lookup: nearest available at ${fmt(DESKS)} desks: median ${fmt(percentile(lookups, 0.5), 1)} µs, p99 ${fmt(percentile(lookups, 0.99), 1)} µs, max ${fmt(lookups.at(-1)!, 1)} µs   [target ≤ 50 µs: ${target(percentile(lookups, 0.5) <= 50)}]`);
console.log(`memory: peak RSS ${fmt(peakRssMb, 1)} MB   [target ≤ 150 MB: ${target(peakRssMb <= 150)}]`);
