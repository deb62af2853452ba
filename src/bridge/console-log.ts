import { accessSync, constants, existsSync } from 'node:fs';
import type { DeviceEvent } from '../common/device-events.js';
import type { AsteriskFeature } from './device-features/asterisk-feature.js';
import type { DeskBoardFeature } from './device-features/desk-board-feature.js';
import type { HeadsetFeature } from './device-features/headset-feature.js';
import type { RingSensorFeature } from './device-features/ring-sensor-feature.js';
import type { Bridge, Feature } from './bridge.js';
import type { Decision } from '../core/index.js';
import type { DashboardFeature } from './dashboard/dashboard-feature.js';
import type { MqttFeature } from './mqtt/mqtt-feature.js';
import type { RecorderFeature } from './recorder/recorder-feature.js';
import { decisionView, describeDeviceEvent } from './wording.js';

type DeviceState = Extract<DeviceEvent, { type: 'device' }>;

export interface ConsoleLogOptions {
  /** JSON Lines, each record with an ISO `ts`, instead of lines a person reads. */
  json?: boolean;
  /** Device online/offline events not worth a line (the demo's own simulated devices); faults always print. */
  quiet?: (event: DeviceState) => boolean;
  /** Hold every line back until `begin()` has written what comes first (the start-up report, the demo's banner). */
  holdUntilBegin?: boolean;
}

/** Writes decisions and device events to a stream: JSON Lines with an ISO `ts`, or lines a person reads. */
export class ConsoleLog implements Feature {
  readonly name = 'console-log';
  // Behind the desk commands (Bridge.afterCommands): a line written to a pipe wakes its reader, which on a small
  // machine takes a CPU the broker and the desk's client need while the command is on its way.
  private readonly onDecision = (d: Decision) =>
    this.bridge.afterCommands.defer(() => {
      const { subject, text } = decisionView(d, this.bridge.config.timezone);
      this.write(d, `${subject}  ${text}`, d.t);
    });
  private readonly onDevice = (e: DeviceEvent) => {
    if (e.type === 'device' && this.options.quiet?.(e)) return;
    const now = this.bridge.clock.now();
    this.bridge.afterCommands.defer(() => this.write(e, describeDeviceEvent(e), now));
  };
  private held: string[] | null;

  constructor(
    private readonly bridge: Bridge,
    private readonly out: (line: string) => void,
    private readonly options: ConsoleLogOptions = {},
  ) {
    this.held = options.holdUntilBegin ? [] : null;
  }

  start(): void {
    this.bridge.listen(this, 'decision', this.onDecision);
    this.bridge.listen(this, 'device', this.onDevice);
  }

  stop(): void {
    this.bridge.unlisten(this);
    this.bridge.afterCommands.flush();
    this.begin([]);
  }

  /** A line as it is (held back like the others until `begin()`). */
  note(line: string): void {
    if (this.held) this.held.push(line);
    else this.out(line);
  }

  /** Writes `first`, then the lines held back so far; from now on lines go out as they come. */
  begin(first: readonly string[]): void {
    const held = this.held ?? [];
    this.held = null;
    for (const line of [...first, ...held]) this.out(line);
  }

  private write(item: object, text: string, t: number): void {
    const ts = new Date(t).toISOString();
    this.note(this.options.json ? JSON.stringify({ ...item, ts }) : `${ts}  ${text}`);
  }
}

/** "1 call", "2 calls". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/**
 * What `thirdring start` opened, and what it did not (yet): the first record of `--json` output,
 * `{"type":"startup",...}`. Devices that are not online keep being retried; their `online` event follows.
 */
export interface StartupRecord {
  type: 'startup';
  ts: string;
  site: string;
  config: string;
  ringSensors: SensorStartup[];
  mqtt:
    | { broker: 'embedded'; url: string; listen: string; websocket: string | null }
    | { broker: 'external'; url: string; connected: boolean; detail?: string };
  /** The floor page's URL; null when dashboard.enabled is false. */
  floorPage: string | null;
  /** The ring log database of the recorder inside the bridge; null when recorder.enabled is false. */
  recorderDatabase: string | null;
  /** Where the bridge keeps its state (the outbox): the config's dataDir, or the state folder by default. */
  dataDir: string;
  deskBoards: { port: string; desks: string[]; state: 'online' | 'waiting' }[];
  headsets: { desk: string; state: 'online' | 'waiting' }[];
  /** The Asterisk PBX (`asterisk:`): logged in on its AMI, or not yet (retried); null when the config has none. */
  pbx: { server: string; state: 'online' | 'waiting'; detail?: string } | null;
}

