import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import mqtt from 'mqtt';
import { SimulatedDeskUnit } from '../../firmware-sim/desk-unit-sim.js';
import { BUSY_DAY, officeDay, type OfficeDayOptions } from '../../firmware-sim/office-day.js';
import { openPtyPair, type PtyPair } from '../../firmware-sim/pty-pair.js';
import { seededRandom } from '../../firmware-sim/random.js';
import { RingSensorEmulator } from '../../firmware-sim/ring-sensor-emulator.js';
import type { Bridge } from '../bridge/bridge.js';
import { composeBridge } from '../bridge/compose.js';
import { loadConfigFile, toCoreConfig } from '../bridge/config/load.js';
import type { ThirdringConfig } from '../bridge/config/schema.js';
import { plural } from '../bridge/console-log.js';
import type { CoreEvent, Decision } from '../core/index.js';
import { topicsFor } from '../bridge/mqtt/topics.js';

export interface DemoOptions {
  configFile: string;
  seed: number;
  durationMs: number;
  /** Preferred ports; a busy one is replaced by a free one, and the banner says so. */
  ports?: { mqtt: number; ws: number; dashboard: number };
  /** The banner first (before any decision), then every decision and what is news about devices. */
  write: (line: string) => void;
}

/** What the demo's calls came to; the counts add up: calls = on time + late + missed + still ringing. */
export interface DemoSummary {
  /** Calls that rang (a call starts at its first ring). */
  calls: number;
  answeredOnTime: number;
  answeredLate: number;
  missed: number;
  /** Calls still ringing when the demo stopped: neither answered nor missed yet. */
  stillRinging: number;
  /** answeredOnTime + answeredLate + missed: what the service level is a share of. */
  finished: number;
  /** % of finished calls answered on time (one decimal); null before the first finished call. */
  serviceLevel: number | null;
  /** How long the demo ran, and whether the simulated day had ended by then. */
  ranMs: number;
  dayOver: boolean;
}

export interface RunningDemo {
  bridge: Bridge;
  dashboardUrl: string;
  brokerUrl: string;
  /** How the simulated ring sensors reach the bridge. */
  sensorPath: string | null;
  /** The ring log the demo records (in its data folder, removed on stop). */
  ringLogPath: string;
  /** Resolves when the simulated day is over. */
  finished: Promise<void>;
  stop(): Promise<DemoSummary>;
}

/** A lively branch: a call somewhere every ten seconds or so, people away now and then. */
const DEMO_DAY: OfficeDayOptions = {
  ...BUSY_DAY,
  meanCallGapMs: 40_000,
  meanTalkMs: 25_000,
  meanPresentMs: 4 * 60_000,
  meanAwayMs: 60_000,
};

/** Share of answers taken by the person at the desk the bridge lit (the rest: someone else nearby, or the line's phone). */
const ANSWERED_BY_LIT_DESK = 0.7;

