// npm run bench — ring → LED under load (hardening goal: the p99 while the serial port is flooded with 50,000 bad
// lines/s and the bridge's MQTT inputs with 1,000 garbage messages/s stays within 2× the idle p99 of the same run).
//
// Processes, each on its own event loop (see under-load-agents.ts):
//   socat         the pty pair;
//   thirdring     `node dist/src/cli.js start` on the pty's host side, embedded broker;
//   probe         the ring sensor on the pty's device side and a desk unit subscribed to desk/d1/set: it writes
//                 RING ON and times the blue `set` on its own clock, and generates no load;
//   serial-flood  bad lines written to the same pty between the real ones (whole lines, blocking writes);
//   mqtt-flood    garbage published to desk/<x>/action and bridge/request/<x>;
//   this one      starts and stops the phases, reads the bridge's RSS and CPU from /proc, and follows its log.
// Phases: idle calls, the same calls flooded, a few more after the flood. Prints; exits non-zero only when
// something broke (a process died, a ring never lit), never on a missed goal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { freePort } from './bench-kit.js';

// The goal's load and sample count; the environment can change them for a look around (UNDER_LOAD_LINES_PER_S,
// UNDER_LOAD_MESSAGES_PER_S, UNDER_LOAD_SAMPLES).
const TARGET_LINES_PER_S = Number(process.env.UNDER_LOAD_LINES_PER_S ?? 50_000);
const TARGET_MESSAGES_PER_S = Number(process.env.UNDER_LOAD_MESSAGES_PER_S ?? 1_000);
/** Calls per phase; p99 is by nearest rank (of 200: the third largest). */
const SAMPLES = Number(process.env.UNDER_LOAD_SAMPLES ?? 200);
const WARM_UP = 10;
const AFTER_SAMPLES = 30;
/** Between calls: long enough that each is a new call, varied so calls do not lock step with the 1 s timers. */
const GAP_MS = [60, 140] as const;
/** The load is "reached" at this share of the target. */
const REACHED = 0.95;

const here = fileURLToPath(new URL('.', import.meta.url));
const SITE = 'bench';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * p) - 1)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** Everything that counts as the benchmark breaking (not as a missed goal). */
const failures: string[] = [];

/** Every process this benchmark started, ended with it whatever happens. */
const children: ChildProcess[] = [];
let tearingDown = false;
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Rejects when any of them exits before it was stopped: every wait of the benchmark races it. */
let died: (error: Error) => void = () => {};
const someoneDied = new Promise<never>((_, reject) => (died = reject));
someoneDied.catch(() => {});
const unlessDied = <T>(promise: Promise<T>) => Promise.race([promise, someoneDied]);

