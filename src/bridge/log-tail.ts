import { DateTime, IANAZone } from 'luxon';
import mqtt, { type IClientOptions } from 'mqtt';
import type { DeviceEvent } from '../devices/device-events.js';
import type { ThirdringConfig } from './config/schema.js';
import { describeDeviceEvent } from './console-log.js';
import type { Decision } from './core/index.js';
import { describeDecision, subjectOf } from './format.js';
import { brokerConnection, type BrokerConnection } from './mqtt/broker-connection.js';
import { machineTimeZone } from './report/local-time.js';

/** One entry of the `log` topic: a decision or a device event, with `ts`, `site` and `seq` added. */
export type LogEntry = { type: string; ts?: string; site?: string; seq?: number; line?: string; desk?: string } & Record<string, unknown>;

export interface LogFilter {
  site?: string;
  lines?: string[];
  types?: string[];
  since?: number;
}

const DECISION_TYPES = new Set([
  'ring', 'assign', 'unassigned', 'escalate', 'answered', 'missed', 'outgoing', 'ended', 'ring-stuck', 'alert', 'callback-owed', 'callback-overdue',
  'callback-closed', 'hold', 'hold-reminder', 'takeover', 'schedule',
]);

/** An `input` entry's core event (what the bridge fed the rules core: a burst, a hook, a presence change...). */
type InputEvent = { type: string; line?: string; desk?: string; from?: string; state?: string };
const inputOf = (entry: LogEntry): InputEvent => (typeof entry.event === 'object' && entry.event !== null ? (entry.event as InputEvent) : { type: '?' });

export function matchesFilter(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.site && entry.site !== filter.site) return false;
  const line = entry.type === 'input' ? inputOf(entry).line : entry.line;
  if (filter.lines && !(line !== undefined && filter.lines.includes(line))) return false;
  // Inputs (two per ring burst) are for replaying a day; shown only when asked for (--type input).
  if (filter.types ? !filter.types.includes(entry.type) : entry.type === 'input') return false;
  if (filter.since !== undefined && !(entry.ts && Date.parse(entry.ts) >= filter.since)) return false;
  return true;
}

/**
 * `2026-11-24 09:15:02  branch-01  front  ring 2`: the entry's time and the times in it (a callback's due and
 * missed times) in `timeZone`, the office's (the entries carry their site, not its zone).
 */
export function formatLogEntry(entry: LogEntry, timeZone = 'UTC'): string {
  const at = entry.ts ? Date.parse(entry.ts) : NaN;
  const when = Number.isNaN(at) ? (entry.ts ?? '?') : DateTime.fromMillis(at, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss');
  let what: string;
  if (DECISION_TYPES.has(entry.type)) what = `${subjectOf(entry as unknown as Decision)}  ${describeDecision(entry as unknown as Decision, timeZone)}`;
  else if (entry.type === 'device' || (entry.type === 'fault' && 'family' in entry)) what = describeDeviceEvent(entry as unknown as DeviceEvent);
  else if (entry.type === 'desk-action') what = `${entry.desk}  pressed ${String(entry.action)}`;
  else if (entry.type === 'input') what = describeInput(inputOf(entry));
  else what = JSON.stringify(entry);
  return `${when}  ${entry.site ?? '?'}  ${what}`;
}

/** `front  input ring on`, `anna  input hook off front`, `chloe  input takeover on from anna` */
function describeInput(event: InputEvent): string {
  const subject = event.desk ?? event.line ?? '?';
  const rest = [event.state, event.desk !== undefined ? event.line : undefined, event.from !== undefined ? `from ${event.from}` : undefined];
  return `${subject}  input ${[event.type, ...rest].filter((part) => part !== undefined).join(' ')}`;
}

/** "15m", "2h", "1d" or an ISO time → epoch ms. */
export function parseSince(text: string, now = Date.now()): number {
  const relative = /^(\d+)\s*([smhd])$/.exec(text);
  if (relative) return now - Number(relative[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) throw new Error(`--since: expected 15m, 2h, 1d or an ISO time, got "${text}"`);
  return absolute;
}

/**
 * The zone `thirdring log` shows times in: --tz, else the config's `timezone` (with --config), else this
 * machine's. Throws a message for the user on an unknown zone.
 */
export function logTimeZone(flag: string | undefined, config: ThirdringConfig | null): string {
  const zone = flag ?? config?.timezone ?? machineTimeZone();
  if (!IANAZone.isValidZone(zone)) throw new Error(`--tz: unknown time zone "${zone}": expected an IANA zone like Europe/Amsterdam`);
  return zone;
}

const DEFAULT_URL = 'mqtt://127.0.0.1:1883';

/**
 * Where `thirdring log` connects: with a bridge config, its broker as the bridge and the recorder reach it (the
 * embedded one on its host and port, an external one with the config's credentials and TLS files); --url,
 * --username and --password override. Throws a message for the user (a TLS file that cannot be read).
 */
export function logConnection(flags: { url?: string | undefined; username?: string | undefined; password?: string | undefined }, config: ThirdringConfig | null): BrokerConnection {
  let broker: BrokerConnection = { url: DEFAULT_URL, options: {} };
  if (config) {
    try {
      broker = brokerConnection(config.mqtt);
    } catch (error) {
      throw new Error(`mqtt: ${(error as Error).message}`);
    }
  }
  return {
    url: flags.url ?? broker.url,
    options: { ...broker.options, ...(flags.username ? { username: flags.username } : {}), ...(flags.password ? { password: flags.password } : {}) },
  };
}

export interface TailOptions {
  url: string;
  /** Credentials and TLS files (see logConnection). */
  connect?: IClientOptions;
  filter: LogFilter;
  json: boolean;
  /** Readable lines show times in this zone (default UTC). */
  timeZone?: string;
  write: (line: string) => void;
  onError: (message: string) => void;
}

/** Subscribes to the log of one site (or all) and writes each matching entry; malformed entries are skipped. */
export function tailLog(options: TailOptions): mqtt.MqttClient {
  const topic = `thirdring/${options.filter.site ?? '+'}/log`;
  const client = mqtt.connect(options.url, { ...options.connect, protocolVersion: 4, reconnectPeriod: 2000 });
  client.on('connect', () => client.subscribe(topic, { qos: 1 }));
  client.on('error', (error) => options.onError(error.message));
  client.on('message', (_topic, payload) => {
    let entry: LogEntry;
    try {
      entry = JSON.parse(payload.toString('utf8'));
      if (typeof entry?.type !== 'string') return;
    } catch {
      return;
    }
    if (!matchesFilter(entry, options.filter)) return;
    options.write(options.json ? JSON.stringify(entry) : formatLogEntry(entry, options.timeZone));
  });
  return client;
}