/**
 * The whole product on a simulated office: the embedded broker, the bridge with its floor page, ring sensors
 * emulated on real pseudo-terminals (protocol v1, through the same serial adapter as real hardware), and a
 * simulated desk unit on every desk. People answer over the request API, as a PBX integration would.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const preferred = options.ports ?? { mqtt: 1883, ws: 8083, dashboard: 8080 };
  const loaded = loadConfigFile(options.configFile);
  const sensorsAvailable = hasSocat();
  // socat in a process group of its own: Ctrl-C must not pull the emulated sensor's port away while the demo stops.
  const pty: PtyPair | null = sensorsAvailable ? await openPtyPair(undefined, { ownProcessGroup: true }) : null;
  const ports = { mqtt: await freeOr(preferred.mqtt), ws: await freeOr(preferred.ws), dashboard: await freeOr(preferred.dashboard) };
  const dataDir = mkdtempSync(join(tmpdir(), 'thirdring-demo-'));
  // A process that exits without stop() (a second Ctrl-C) leaves no data folder behind either.
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeDataDir);
  const config: ThirdringConfig = {
    ...loaded,
    dataDir,
    mqtt: { ...loaded.mqtt, url: 'embedded', host: '127.0.0.1', port: ports.mqtt, wsPort: ports.ws },
    dashboard: { enabled: true, host: '127.0.0.1', port: ports.dashboard },
    recorder: { ...loaded.recorder, enabled: true },
    // Only simulated devices: the emulated sensor on the first four lines, desk units over MQTT; no real hardware.
    boards: [],
    desks: loaded.desks.map(({ headset: _headset, ...desk }) => desk),
    lines: loaded.lines.map(({ sensor: _sensor, ...line }, i) => (pty && i < 4 ? { ...line, sensor: { serial: pty.hostPath, channel: i + 1, baudRate: 115200 } } : line)),
  };

  let stopping = false;
  // The demo's own desk units and emulated sensor coming online (and going, as it stops) are not news; a fault,
  // or one of them dropping out while the day runs, is.
  const simulatedUnits = new Set(config.desks.map((d) => d.id));
  const simulated = (e: { family: string; device: string }) =>
    (e.family === 'desk-unit' && simulatedUnits.has(e.device)) || (e.family === 'ring-sensor' && e.device === pty?.hostPath);
  const { bridge, features } = composeBridge(config, {
    log: { write: options.write, quiet: (e) => simulated(e) && (e.state === 'online' || stopping) },
    // The banner names the ring log: "recording <topic> from <broker>" would only repeat it.
    recorderReport: (message) => void (message.startsWith('recording ') || features.log.note(`recorder: ${message}`)),
  });
  const { mqtt: mqttFeature, log: consoleLog } = features;
  const dashboard = features.dashboard!;
  const recorder = features.recorder!;
  const emulator = pty ? new RingSensorEmulator(pty.devicePath) : null;
  // The demo's own count, over its whole run (the floor page's "today" starts over at midnight).
  const tally = { calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0 };
  const count = (d: Decision) => {
    if (d.type === 'ring' && d.ring === 1) tally.calls++;
    else if (d.type === 'answered') tally[d.onTime ? 'answeredOnTime' : 'answeredLate']++;
    else if (d.type === 'missed') tally.missed++;
  };
  bridge.listen(tally, 'decision', count);
  try {
    await emulator?.start();
    await bridge.start();
  } catch (error) {
    await emulator?.stop();
    await pty?.close();
    process.off('exit', removeDataDir);
    removeDataDir();
    throw error;
  }
  const brokerUrl = mqttFeature.broker!.url;
  const wsPort = mqttFeature.broker!.wsPort;
  const dashboardUrl = dashboard.url!;

  const busy = (wanted: number, actual: number | null, why: string, instead: string): string[] =>
    wanted !== 0 && actual !== null && actual !== wanted ? [`  port ${wanted} is in use (${why}): ${instead} ${actual} instead`] : [];
  const portOf = (url: string) => Number(new URL(url).port);
  const sensorLines = Math.min(4, config.lines.length);
  consoleLog.begin([
    `thirdring demo: ${shortPath(options.configFile)}, seed ${options.seed}, ${plural(Math.round(options.durationMs / 60) / 1000, 'simulated minute')} in real time`,
    `  floor page:  ${dashboardUrl}`,
    `  MQTT broker: ${brokerUrl}   (try: mosquitto_sub -h 127.0.0.1 -p ${new URL(brokerUrl).port} -t 'thirdring/#' -v)`,
    `  ring log:    ${recorder.databasePath}   (removed when the demo stops)`,
    `  ring sensor: ${pty ? `emulated on ${pty.hostPath} (${plural(sensorLines, 'line')})` : 'fed directly: socat is not installed (apt install socat for the serial path)'}; ${plural(config.desks.length, 'simulated desk unit')}`,
    ...busy(preferred.dashboard, portOf(dashboardUrl), 'another web server?', 'the floor page is on'),
    ...busy(preferred.mqtt, portOf(brokerUrl), 'another MQTT broker?', "the demo's broker is on"),
    ...busy(preferred.ws, wsPort, "another MQTT broker's websockets?", "the floor page's live updates use"),
    'Ctrl-C stops the demo and prints the service level. Decisions as they are made:',
  ]);

  const units = new Map(config.desks.map((d) => [d.id, new SimulatedDeskUnit(d.id, config.site, brokerUrl)]));
  await Promise.all([...units.values()].map((unit) => unit.connect()));
  const pbx = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4, clientId: 'thirdring-demo-pbx' });

  const coreConfig = toCoreConfig(config);
  const channelOf = new Map(config.lines.map((l) => [l.id, l.sensor?.channel ?? 0]));
  const topics = topicsFor(config.site);
  const chance = seededRandom(options.seed + 1);
  /** Line → the desk that really picked up (often the one the bridge lit, not the generator's pick). */
  const answeredAt = new Map<string, string>();

  const play = (event: CoreEvent) => {
    if (event.type === 'ring' || (event.type === 'hook' && event.desk === undefined && event.line !== undefined)) {
      const line = event.line!;
      if (emulator && channelOf.get(line)) return emulator.edge(channelOf.get(line)!, event.type, event.state === 'on' ? 'on' : 'off');
      return bridge.input(event.type === 'ring' ? { type: 'ring', line, state: event.state } : { type: 'hook', line, state: event.state });
    }
    if (event.type === 'hook' && event.desk !== undefined && event.line !== undefined) {
      if (event.state === 'off') {
        const lit = bridge.lineStatus(event.line).desk;
        const desk = lit && chance() < ANSWERED_BY_LIT_DESK ? lit : event.desk;
        answeredAt.set(event.line, desk);
        pbx.publish(topics.request('hook'), JSON.stringify({ desk, line: event.line, state: 'off' }));
      } else {
        const desk = answeredAt.get(event.line) ?? event.desk;
        answeredAt.delete(event.line);
        pbx.publish(topics.request('hook'), JSON.stringify({ desk, state: 'on' }));
      }
      return;
    }
    if (event.type === 'hold' && event.line !== undefined) {
      // The desk that really took the call puts it on hold, with its desk unit's hold / resume.
      const desk = answeredAt.get(event.line) ?? event.desk;
      if (desk !== undefined) void units.get(desk)?.publishAction(event.state === 'on' ? 'hold' : 'resume');
      return;
    }
    if (event.type === 'presence') void units.get(event.desk)?.publishAction(event.state);
  };

  let stopped = false;
  let dayOver = false;
  const startedAt = performance.now();
  const finished = (async () => {
    for (const event of officeDay(coreConfig, { ...DEMO_DAY, seed: options.seed, durationMs: options.durationMs })) {
      while (!stopped && performance.now() - startedAt < event.t) await sleep(Math.min(250, event.t - (performance.now() - startedAt)));
      if (stopped) return;
      play(event);
    }
    dayOver = true;
  })();

  return {
    bridge,
    dashboardUrl,
    brokerUrl,
    sensorPath: pty?.hostPath ?? null,
    ringLogPath: recorder.databasePath,
    finished,
    async stop() {
      stopped = stopping = true;
      await finished;
      bridge.unlisten(tally);
      const finishedCalls = tally.answeredOnTime + tally.answeredLate + tally.missed;
      const summary: DemoSummary = {
        ...tally,
        // A call starts at ring 1 and finishes answered or missed: the others are ringing still.
        stillRinging: tally.calls - finishedCalls,
        finished: finishedCalls,
        serviceLevel: finishedCalls === 0 ? null : Math.round((1000 * tally.answeredOnTime) / finishedCalls) / 10,
        ranMs: performance.now() - startedAt,
        dayOver,
      };
      await Promise.all([...units.values()].map((unit) => unit.client?.endAsync(true)));
      await pbx.endAsync(true);
      await bridge.stop();
      await emulator?.stop();
      await pty?.close();
      process.off('exit', removeDataDir);
      removeDataDir();
      return summary;
    },
  };
}