export interface SensorStartup {
  port: string;
  lines: string[];
  /**
   * online: it answered (HELLO or heartbeat); silent: the port is open, nothing answers yet (it is pinged until
   * it does); missing: no such port; cannot-open: the port is there but could not be opened (both reopened with
   * backoff, 0.5 s → 10 s). A sensor that comes online later gets its `online` device event then.
   */
  state: 'online' | 'silent' | 'missing' | 'cannot-open';
  firmware?: string;
  detail?: string;
}

export interface StartupParts {
  configFile: string;
  mqtt: MqttFeature;
  dashboard: DashboardFeature | null;
  recorder: RecorderFeature | null;
  ringSensors: RingSensorFeature;
  deskBoards: DeskBoardFeature;
  headsets: HeadsetFeature;
  asterisk?: AsteriskFeature;
}

/** How long the start-up report waits for devices to answer: an Uno resets when its port opens and boots in ~2 s. */
const STARTUP_WAIT_MS = 3000;

/**
 * Watches device events from before the bridge starts, then says what was opened: `report()` waits until every
 * device has answered or failed to open (at most a few seconds, or until `cancelled` resolves).
 */
export class StartupWatch {
  /** `${family} ${device}` → the detail of its online event, for devices online now. */
  private readonly online = new Map<string, string | undefined>();
  private readonly onDevice = (e: DeviceEvent) => {
    if (e.type !== 'device') return;
    if (e.state === 'online') this.online.set(`${e.family} ${e.device}`, e.detail);
    else this.online.delete(`${e.family} ${e.device}`);
  };

  constructor(private readonly bridge: Bridge) {
    // Made before the bridge starts, so it hears the first devices come online; stops listening once reported.
    bridge.listen(this, 'device', this.onDevice);
  }

  async report(parts: StartupParts, cancelled?: Promise<unknown>, waitMs = STARTUP_WAIT_MS): Promise<StartupRecord> {
    let brokerError: string | undefined;
    const client = parts.mqtt.broker ? null : parts.mqtt.client;
    const onError = (error: Error) => (brokerError = error.message);
    client?.on('error', onError);
    let stop = false;
    void cancelled?.then(() => (stop = true));
    const deadline = Date.now() + waitMs;
    const settled = () =>
      parts.ringSensors.sensors.every((s) => this.online.has(`ring-sensor ${s.device}`) || s.counters.reconnects > 0 || !existsSync(s.device)) &&
      parts.deskBoards.boards.every((b) => b.isOnline || !existsSync(b.device)) &&
      [...parts.headsets.headsets.values()].every((h) => h.isOnline) &&
      (!parts.asterisk?.pbx || parts.asterisk.pbx.isOnline || parts.asterisk.pbx.counters.reconnects > 0) &&
      (!client || client.connected || brokerError !== undefined);
    while (!stop && Date.now() < deadline && !settled()) await new Promise((resolve) => setTimeout(resolve, 50));
    client?.off('error', onError);
    this.bridge.unlisten(this);
    return this.record(parts, brokerError);
  }

  private record(parts: StartupParts, brokerError: string | undefined): StartupRecord {
    const { config } = this.bridge;
    const linesOn = (port: string) => config.lines.filter((l) => l.sensor?.serial === port).map((l) => l.id);
    const broker = parts.mqtt.broker;
    const { host } = config.mqtt;
    const bracketed = host.includes(':') ? `[${host}]` : host;
    return {
      type: 'startup',
      ts: new Date(this.bridge.clock.now()).toISOString(),
      site: config.site,
      config: parts.configFile,
      ringSensors: parts.ringSensors.sensors.map((sensor): SensorStartup => {
        const port = sensor.device;
        const lines = linesOn(port);
        const key = `ring-sensor ${port}`;
        if (this.online.has(key)) return { port, lines, state: 'online', ...(sensor.firmware ? { firmware: sensor.firmware } : {}) };
        if (!existsSync(port)) return { port, lines, state: 'missing', detail: 'no such port (unplugged? thirdring devices lists the ports)' };
        if (sensor.counters.reconnects > 0) {
          return { port, lines, state: 'cannot-open', detail: readWritable(port) ? 'the port could not be opened' : 'no permission (is the user in the dialout group?)' };
        }
        return { port, lines, state: 'silent', detail: 'the port is open, but no ring sensor answers (wrong port or baud rate?)' };
      }),
      mqtt: broker
        ? { broker: 'embedded', url: broker.url, listen: `${bracketed}:${broker.port}`, websocket: broker.wsPort ? `ws://${bracketed}:${broker.wsPort}` : null }
        : {
            broker: 'external',
            url: withoutCredentials(config.mqtt.url),
            connected: parts.mqtt.client?.connected === true,
            ...(parts.mqtt.client?.connected || brokerError === undefined ? {} : { detail: brokerError }),
          },
      floorPage: parts.dashboard?.url ?? null,
      recorderDatabase: parts.recorder?.databasePath ?? null,
      dataDir: config.dataDir,
      deskBoards: parts.deskBoards.boards.map((b) => ({ port: b.device, desks: b.desks, state: b.isOnline ? 'online' : 'waiting' })),
      headsets: [...parts.headsets.headsets].map(([desk, h]) => ({ desk, state: h.isOnline ? 'online' : 'waiting' })),
      pbx: pbxStartup(parts.asterisk?.pbx ?? null),
    };
  }
}

