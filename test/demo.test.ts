import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startDemo } from '../src/demo/demo.js';
import { until } from './mqtt-helpers.js';
import { itWithTools } from './system-tools.js';

describe('thirdring demo (npm start)', () => {
  itWithTools(['socat'], 'runs the office through the emulated serial sensor, the broker, desk units and the floor page', async () => {
    const lines: string[] = [];
    // Seed 7: the counter line rings within half a second and is answered a few seconds later.
    const demo = await startDemo({ configFile: 'examples/demo-office.yaml', seed: 7, durationMs: 9_000, ports: { mqtt: 0, ws: 0, dashboard: 0 }, write: (l) => lines.push(l) });
    try {
      expect(demo.sensorPath).not.toBeNull();
      await until('ring 1 from the sensor', () => lines.find((l) => /counter {2}ring 1$/.test(l)), 5000);
      const assigned = await until('assignment', () => lines.find((l) => /counter {2}→ \S+ answers \(nearest free\)/.test(l)));
      const desk = /→ (\S+) answers/.exec(assigned)![1]!;
      await until('answered', () => lines.find((l) => /counter {2}answered at \S+ after/.test(l)), 8000);
      const floor = await fetch(new URL('/api/floor', demo.dashboardUrl)).then((r) => r.json());
      expect(floor.desks).toHaveLength(20);
      expect(floor.lines.map((l: { id: string }) => l.id)).toEqual(['counter', 'back-office', 'mortgages', 'fax-line']);
      expect(desk).toMatch(/^teller-/);
    } finally {
      const summary = await demo.stop();
      expect(summary.calls).toBeGreaterThanOrEqual(1);
    }
  }, 30_000);
});

describe('thirdring demo as a process: what a new user sees', () => {
  // The demo's preferred ports, held the way Debian's mosquitto service and some web server would hold them.
  const holders: Server[] = [];
  beforeAll(async () => {
    for (const port of [1883, 8080]) {
      const holder = createServer();
      // Already taken by something else on this machine: busy either way.
      await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(port, '127.0.0.1', () => resolve()));
      holders.push(holder);
    }
  });
  afterAll(() => holders.forEach((h) => h.listening && h.close()));

  /** `thirdring demo` in a process group of its own, as a terminal runs it: Ctrl-C goes to the whole group. */
  function demo(seed: number) {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--minutes', '0.2', '--seed', String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lines: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return {
      lines,
      stderr: () => stderr,
      /** Ctrl-C: SIGINT to the process group (node and anything it started in its group); then its exit code. */
      async ctrlC() {
        process.kill(-child.pid!, 'SIGINT');
        const timeout = setTimeout(() => child.kill('SIGTERM'), 10_000);
        const code = await exited;
        clearTimeout(timeout);
        return code;
      },
    };
  }

  /** "46 calls: 30 on time, 11 late, 4 missed, 1 still ringing — service level 30 of 45 finished calls = 66.7 %" */
  function checkSummary(lines: string[]) {
    const summary = lines.at(-1)!;
    const m = /^(\d+) calls?: (\d+) on time, (\d+) late, (\d+) missed(?:, (\d+) still ringing)? — (?:service level (\d+) of (\d+) finished calls? = ([\d.]+) %|no call has finished yet, so no service level)$/.exec(summary);
    expect(m, summary).not.toBeNull();
    const [calls, onTime, late, missed, ringing = 0, levelOnTime, levelOf, percent] = m!.slice(1).map((n) => (n === undefined ? undefined : Number(n)));
    expect(onTime! + late! + missed! + ringing).toBe(calls);
    expect(calls).toBeGreaterThanOrEqual(1);
    if (onTime! + late! + missed! === 0) expect(levelOf).toBeUndefined();
    else {
      expect([levelOnTime, levelOf]).toEqual([onTime, onTime! + late! + missed!]);
      expect(percent).toBe(Math.round((1000 * onTime!) / levelOf!) / 10);
    }
    // And they are the decisions printed: a call starts at ring 1.
    const decisions = lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(decisions.filter((l) => / {2}ring 1$/.test(l))).toHaveLength(calls!);
    expect(decisions.filter((l) => /answered .* — on time$/.test(l))).toHaveLength(onTime!);
    expect(decisions.filter((l) => /answered .* — LATE$/.test(l))).toHaveLength(late!);
    expect(decisions.filter((l) => / {2}MISSED after/.test(l))).toHaveLength(missed!);
    return { calls: calls!, finished: onTime! + late! + missed!, ringing };
  }

  itWithTools(['socat'], 'prints the banner and URL first, says which busy ports it moved from, no simulated device chatter; Ctrl-C: a summary and no alarms', async () => {
    const run = demo(1);
    await until('the first decision', () => run.lines.find((l) => / {2}ring 1$/.test(l)), 15_000);
    expect(run.lines[0]).toBe('thirdring demo: examples/demo-office.yaml, seed 1, 0.2 simulated minutes in real time');
    const url = /^ {2}floor page: +(http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(run.lines[1]!);
    expect(url, run.lines[1]).not.toBeNull();
    const brokerPort = /^ {2}MQTT broker: mqtt:\/\/127\.0\.0\.1:(\d+) /.exec(run.lines[2]!)![1];
    expect(run.lines).toContain(`  port 8080 is in use (another web server?): the floor page is on ${url![2]} instead`);
    expect(run.lines).toContain(`  port 1883 is in use (another MQTT broker?): the demo's broker is on ${brokerPort} instead`);
    // It still runs: the floor page answers with the office.
    expect((await fetch(new URL('/api/floor', url![1])).then((r) => r.json())).desks).toHaveLength(20);
    const banner = run.lines.findIndex((l) => l.startsWith('Ctrl-C stops the demo'));
    expect(banner).toBeGreaterThan(2);
    expect(run.lines.findIndex((l) => /^\d{4}-/.test(l))).toBe(banner + 1);

    expect(await run.ctrlC()).toBe(0);
    expect(run.lines.filter((l) => /desk-unit|ring-sensor|OFFLINE|recorder:/.test(l))).toEqual([]);
    expect(run.lines.at(-2)).toMatch(/^Stopped after \d+ s of the day's 12 s\.$/);
    expect(checkSummary(run.lines).ringing).toBe(1);
    expect(run.stderr()).toBe('');
  }, 30_000);

  itWithTools(['socat'], 'Ctrl-C with a call finished and one ringing: the summary adds up, and the service level is of the finished calls', async () => {
    // Seed 7: the counter line is answered at ~4.4 s while back-office rings from ~2.6 s.
    const run = demo(7);
    await until('an answered call', () => run.lines.find((l) => / {2}answered .* — (on time|LATE)$/.test(l)), 15_000);
    expect(await run.ctrlC()).toBe(0);
    const { finished, ringing } = checkSummary(run.lines);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(ringing).toBeGreaterThanOrEqual(1);
    expect(run.lines.filter((l) => /OFFLINE/.test(l))).toEqual([]);
  }, 30_000);
});
