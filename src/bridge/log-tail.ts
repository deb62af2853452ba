import { DateTime, IANAZone } from 'luxon';
import mqtt, { type IClientOptions } from 'mqtt';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ThirdringConfig } from './config/schema.js';
import { DECISION_TYPES } from '../core/index.js';
import { logEntryView } from './wording.js';
import { brokerConnection, type BrokerConnection } from './mqtt/broker-connection.js';
import { machineTimeZone } from './report/local-time.js';
import { defaultRecordDatabase } from './recorder/record-command.js';
import { RingLogReader } from './store/ring-log-reader.js';

/** One entry of the `log` topic: a decision or a device event, with `ts`, `site` and `seq` added. */
export type LogEntry = { type: string; ts?: string; site?: string; seq?: number; stream?: string; line?: string; desk?: string } & Record<string, unknown>;

export interface LogFilter {
  site?: string;
  lines?: string[];
  types?: string[];
  since?: number;
}

/** Every type of entry on the log topic: the decisions, device events and faults, desk buttons, and the core's inputs. */
export const LOG_TYPES: readonly string[] = [...DECISION_TYPES, 'device', 'fault', 'desk-action', 'input'];

/** `--type missed,answered` → the types; throws a message for the user naming the known types if one is not. */
export function parseTypes(text: string): string[] {
  const types = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = types.filter((type) => !LOG_TYPES.includes(type));
  if (types.length === 0 || unknown.length > 0) {
    const what = types.length === 0 ? 'expected one or more types' : `unknown type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => JSON.stringify(t)).join(', ')}`;
    throw new Error(`--type: ${what}; the types are ${LOG_TYPES.join(', ')}`);
  }
  return types;
}

/** The types for `thirdring log --help`, wrapped at `width` columns. */
export function describeLogTypes(width = 115): string {
  const words = `Types: ${LOG_TYPES.join(', ')}. input is what the bridge fed the rules core (ring bursts, hooks, presence...), shown only with --type input.`.split(' ');
  const lines = [''];
  for (const word of words) {
    const line = lines[lines.length - 1]!;
    if (line && line.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = line ? `${line} ${word}` : word;
  }
  return lines.join('\n');
}

export function matchesFilter(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.site && entry.site !== filter.site) return false;
  const line = entry.type === 'input' ? inputLine(entry) : entry.line;
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
  const { subject, text } = logEntryView(entry, timeZone);
  return `${when}  ${entry.site ?? '?'}  ${subject ? `${subject}  ` : ''}${text}`;
}

/** The line of an `input` entry's core event (a burst, a hook naming its line...), if it names one. */
function inputLine(entry: LogEntry): string | undefined {
  const event = entry.event;
  return typeof event === 'object' && event !== null && 'line' in event && typeof event.line === 'string' ? event.line : undefined;
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

/**
 * Where `thirdring log --since` reads the past from: a ring log database, or none (then --since only filters
 * live entries; `note` says so).
 */
export type LogHistorySource = { path: string; reader: RingLogReader } | { path: null; note: string };

/**
 * The ring log database for `thirdring log --since`: --db (it must be there and be a ring log: else throws a
 * message for the user); with --config, <dataDir>/<recorder.database>, where the bridge's recorder (and
 * `thirdring record --config`) records; else the database `thirdring record` keeps by default for the site, or
 * for every site. A database found but unreadable is a note, and the tail goes on live.
 */
export function openLogHistory(db: string | undefined, config: ThirdringConfig | null, site: string | undefined, env: NodeJS.ProcessEnv = process.env): LogHistorySource {
  if (db !== undefined) {
    try {
      return { path: db, reader: new RingLogReader(db) };
    } catch (error) {
      throw new Error(`--db ${(error as Error).message.startsWith(db) ? '' : `${db}: `}${(error as Error).message}`);
    }
  }
  const liveOnly = '--since filters live entries only';
  const candidates = config ? [resolve(config.dataDir, config.recorder.database)] : [...(site ? [defaultRecordDatabase(site, env)] : []), defaultRecordDatabase(undefined, env)];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    const why = config
      ? config.recorder.enabled
        ? `the bridge has recorded nothing into ${candidates[0]} yet`
        : `no ring log at ${candidates[0]} (the config's recorder.enabled is off)`
      : `no ring log database here to read the past from (give --db, or --config of a bridge that records; thirdring record keeps one in ${candidates.at(-1)})`;
    return { path: null, note: `${liveOnly}: ${why}` };
  }
  try {
    return { path, reader: new RingLogReader(path) };
  } catch (error) {
    return { path: null, note: `${liveOnly}: cannot read ${path} (${(error as Error).message})` };
  }
}

/** What `thirdring log` says on stderr about the past it shows: where it reads it from, or that it cannot. */
export function describeLogHistory(source: LogHistorySource, since: number, timeZone: string): string {
  if (source.path === null) return source.note;
  return `the ring log since ${DateTime.fromMillis(since, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss')} from ${source.path}, then live`;
}