/**
 * How the demo ended and what its calls came to, e.g. "46 calls: 30 on time, 11 late, 4 missed, 1 still ringing —
 * service level 30 of 45 finished calls = 66.7 %".
 */
export function describeSummary(summary: DemoSummary, durationMs: number): string[] {
  const { calls, answeredOnTime, answeredLate, missed, stillRinging, finished, serviceLevel } = summary;
  const day = minutes(durationMs);
  const ran = summary.dayOver
    ? `The simulated day (${day}) is over, and its last calls have ended`
    : summary.ranMs < durationMs
      ? `Stopped after ${minutes(summary.ranMs)} of the day's ${day}`
      : `Stopped after ${minutes(summary.ranMs)}: the day's ${day} had passed, its last calls were ending`;
  const level = serviceLevel === null ? 'no call has finished yet, so no service level' : `service level ${answeredOnTime} of ${plural(finished, 'finished call')} = ${serviceLevel} %`;
  return [
    `${ran}.`,
    `${plural(calls, 'call')}: ${answeredOnTime} on time, ${answeredLate} late, ${missed} missed${stillRinging > 0 ? `, ${stillRinging} still ringing` : ''} — ${level}`,
  ];
}

/** "12 s", "1 minute", "4.5 minutes". */
function minutes(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  return plural(Math.round(ms / 6000) / 10, 'minute');
}

/** The config file as given relative to here when it is below here (the demo's own is found by absolute path). */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function hasSocat(): boolean {
  return spawnSync('sh', ['-c', 'command -v socat'], { stdio: 'ignore' }).status === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `port` if it is free on loopback, else 0 (any free port). */
function freeOr(port: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}