/** The start-up record as lines a person reads (the last one says the bridge is running). */
export function describeStartup(record: StartupRecord): string[] {
  const out = [`thirdring start: site ${record.site}, config ${record.config}`];
  const retrying = 'retrying every 0.5–10 s; an "online" line follows when it answers';
  if (record.ringSensors.length === 0) out.push('  ring sensors: none in the config (lines[].sensor)');
  for (const s of record.ringSensors) {
    const lines = `${s.lines.length === 1 ? 'line' : 'lines'} ${s.lines.join(', ')}`;
    if (s.state === 'online') out.push(`  ring sensor ${s.port} (${lines}): online${s.firmware ? `, ${s.firmware}` : ''}`);
    else if (s.state === 'silent') out.push(`  ring sensor ${s.port} (${lines}): NOT ANSWERING — ${s.detail}; asked again (PING) until it does; an "online" line follows when it answers`);
    else out.push(`  ring sensor ${s.port} (${lines}): ${s.state === 'missing' ? 'MISSING' : 'CANNOT OPEN'} — ${s.detail}; ${retrying}`);
  }
  const { mqtt } = record;
  if (mqtt.broker === 'embedded') {
    out.push(`  MQTT broker: embedded, listening on ${mqtt.listen} (${mqtt.url})${mqtt.websocket ? `, websocket ${mqtt.websocket}` : ''}`);
  } else {
    out.push(`  MQTT broker: ${mqtt.url}${mqtt.connected ? ', connected' : `: NOT CONNECTED${mqtt.detail ? ` (${mqtt.detail})` : ''} — retrying every second; the ring log waits in the outbox`}`);
  }
  out.push(`  floor page:  ${record.floorPage ?? 'off (dashboard.enabled: false)'}`);
  out.push(`  ring log:    ${record.recorderDatabase ? `recorded into ${record.recorderDatabase}` : 'not recorded here (recorder.enabled: false)'}`);
  out.push(`  data:        ${record.dataDir} (outbox.sqlite)`);
  for (const b of record.deskBoards) {
    out.push(`  desk board ${b.port} (${plural(b.desks.length, 'desk')}): ${b.state === 'online' ? 'online' : `NOT ONLINE YET — ${retrying}`}`);
  }
  for (const h of record.headsets) out.push(`  headset of ${h.desk}: ${h.state === 'online' ? 'online' : 'NOT FOUND YET — looked for every 2 s; an "online" line follows when it is plugged in'}`);
  const { pbx } = record;
  if (pbx) {
    out.push(`  PBX (Asterisk AMI) ${pbx.server}: ${pbx.state === 'online' ? `online${pbx.detail ? `, ${pbx.detail}` : ''}` : 'NOT LOGGED IN YET — retrying every 0.5–30 s; an "online" line follows when it logs in'}`);
  }
  out.push('thirdring: running — Ctrl-C to stop');
  return out;
}

function pbxStartup(pbx: AsteriskFeature['pbx']): StartupRecord['pbx'] {
  if (!pbx) return null;
  if (!pbx.isOnline) return { server: pbx.device, state: 'waiting' };
  return { server: pbx.device, state: 'online', ...(pbx.banner ? { detail: pbx.banner } : {}) };
}

function readWritable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
