// npm run bench — `thirdring replay` as a whole process (issue #13): the 1,000-line × 10,000-desk busy day with the
// default escalation (everyone lit at ring 3), events piped into `thirdring replay <config> -` and the decisions
// piped out to a reader that counts bytes and the longest line; beside it the core alone on the same events in
// this process, so the cost of the process (start-up, config, reading, writing) shows. Then 2,000,000 events
// streamed from a generator, for the replay process's peak memory.
// Targets: ≥ 200,000 events/s through the pipes; peak RSS ≤ 250 MB at 2,000,000 events; longest line ≤ 1 KB.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, toCoreConfig } from '../src/bridge/config/load.js';
import { createCoreState, defaultEscalation, step, type CoreConfig, type CoreEvent } from '../src/core/index.js';
import { BUSY_DAY, officeDay } from '../firmware-sim/office-day.js';
import { bigOffice } from './big-office.js';

const DESKS = 10_000;
const LINES = 1_000;
const STREAMED_EVENTS = 2_000_000;
const cli = join(dirname(fileURLToPath(import.meta.url)), '../src/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'thirdring-replay-bench-'));

/** The benchmark office as a config file, with the default escalation (bigOffice limits "everyone" to 20 m). */
function writeConfig(): string {
  const office = bigOffice(DESKS, LINES);
  const file = join(dir, 'office.yaml');
  const config = {
    site: 'bench',
    timezone: 'UTC',
    dashboard: { enabled: false },
    desks: office.desks.map((d) => ({ id: d.id, at: [...d.at] })),
    lines: office.lines.map((l) => ({ id: l.id, phone: { at: [...l.phones[0]!] }, cadence: l.cadence })),
    rules: { answerBy: 3 },
  };
  writeFileSync(file, JSON.stringify(config)); // JSON is YAML
  return file;
}

const configFile = writeConfig();
const config = toCoreConfig(loadConfigFile(configFile));
if (JSON.stringify(config.rules.escalation) !== JSON.stringify(defaultEscalation(3))) throw new Error('expected the default escalation');

/** The core alone, events and the ticks it asks for, as `thirdring replay` runs it. */
function runCore(core: CoreConfig, events: readonly CoreEvent[]): { ticks: number; seconds: number } {
  const state = createCoreState(core);
  let wakeAt: number | null = null;
  let ticks = 0;
  const started = performance.now();
  for (const event of events) {
    while (wakeAt !== null && wakeAt <= event.t) {
      wakeAt = step(state, { t: wakeAt, type: 'tick' }).wakeAt;
      ticks++;
    }
    wakeAt = step(state, event).wakeAt;
  }
  return { ticks, seconds: (performance.now() - started) / 1000 };
}

interface ProcessRun {
  seconds: number;
  /** User + system CPU of the replay process, and its peak RSS (VmHWM), as last read from /proc before it exited. */
  cpuSeconds: number;
  peakRssMb: number;
  bytes: number;
  lines: number;
  longestLine: number;
  stderr: string;
  status: number | null;
}

/**
 * `node dist/src/cli.js replay <config> -` with `input` written to its stdin as fast as it takes it, and its stdout
 * read by a consumer that counts bytes, lines and the longest line. /proc/<pid> is read every 20 ms.
 */
async function runProcess(input: Iterable<string>): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'replay', configFile, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const run: ProcessRun = { seconds: 0, cpuSeconds: 0, peakRssMb: 0, bytes: 0, lines: 0, longestLine: 0, stderr: '', status: null };
  const poll = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) run.peakRssMb = Math.max(run.peakRssMb, Number(hwm[1]) / 1024);
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      run.cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
    } catch {
      // exited between two reads
    }
  };
  const poller = setInterval(poll, 20);
  let current = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    run.bytes += chunk.length;
    for (let from = 0; ; ) {
      const nl = chunk.indexOf(10, from);
      if (nl === -1) {
        current += chunk.length - from;
        break;
      }
      current += nl - from;
      if (current > run.longestLine) run.longestLine = current;
      current = 0;
      run.lines++;
      from = nl + 1;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (const chunk of input) {
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  run.status = await exited;
  clearInterval(poller);
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

/** Events as JSON Lines in ~64 KB strings. */
function* jsonLines(events: Iterable<CoreEvent>): Generator<string> {
  let chunk = '';
  for (const event of events) {
    chunk += JSON.stringify(event) + '\n';
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

let streamedEvents = 0;
function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  for (const item of items) {
    if (streamedEvents === count) return;
    streamedEvents++;
    yield item;
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const target = (ok: boolean) => (ok ? 'ok' : 'MISSED');
const check = (run: ProcessRun, what: string) => {
  if (run.status !== 0 || run.stderr !== '') throw new Error(`${what}: exit ${run.status}, stderr: ${run.stderr.slice(0, 500)}`);
};

const day = [...officeDay(config, BUSY_DAY)];
const dayInput = [...jsonLines(day)];
const core = runCore(config, day);
const empty = await runProcess([]);
check(empty, 'start-up');
const piped = await runProcess(dayInput);
check(piped, 'the day');
dayInput.length = 0;
const longDay = { ...BUSY_DAY, durationMs: 2 * BUSY_DAY.durationMs };
const streamed = await runProcess(jsonLines(take(officeDay(config, longDay), STREAMED_EVENTS)));
check(streamed, 'the stream');
rmSync(dir, { recursive: true, force: true });

const perSecond = (events: number, seconds: number) => fmt(events / seconds);
const pipedRate = day.length / piped.seconds;
const longest = Math.max(piped.longestLine, streamed.longestLine);
console.log(`replay: ${fmt(DESKS)} desks, ${fmt(LINES)} lines, default escalation, ${BUSY_DAY.durationMs / 3_600_000} h busy day: ${fmt(day.length)} events`);
console.log(`        core in-process: ${fmt(day.length)} events + ${fmt(core.ticks)} ticks in ${fmt(core.seconds, 2)} s → ${perSecond(day.length, core.seconds)} events/s`);
console.log(`        thirdring replay, stdin → stdout through pipes: ${fmt(piped.seconds, 2)} s (CPU ${fmt(piped.cpuSeconds, 1)} s) → ${fmt(pipedRate)} events/s   [target ≥ 200,000: ${target(pipedRate >= 200_000)}]`);
console.log(`          of which start-up and the 10,000-desk config: ${fmt(empty.seconds, 2)} s (CPU ${fmt(empty.cpuSeconds, 1)} s, peak RSS ${fmt(empty.peakRssMb)} MB, no events); after it ${perSecond(day.length, piped.seconds - empty.seconds)} events/s`);
console.log(`          output ${fmt(piped.lines)} lines, ${fmt(piped.bytes / 1e6, 1)} MB; peak RSS ${fmt(piped.peakRssMb)} MB`);
console.log(`        ${fmt(streamedEvents)} events streamed from a generator (${longDay.durationMs / 3_600_000} h day): ${fmt(streamed.seconds, 2)} s → ${perSecond(streamedEvents, streamed.seconds)} events/s, output ${fmt(streamed.lines)} lines, ${fmt(streamed.bytes / 1e6, 1)} MB`);
console.log(`          peak RSS of the replay process ${fmt(streamed.peakRssMb)} MB   [target ≤ 250 MB: ${target(streamed.peakRssMb <= 250)}]`);
console.log(`        longest output line ${fmt(longest)} bytes   [target ≤ 1 KB: ${target(longest <= 1024)}]`);
