import type { IClientOptions } from 'mqtt';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stateDir } from '../config/load.js';
import type { ThirdringConfig } from '../config/schema.js';
import { RingLogStore } from '../store/ring-log-store.js';
import { brokerConnection } from '../mqtt/broker-connection.js';
import { Recorder, type EntryStore } from './recorder.js';
import { isPostgresUrl, PgRingLogStore, redactUrl } from '../store/pg-ring-log-store.js';

/** The default database before it moved to the state directory: ./thirdring-ring-log.sqlite. */
const OLD_DEFAULT_DATABASE = 'thirdring-ring-log.sqlite';
const DEFAULT_URL = 'mqtt://127.0.0.1:1883';
const COUNTS_EVERY_MS = 10_000;

export interface RecordArgs {
  url?: string;
  site?: string;
  db?: string;
  clientId?: string;
  username?: string;
  password?: string;
}

export interface RecordSettings {
  url: string;
  site?: string;
  database: string;
  /** Where `database` came from: --db (its folder must exist), the config (dataDir), or the default in the state directory. */
  databaseFrom: '--db' | 'config' | 'default';
  clientId?: string;
  connect: IClientOptions;
}

/**
 * Where `thirdring record` records without --db or --config: one site into <stateDir>/<site>/ring-log.sqlite (the
 * same file as the recorder of a bridge of that site whose config sets no dataDir), every site into
 * <stateDir>/ring-log.sqlite.
 */
export function defaultRecordDatabase(site: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), ...(site ? [site] : []), 'ring-log.sqlite');
}

/** `thirdring record` flags (and the bridge config, if given) → settings. Throws a message for the user on bad flags. */
export function recordSettings(args: RecordArgs, config: ThirdringConfig | null, env: NodeJS.ProcessEnv = process.env): RecordSettings {
  if (args.url && config) throw new Error('give either --url or --config, not both');
  if (args.url && !/^(mqtts?|wss?):\/\/[^\s]+$/.test(args.url)) throw new Error(`--url: expected mqtt://host:port (or mqtts://, ws://, wss://), got "${args.url}"`);
  if (args.site !== undefined && !/^[a-z0-9-]+$/.test(args.site)) throw new Error(`--site: expected [a-z0-9-]+, got "${args.site}"`);
  if (args.clientId === '') throw new Error('--client-id: expected a non-empty id');
  if (args.password !== undefined && args.username === undefined) throw new Error('--password needs --username');
  const broker = config ? brokerConnection(config.mqtt) : { url: args.url ?? DEFAULT_URL, options: {} };
  const site = args.site ?? config?.site;
  return {
    url: broker.url,
    ...(site ? { site } : {}),
    ...(args.db !== undefined
      ? { database: args.db, databaseFrom: '--db' as const }
      : config
        ? { database: resolve(config.dataDir, config.recorder.database), databaseFrom: 'config' as const }
        : { database: defaultRecordDatabase(site, env), databaseFrom: 'default' as const }),
    ...(args.clientId ? { clientId: args.clientId } : {}),
    connect: { ...broker.options, ...(args.username ? { username: args.username } : {}), ...(args.password ? { password: args.password } : {}) },
  };
}

/**
 * The database to record into; throws a message for the user if it cannot be opened or is not a ring log. A
 * database named with --db must be in a folder that exists (a mistyped path is not made into folders); the
 * default and the config's dataDir are created as needed, as the bridge does.
 */
export function openRingLog(settings: Pick<RecordSettings, 'database' | 'databaseFrom' | 'site'>): RingLogStore {
  const path = settings.database;
  if (isPostgresUrl(path)) throw new Error(`${redactUrl(path)}: a PostgreSQL ring log is opened with openRingLogStore`);
  if (settings.databaseFrom === '--db') {
    const folder = dirname(resolve(path));
    if (!isDirectory(folder)) {
      throw new Error(`--db ${path}: ${existsSync(folder) ? 'not a folder' : 'no such folder'}: ${folder} (create it first, or leave out --db to record into ${defaultRecordDatabase(settings.site)})`);
    }
  }
  try {
    return new RingLogStore(path);
  } catch (error) {
    throw new Error(`${path}: cannot open the ring log database (${(error as Error).message})`);
  }
}

/**
 * SQLite (a file) or PostgreSQL (--db postgres://user:password@host/db): connects and migrates. Throws a message
 * for the user when the database cannot be reached or is not a ring log; `report` hears of later connection losses.
 */
export async function openRingLogStore(settings: Pick<RecordSettings, 'database' | 'databaseFrom' | 'site'>, report: (message: string) => void = () => {}): Promise<EntryStore> {
  if (!isPostgresUrl(settings.database)) return openRingLog(settings);
  const name = redactUrl(settings.database);
  try {
    return await PgRingLogStore.open(settings.database, (error) => report(`PostgreSQL ${name} closed a connection: ${error.message}`));
  } catch (error) {
    throw new Error(`${name}: cannot open the ring log database (${(error as Error).message || String(error)})`);
  }
}

/** The database as the start line names it: a PostgreSQL URL without its password. */
export const databaseName = (database: string): string => (isPostgresUrl(database) ? redactUrl(database) : database);

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A line for the user when the default database moved away from a ring log they may still be using: recording
 * without --db or --config where ./thirdring-ring-log.sqlite (the old default) exists. Null otherwise.
 */
export function oldDefaultDatabaseNote(settings: Pick<RecordSettings, 'database' | 'databaseFrom'>, cwd = process.cwd()): string | null {
  if (settings.databaseFrom !== 'default' || !existsSync(join(cwd, OLD_DEFAULT_DATABASE))) return null;
  return `./${OLD_DEFAULT_DATABASE} (where thirdring record used to record by default) is no longer used: recording into ${settings.database}; give --db ${OLD_DEFAULT_DATABASE} to keep recording into the old one`;
}

/** Records until `stopSignal`, printing a start line and the counts as they change. */
export async function runRecorder(
  settings: RecordSettings,
  store: EntryStore,
  stopSignal: Promise<void>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<void> {
  const recorder = new Recorder({ url: settings.url, store, connect: settings.connect, report: (message) => err(`thirdring record: ${message}`), ...(settings.site ? { site: settings.site } : {}), ...(settings.clientId ? { clientId: settings.clientId } : {}) });
  out(`thirdring record: ${settings.url}, topic ${recorder.topic} → ${databaseName(settings.database)} (client id ${recorder.clientId}; Ctrl-C to stop)`);
  recorder.start();
  const counts = () => {
    const { received, stored, duplicates, malformed } = recorder.counters;
    return `received ${received}, stored ${stored}, duplicates ${duplicates}, malformed ${malformed}`;
  };
  let shown = counts();
  const timer = setInterval(() => {
    if (counts() !== shown) out(`${new Date().toISOString()}  ${(shown = counts())}`);
  }, COUNTS_EVERY_MS);
  await stopSignal;
  clearInterval(timer);
  await recorder.stop();
  out(`thirdring record: stopped; ${counts()}`);
}
