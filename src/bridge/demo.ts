import { BUSY_DAY, officeDay, type OfficeDayOptions } from '../../firmware-sim/office-day.js';
import { loadConfigFile, toCoreConfig } from './config/load.js';
import type { CoreEvent, Decision } from './core/index.js';
import { CoreRunner, type Clock } from './core-runner.js';
import { describeDecision } from './format.js';

export interface DemoOptions {
  configFile: string;
  speed: number;
  seed: number;
  durationMs: number;
  write: (line: string) => void;
}

/** A lively branch: a call every few seconds somewhere, people away now and then. */
const DEMO_DAY: OfficeDayOptions = {
  ...BUSY_DAY,
  meanCallGapMs: 40_000,
  meanTalkMs: 25_000,
  meanPresentMs: 4 * 60_000,
  meanAwayMs: 60_000,
};

/** Time that runs `speed` times faster than the wall clock, from 0 at start. */
function scaledClock(speed: number): Clock {
  const start = performance.now();
  const now = () => (performance.now() - start) * speed;
  return {
    now,
    wakeAt(at, wake) {
      const timer = setTimeout(wake, Math.max(0, (at - now()) / speed));
      return () => clearTimeout(timer);
    },
  };
}

const clockLabel = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export interface DemoTally {
  calls: number;
  onTime: number;
  late: number;
  missed: number;
}

/** Runs the rules core on a simulated day in (scaled) real time, printing each decision as it is made. */
export async function runDemo(options: DemoOptions, signal?: AbortSignal): Promise<DemoTally> {
  const config = toCoreConfig(loadConfigFile(options.configFile));
  const clock = scaledClock(options.speed);
  const tally: DemoTally = { calls: 0, onTime: 0, late: 0, missed: 0 };
  const lineWidth = Math.max(...config.lines.map((l) => l.id.length));
  const print = (t: number, who: string, text: string) => options.write(`${clockLabel(t)}  ${who.padEnd(lineWidth)}  ${text}`);
  const count = (d: Decision) => {
    if (d.type === 'ring' && d.ring === 1) tally.calls++;
    if (d.type === 'answered') tally[d.onTime ? 'onTime' : 'late']++;
    if (d.type === 'missed') tally.missed++;
  };
  const runner = new CoreRunner(config, clock, ({ decisions }) => {
    for (const d of decisions) {
      count(d);
      print(d.t, d.line, describeDecision(d));
    }
  });

  const day = officeDay(config, { ...DEMO_DAY, seed: options.seed, durationMs: options.durationMs });
  try {
    for (const event of day) {
      await sleepUntil(clock, event.t, options.speed, signal);
      if (signal?.aborted) break;
      if (event.type === 'presence') print(clock.now(), event.desk, event.state === 'away' ? 'stepped away' : 'is back');
      const { t: _t, ...untimed } = event as CoreEvent;
      runner.feed(untimed);
    }
    // Let the last calls ring out or finish before summing up.
    if (!signal?.aborted) await sleepUntil(clock, clock.now() + 15_000, options.speed, signal);
  } finally {
    runner.stop();
  }
  return tally;
}

function sleepUntil(clock: Clock, t: number, speed: number, signal?: AbortSignal): Promise<void> {
  const wait = (t - clock.now()) / speed;
  if (wait <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, wait);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function describeTally({ calls, onTime, late, missed }: DemoTally): string {
  const ended = onTime + late + missed;
  const level = ended === 0 ? '—' : `${Math.round((100 * onTime) / ended)} %`;
  return `${calls} calls: ${onTime} answered on time, ${late} late, ${missed} missed — service level ${level}`;
}