/** A child speaking lines on stdin/stdout; an exit before `stop()` is a failure. */
function agent(name: string, child: ChildProcess) {
  children.push(child);
  const waiters: { prefix: string; resolve: (rest: string) => void; reject: (error: Error) => void }[] = [];
  const recent: string[] = [];
  let stopping = false;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    const index = waiters.findIndex((w) => line === w.prefix || line.startsWith(`${w.prefix} `));
    if (index < 0) return;
    const { prefix, resolve } = waiters.splice(index, 1)[0]!;
    resolve(line.slice(prefix.length + 1));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    if (stopping || tearingDown) return;
    const error = new Error(`${name} exited (${code}); last output:\n  ${recent.join('\n  ')}`);
    failures.push(error.message);
    for (const w of waiters.splice(0)) w.reject(error);
    died(error);
  });
  return {
    pid: child.pid!,
    send: (command: string) => child.stdin?.write(`${command}\n`),
    expect: (prefix: string) => unlessDied(new Promise<string>((resolve, reject) => waiters.push({ prefix, resolve, reject }))),
    async stop(command: string | null) {
      stopping = true;
      if (command) child.stdin?.write(`${command}\n`);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

const node = (script: string, args: string[], stdin = true) =>
  spawn(process.execPath, [join(here, script), ...args], { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'inherit'] });

/** VmRSS and VmHWM (peak) in kB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds in which some runnable task waited for a CPU (Linux PSI), or NaN without /proc/pressure. */
function cpuPressureSeconds(): number {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** The socat that openPtyPair started (a child of this process). */
function socatPid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8').trim())!;
      if (comm === 'socat' && Number(rest!.split(' ')[1]) === process.pid) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Starts counting CPU time; the result gives each process's share of one core, and the CPU pressure, since. */
function cpuMeter(processes: Record<string, number | null>) {
  const pids = Object.entries(processes).filter((e): e is [string, number] => e[1] !== null);
  const startedAt = performance.now();
  const pressureAt = cpuPressureSeconds();
  const before = pids.map(([, pid]) => cpuSeconds(pid));
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const share = Object.fromEntries(pids.map(([name, pid], i) => [name, (cpuSeconds(pid) - before[i]!) / seconds]));
    return { seconds, share, pressure: (cpuPressureSeconds() - pressureAt) / seconds };
  };
}
const percent = (share: number) => (Number.isNaN(share) ? 'n/a' : `${(share * 100).toFixed(0)}%`);

type LogEntry = { type: string; family?: string; reason?: string; count?: number; state?: string; ts: string };

// ---- setup ---------------------------------------------------------------------------------------------------

async function measure(hostPath: string, devicePath: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-'));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'office.yaml'),
    `site: ${SITE}\ndataDir: ${dir}\nmqtt: { port: ${port}, wsPort: false }\ndashboard: { enabled: false }\n` +
      `desks: [{ id: d1, at: [1, 1] }, { id: d2, at: [9, 9] }]\n` +
      `lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${hostPath}, channel: 1 } }]\n`,
  );
  // UNDER_LOAD_CPU_PROF=<dir>: the bridge writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.UNDER_LOAD_CPU_PROF ? ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', process.env.UNDER_LOAD_CPU_PROF] : [];
  const bridgeChild = spawn(process.execPath, [...profile, join(here, '../src/cli.js'), 'start', '--config', join(dir, 'office.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bridge = agent('thirdring start', bridgeChild);
  await Promise.race([bridge.expect('thirdring:'), sleep(15_000).then(() => Promise.reject(new Error('thirdring start did not report running in 15 s')))]);

  const probe = agent('probe', node('under-load-agents.js', ['probe', devicePath, url, `thirdring/${SITE}/desk/d1/set`]));
  const serialFlood = agent('serial-flood', node('under-load-agents.js', ['serial-flood', devicePath, String(TARGET_LINES_PER_S)]));
  const mqttFlood = agent('mqtt-flood', node('under-load-agents.js', ['mqtt-flood', url, SITE, String(TARGET_MESSAGES_PER_S)]));
  await Promise.all([probe.expect('ready'), serialFlood.expect('ready'), mqttFlood.expect('ready')]);

  const log: LogEntry[] = [];
  const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
  const statusAnswers = new Map<string, (body: Record<string, unknown>) => void>();
  client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString()) as Record<string, unknown>;
    if (topic.endsWith('/log')) log.push(body as LogEntry);
    else statusAnswers.get(body.transaction as string)?.(body);
  });
  await client.subscribeAsync([`thirdring/${SITE}/log`, `thirdring/${SITE}/bridge/response/status`], { qos: 1 });
  let transactions = 0;
  async function bridgeStatus(): Promise<{ outbox: { queued: number }; counters: { inboundDropped: number } }> {
    const transaction = `bench-${++transactions}`;
    const answer = new Promise<Record<string, unknown>>((resolve) => statusAnswers.set(transaction, resolve));
    await client.publishAsync(`thirdring/${SITE}/bridge/request/status`, JSON.stringify({ transaction }), { qos: 1 });
    return (await unlessDied(answer)) as never;
  }
  await sleep(1500);

  const processes = { bridge: bridge.pid, socat: socatPid(), probe: probe.pid, 'serial-flood': serialFlood.pid, 'mqtt-flood': mqttFlood.pid };
  type PhaseResult = { latencies: number[]; timeouts: number; cpu: ReturnType<ReturnType<typeof cpuMeter>> };
  async function calls(label: string, warmUp: number, samples: number): Promise<PhaseResult> {
    const meter = cpuMeter(processes);
    const result = probe.expect(`result ${label}`);
    probe.send(`calls ${label} ${warmUp} ${samples} ${GAP_MS[0]} ${GAP_MS[1]}`);
    const { latencies, timeouts } = JSON.parse(await result) as { latencies: number[]; timeouts: number };
    if (timeouts > 0) failures.push(`${label}: ${timeouts} ring(s) or hang-up(s) never reached desk/d1/set within 10 s`);
    return { latencies, timeouts, cpu: meter() };
  }

  /** The highest running count each fault reason has reported so far (FaultThrottle counts every fault). */
  const faultCounts = () => {
    const counts = new Map<string, number>();
    for (const e of log) if (e.type === 'fault') counts.set(`${e.family} ${e.reason}`, Math.max(counts.get(`${e.family} ${e.reason}`) ?? 0, e.count ?? 0));
    return counts;
  };

  // ---- phases --------------------------------------------------------------------------------------------------

  const idle = await calls('idle', WARM_UP, SAMPLES);

  const before = memory(bridge.pid);
  const baseline = faultCounts();
  const statusBefore = await bridgeStatus();
  const floodStartedAt = Date.now();
  const floodMeter = cpuMeter(processes);
  serialFlood.send('start');
  mqttFlood.send('start');
  const rssDuring: number[] = [];
  const sampler = setInterval(() => rssDuring.push(memory(bridge.pid).rss), 500);
  await sleep(2000);
  const flooded = await calls('flooded', 0, SAMPLES);
  const serialStopped = serialFlood.expect('stopped');
  const mqttStopped = mqttFlood.expect('stopped');
  serialFlood.send('stop');
  mqttFlood.send('stop');
  const serial = JSON.parse(await serialStopped) as { lines: number; bytes: number; ms: number; blockedMs: number; minLinesPerSecond: number };
  const messages = JSON.parse(await mqttStopped) as { messages: number; ms: number; minMessagesPerSecond: number };
  const floodCpu = floodMeter();
  clearInterval(sampler);
  const after = memory(bridge.pid);

  // Once the bridge has worked off what was still queued (no fault report for 1.2 s), one bad input per reason
  // makes every reason report again, with its exact running count.
  for (let quietSince = Date.now(), seen = log.length, deadline = Date.now() + 15_000; Date.now() - quietSince < 1200 && Date.now() < deadline; ) {
    await sleep(100);
    if (log.length !== seen) [quietSince, seen] = [Date.now(), log.length];
  }
  const probedAt = Date.now();
  serialFlood.send('probe');
  mqttFlood.send('probe');
  await Promise.all([serialFlood.expect('probed'), mqttFlood.expect('probed')]);
  await sleep(1000);
  let statusAfter = await bridgeStatus();
  for (let i = 0; i < 50 && statusAfter.outbox.queued > 0; i++) {
    await sleep(100);
    statusAfter = await bridgeStatus();
  }
  const final = faultCounts();
  const recovered = await calls('after', 0, AFTER_SAMPLES);
  const settled = memory(bridge.pid);

  // ---- report --------------------------------------------------------------------------------------------------

  const inFlood = (e: LogEntry) => Date.parse(e.ts) >= floodStartedAt && Date.parse(e.ts) < probedAt;
  const during = log.filter((e) => e.type === 'fault' && inFlood(e));
  const offline = log.filter((e) => e.type === 'device' && e.state === 'offline' && inFlood(e));
  const reasons = new Set(log.filter((e) => e.type === 'fault').map((e) => `${e.family} ${e.reason}`));
  const floodSeconds = (probedAt - floodStartedAt) / 1000;
  const byReason = new Map<string, number>();
  for (const e of during) byReason.set(`${e.family} ${e.reason}`, (byReason.get(`${e.family} ${e.reason}`) ?? 0) + 1);
  const counted = (prefixes: string[], probes: number) =>
    [...final].filter(([reason]) => prefixes.some((p) => reason.startsWith(p))).reduce((sum, [reason, n]) => sum + n - (baseline.get(reason) ?? 0), 0) - probes;
  const bridgeLines = counted(['ring-sensor bad-line:', 'ring-sensor sensor:'], 6);
  const bridgeMessages = statusAfter.counters.inboundDropped - statusBefore.counters.inboundDropped - 3;

  const lineRate = serial.lines / (serial.ms / 1000);
  const messageRate = messages.messages / (messages.ms / 1000);
  const row = (label: string, r: PhaseResult) => {
    const slowest = [...r.latencies].sort((a, b) => b - a).slice(0, 3).map((v) => v.toFixed(1));
    return (
      `  ${label.padEnd(16)} p50 ${ms(nearestRank(r.latencies, 0.5)).padStart(8)}   p99 ${ms(nearestRank(r.latencies, 0.99)).padStart(9)}   max ${ms(Math.max(...r.latencies)).padStart(9)}   ` +
      `(${r.latencies.length} calls in ${r.cpu.seconds.toFixed(1)} s; slowest ${slowest.join(', ')} ms; bridge CPU ${percent(r.cpu.share.bridge!)} of a core; CPU pressure ${percent(r.cpu.pressure)})`
    );
  };
  const ratio = nearestRank(flooded.latencies, 0.99) / nearestRank(idle.latencies, 0.99);
  const loadReached = lineRate >= REACHED * TARGET_LINES_PER_S && messageRate >= REACHED * TARGET_MESSAGES_PER_S;

  console.log(`under load: ring → LED, RING ON on the pty → thirdring start → desk/d1/set at a desk unit in its own process (${SAMPLES} calls per phase, p99 by nearest rank)`);
  console.log(row('idle', idle));
  console.log(row('flooded', flooded));
  console.log(row('after the flood', recovered));
  console.log(
    `  serial flood: ${int(TARGET_LINES_PER_S)} bad lines/s asked, ${int(lineRate)}/s written (lowest second ${int(serial.minLinesPerSecond)}/s; ` +
      `${(serial.bytes / serial.ms / 1000).toFixed(2)} MB/s; writer blocked on a full pty ${((serial.blockedMs / serial.ms) * 100).toFixed(1)}% of ${(serial.ms / 1000).toFixed(1)} s); ` +
      `the bridge counted ${int(bridgeLines)} of ${int(serial.lines)}`,
  );
  console.log(
    `  MQTT flood:   ${int(TARGET_MESSAGES_PER_S)} garbage messages/s asked, ${int(messageRate)}/s published (lowest second ${int(messages.minMessagesPerSecond)}/s); ` +
      `the bridge dropped ${int(bridgeMessages)} of ${int(messages.messages)}`,
  );
  console.log(
    `  bridge RSS:   ${mb(before.rss)} before the flood, ${mb(Math.max(...rssDuring, after.rss))} highest during, ${mb(after.rss)} right after, ` +
      `${mb(settled.rss)} after the last calls (VmHWM ${mb(settled.peak)}); outbox ${statusAfter.outbox.queued} queued after`,
  );
  console.log(
    `  CPU during the flood, share of one core: ${Object.entries(floodCpu.share).map(([name, share]) => `${name} ${percent(share)}`).join(', ')}; ` +
      `CPU pressure ${percent(floodCpu.pressure)} (${cpus().length} CPUs); ring sensor ${offline.length === 0 ? 'stayed online' : `went OFFLINE ${offline.length} time(s)`}`,
  );
  console.log(
    `  fault entries in the log during the flood: ${during.length} in ${floodSeconds.toFixed(1)} s (${(during.length / floodSeconds).toFixed(1)}/s; ` +
      `at most one a second for each of the ${reasons.size} reasons seen): ${[...byReason].map(([reason, n]) => `${reason} ×${n}`).join(', ')}`,
  );
  console.log(
    `  goal: flooded p99 ≤ 2 × idle p99 (same run): ×${ratio.toFixed(2)} → ${ratio <= 2 ? 'PASS' : 'MISS'}` +
      (loadReached ? '' : ` — but at ${int(lineRate)} lines/s and ${int(messageRate)} messages/s, under ${REACHED * 100}% of the load the goal asks for`),
  );
  const busiest = Math.max(idle.cpu.pressure, flooded.cpu.pressure);
  if (busiest > 0.1) {
    console.log(
      `  note: tasks waited for a CPU ${percent(idle.cpu.pressure)} of the idle phase and ${percent(flooded.cpu.pressure)} of the flooded one ` +
        `(this benchmark's own processes use about ${percent(Object.values(floodCpu.share).reduce((a, b) => a + b, 0))} of one core of ${cpus().length} while flooding): ` +
        'the tails measure the machine as much as the bridge',
    );
  }

  // ---- teardown ------------------------------------------------------------------------------------------------

  await client.endAsync();
  await Promise.all([probe.stop('quit'), serialFlood.stop('quit'), mqttFlood.stop('quit')]);
  const code = await bridge.stop(null);
  if (code !== 0) failures.push(`thirdring start exited with ${code} on SIGTERM`);
}

const pty = await openPtyPair();
try {
  await measure(pty.hostPath, pty.devicePath);
} catch (error) {
  failures.push((error as Error).message);
} finally {
  tearingDown = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exitCode === null && child.signalCode === null && new Promise((resolve) => child.once('exit', resolve))));
  await pty.close();
}
if (failures.length > 0) {
  console.error(`under load: FAILED\n  ${[...new Set(failures)].join('\n  ')}`);
  process.exit(1);
}