/**
 * How far back a catch-up from the ring log reads before the newest entry already seen: the recorder stores an
 * entry a moment after it is published, and entries of several bridges interleave.
 */
const CATCH_UP_SLACK_MS = 60_000;
/** Entries seen are remembered by key, and forgotten once older than the horizon; swept every this many. */
const SEEN_SWEEP_EVERY = 1024;

/**
 * The past from the ring log, then live entries, each shown once: an entry read from the database and then
 * arriving live (or read again by a later catch-up) is recognised by its (site, stream, seq).
 */
class LogHistory {
  /** The next catch-up reads entries from this time on. */
  private horizon: number;
  /** site NUL stream NUL seq → t, for entries with t ≥ horizon. */
  private readonly seen = new Map<string, number>();
  private added = 0;

  constructor(
    private readonly reader: RingLogReader,
    from: number,
    private readonly site: string | undefined,
  ) {
    this.horizon = from;
  }

  /** Hands `show` every entry the database holds from the horizon on that was not seen yet, in time order. */
  catchUp(show: (entry: LogEntry) => void): void {
    let newest = -Infinity;
    for (const row of this.reader.entriesFrom(this.horizon, this.site)) {
      newest = Math.max(newest, row.t);
      let entry: LogEntry;
      try {
        entry = JSON.parse(row.body);
      } catch {
        continue;
      }
      if (this.isNew(entry, row.t)) show(entry);
    }
    this.advance(newest);
  }

  /** False for an entry already seen (read from the database, or live); remembers it. */
  isNew(entry: LogEntry, t = timeOfEntry(entry)): boolean {
    if (typeof entry.site !== 'string' || typeof entry.stream !== 'string' || typeof entry.seq !== 'number') return true;
    const key = `${entry.site}\0${entry.stream}\0${entry.seq}`;
    if (this.seen.has(key)) return false;
    if (t >= this.horizon) this.seen.set(key, t);
    if (++this.added % SEEN_SWEEP_EVERY === 0) this.advance(t);
    return true;
  }

  /** Moves the horizon up to `newest` less the slack (never past now: a forged future time must not hide the past). */
  private advance(newest: number): void {
    if (!Number.isFinite(newest)) return;
    this.horizon = Math.max(this.horizon, Math.min(newest, Date.now()) - CATCH_UP_SLACK_MS);
    for (const [key, t] of this.seen) if (t < this.horizon) this.seen.delete(key);
  }

  close(): void {
    this.reader.close();
  }
}

const timeOfEntry = (entry: LogEntry): number => (typeof entry.t === 'number' ? entry.t : entry.ts ? Date.parse(entry.ts) : NaN);

export interface TailOptions {
  url: string;
  /** Credentials and TLS files (see logConnection). */
  connect?: IClientOptions;
  filter: LogFilter;
  json: boolean;
  /** Readable lines show times in this zone (default UTC). */
  timeZone?: string;
  /**
   * Show the ring log from filter.since on from this database first, then live entries; each time the
   * subscription is (re)made, what the database got meanwhile is shown too.
   */
  history?: RingLogReader;
  write: (line: string) => void;
  onError: (message: string) => void;
}

export interface LogTail {
  client: mqtt.MqttClient;
  /** Leaves the broker and closes the database. */
  stop(): Promise<void>;
}

/** Subscribes to the log of one site (or all) and writes each matching entry; malformed entries are skipped. */
export function tailLog(options: TailOptions): LogTail {
  const { filter } = options;
  const topic = `thirdring/${filter.site ?? '+'}/log`;
  const show = (entry: LogEntry) => {
    if (matchesFilter(entry, filter)) options.write(options.json ? JSON.stringify(entry) : formatLogEntry(entry, options.timeZone));
  };
  const history = options.history ? new LogHistory(options.history, filter.since ?? -Infinity, filter.site) : null;
  // The past first, whether or not the broker can be reached.
  history?.catchUp(show);
  const client = mqtt.connect(options.url, { ...options.connect, protocolVersion: 4, reconnectPeriod: 2000 });
  client.on('connect', () =>
    client.subscribe(topic, { qos: 1 }, (error) => {
      // Subscribed: from now on entries come live; what was recorded before (while connecting, or while the broker
      // was away) is in the database.
      if (!error) history?.catchUp(show);
    }),
  );
  client.on('error', (error) => options.onError(error.message));
  client.on('message', (_topic, payload) => {
    let entry: LogEntry;
    try {
      entry = JSON.parse(payload.toString('utf8'));
      if (typeof entry?.type !== 'string') return;
    } catch {
      return;
    }
    if (history && !history.isNew(entry)) return;
    show(entry);
  });
  return {
    client,
    async stop() {
      // Forced: a tail has nothing to send, and mqtt.js ended while waiting for CONNACK (unforced) keeps the socket
      // open: the process would not exit.
      await client.endAsync(true);
      history?.close();
    },
  };
}
