import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { SimulatedDeskUnit } from '../../firmware-sim/desk-unit-sim.js';
import { BUSY_DAY, officeDay, type OfficeDayOptions } from '../../firmware-sim/office-day.js';
import { openPtyPair, type PtyPair } from '../../firmware-sim/pty-pair.js';
import { seededRandom } from '../../firmware-sim/random.js';
import { RingSensorEmulator } from '../../firmware-sim/ring-sensor-emulator.js';
import { RingSensorFeature } from '../devices/ring-sensor/feature.js';
import { Bridge } from './bridge.js';
import { loadConfigFile, toCoreConfig } from './config/load.js';
import type { ThirdringConfig } from './config/schema.js';
import { ConsoleLog } from './console-log.js';
import { lineStatus, type CoreEvent } from './core/index.js';
import { DashboardFeature } from './dashboard/dashboard-feature.js';
import type { TodaySummary } from './dashboard/today.js';
import { MqttFeature } from './mqtt/mqtt-feature.js';
import { RecorderFeature } from './recorder/recorder-feature.js';
import { topicsFor } from './mqtt/topics.js';

export interface DemoOptions {
  configFile: string;
  seed: number;
  durationMs: number;
  /** Preferred ports; a busy one is replaced by a free one. */
  ports?: { mqtt: number; ws: number; dashboard: number };
  write: (line: string) => void;
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
  stop(): Promise<TodaySummary>;
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
  const pty: PtyPair | null = sensorsAvailable ? await openPtyPair() : null;
  if (!pty) options.write('note: socat is not installed, so the simulated ring sensors feed the bridge directly (apt install socat for the serial path)');
  const config: ThirdringConfig = {
    ...loaded,
    dataDir: mkdtempSync(join(tmpdir(), 'thirdring-demo-')),
    mqtt: { ...loaded.mqtt, url: 'embedded', host: '127.0.0.1', port: await freeOr(preferred.mqtt), wsPort: await freeOr(preferred.ws) },
    dashboard: { enabled: true, host: '127.0.0.1', port: await freeOr(preferred.dashboard) },
    recorder: { ...loaded.recorder, enabled: true },
    lines: loaded.lines.map((line, i) => (pty && i < 4 ? { ...line, sensor: { serial: pty.hostPath, channel: i + 1, baudRate: 115200 } } : line)),
  };

  const bridge = new Bridge(config);
  const mqttFeature = new MqttFeature(bridge);
  const dashboard = new DashboardFeature(bridge, mqttFeature);
  const recorder = new RecorderFeature(bridge, mqttFeature, (message) => options.write(`recorder: ${message}`));
  bridge.use(new ConsoleLog(bridge, options.write, false)).use(mqttFeature).use(recorder).use(dashboard);
  const emulator = pty ? new RingSensorEmulator(pty.devicePath) : null;
  await emulator?.start();
  if (pty) bridge.use(new RingSensorFeature(bridge));
  await bridge.start();
  const brokerUrl = mqttFeature.broker!.url;

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
        const lit = lineStatus(bridge.runner.state, event.line).desk;
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
  const startedAt = performance.now();
  const finished = (async () => {
    for (const event of officeDay(coreConfig, { ...DEMO_DAY, seed: options.seed, durationMs: options.durationMs })) {
      while (!stopped && performance.now() - startedAt < event.t) await sleep(Math.min(250, event.t - (performance.now() - startedAt)));
      if (stopped) return;
      play(event);
    }
  })();

  return {
    bridge,
    dashboardUrl: dashboard.url!,
    brokerUrl,
    sensorPath: pty?.hostPath ?? null,
    ringLogPath: recorder.databasePath,
    finished,
    async stop() {
      stopped = true;
      await finished;
      const summary = dashboard.today.summary();
      await Promise.all([...units.values()].map((unit) => unit.client?.endAsync(true)));
      await pbx.endAsync(true);
      await bridge.stop();
      await emulator?.stop();
      await pty?.close();
      rmSync(config.dataDir, { recursive: true, force: true });
      return summary;
    },
  };
}

export function describeSummary({ calls, answeredOnTime, answeredLate, missed, serviceLevel }: TodaySummary): string {
  return `${calls} calls: ${answeredOnTime} answered on time, ${answeredLate} late, ${missed} missed — service level ${serviceLevel === null ? '—' : `${serviceLevel} %`}`;
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
