import type { IClientOptions } from 'mqtt';
import { resolve } from 'node:path';
import type { ThirdringConfig } from '../config/schema.js';
import { RingLogStore } from '../store/ring-log-store.js';
import { brokerConnection } from '../mqtt/broker-connection.js';
import { Recorder } from './recorder.js';

export const DEFAULT_DATABASE = 'thirdring-ring-log.sqlite';
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
  clientId?: string;
  connect: IClientOptions;
}

/** `thirdring record` flags (and the bridge config, if given) → settings. Throws a message for the user on bad flags. */
export function recordSettings(args: RecordArgs, config: ThirdringConfig | null): RecordSettings {
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
    database: args.db ?? (config ? resolve(config.dataDir, config.recorder.database) : DEFAULT_DATABASE),
    ...(args.clientId ? { clientId: args.clientId } : {}),
    connect: { ...broker.options, ...(args.username ? { username: args.username } : {}), ...(args.password ? { password: args.password } : {}) },
  };
}

/** The database to record into; throws a message for the user if it cannot be opened or is not a ring log. */
export function openRingLog(path: string): RingLogStore {
  try {
    return new RingLogStore(path);
  } catch (error) {
    throw new Error(`${path}: cannot open the ring log database (${(error as Error).message})`);
  }
}

/** Records until `stopSignal`, printing a start line and the counts as they change. */
export async function runRecorder(
  settings: RecordSettings,
  store: RingLogStore,
  stopSignal: Promise<void>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<void> {
  const recorder = new Recorder({ url: settings.url, store, connect: settings.connect, report: (message) => err(`thirdring record: ${message}`), ...(settings.site ? { site: settings.site } : {}), ...(settings.clientId ? { clientId: settings.clientId } : {}) });
  out(`thirdring record: ${settings.url}, topic ${recorder.topic} → ${settings.database} (client id ${recorder.clientId}; Ctrl-C to stop)`);
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
