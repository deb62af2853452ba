// desk.yaml: what one desk's agent needs — its broker, its desk and account, its headset, light and presence.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { MODEL_NAMES } from '../devices/busylight/index.js';

/** A desk config that cannot be used; the message names the file and each problem's path. */
export class DeskConfigError extends Error {
  override name = 'DeskConfigError';
}

/** The password's environment variable when the config names none. */
export const DEFAULT_PASSWORD_ENV = 'THIRDRING_DESK_PASSWORD';
const MAX_CONFIG_BYTES = 64 * 1024;

const id = z.string({ error: 'expected an id (letters, digits, - and _)' }).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _), as in the bridge config');
const usbId = z.union([
  z.int().min(0).max(0xffff),
  z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'expected a USB id like 0x0b0e').transform((s) => parseInt(s.replace(/^0x/, ''), 16)),
]);

const broker = z.strictObject({
  url: z.string({ error: 'expected the broker URL, e.g. mqtts://bridge-host:8883' }).regex(/^(mqtts?|wss?):\/\/[^\s]+$/, 'expected an mqtt://, mqtts://, ws:// or wss:// URL'),
  /** mqtts:// / wss://: CA bundle, client certificate and key (file paths, relative to the config file). */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  rejectUnauthorized: z.boolean().default(true),
  /** A lost broker (or bridge host) is noticed within about 1.5 × this. */
  keepaliveSeconds: z.int().min(2).max(600).default(10),
});

const headset = z.union([
  z.literal(false),
  z.strictObject({ path: z.string().optional(), vendorId: usbId.optional(), productId: usbId.optional(), serialNumber: z.string().optional() }),
]);

const busylight = z.union([
  z.literal(false),
  z.strictObject({
    model: z
      .string()
      .refine((m) => MODEL_NAMES.includes(m), { error: (i) => `unknown model ${JSON.stringify(String(i.input).slice(0, 40))}: expected one of ${MODEL_NAMES.join(', ')}` })
      .optional(),
    serial: z.string().optional(),
    path: z.string().optional(),
  }),
]);

const presence = z.strictObject({
  /** logind: the session's LockedHint / IdleHint (Linux); none: only the light's button and `thirdring desk away|back`. */
  source: z.enum(['logind', 'none']).default(process.platform === 'linux' ? 'logind' : 'none'),
  /** The logind session to watch (default: $XDG_SESSION_ID, else the user's display session). */
  session: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a logind session id like 2 or c1').optional(),
  /** Idle (no keyboard or mouse) for this long counts as away; 0: only a locked screen does. */
  idleMinutes: z.number().min(0).max(24 * 60).default(10),
  /** A change must hold this long before the bridge hears it (no flapping on a quick unlock or a nudged mouse). */
  holdOffSeconds: z.number().min(0).max(3600).default(20),
  /** How often logind is asked. */
  pollSeconds: z.number().min(0.2).max(600).default(2),
  /** The light's own button (Luxafor Mute) toggles present/away. */
  button: z.boolean().default(true),
});

export const deskConfigSchema = z.strictObject({
  broker,
  site: z.string({ error: 'expected the site name of the bridge config' }).regex(/^[a-z0-9-]+$/, 'expected [a-z0-9-]+ (it is used in MQTT topics)'),
  desk: id,
  /** The account's password file (user name desk-<desk>); else the environment variable `passwordEnv`. */
  passwordFile: z.string().optional(),
  passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').default(DEFAULT_PASSWORD_ENV),
  /** This desk's USB headset (default: the first telephony headset found); false: none. */
  headset: headset.default({}),
  /** The desk's USB busylight (default: the first one found); false: none. */
  busylight: busylight.default({}),
  presence: presence.default(presence.parse({})),
});

export type DeskConfig = z.infer<typeof deskConfigSchema> & { file: string };

export function loadDeskConfig(file: string): DeskConfig {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_CONFIG_BYTES) throw new DeskConfigError(`${file}: is ${bytes.length} bytes; a desk config is at most ${MAX_CONFIG_BYTES}`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof DeskConfigError) throw error;
    throw new DeskConfigError(`${file}: cannot read config (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseDeskConfig(text, file);
}

export function parseDeskConfig(text: string, file = 'desk.yaml'): DeskConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const where = syntax.linePos ? `:${syntax.linePos[0].line}:${syntax.linePos[0].col}` : '';
    throw new DeskConfigError(`${file}${where}: not valid YAML: ${syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new DeskConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = deskConfigSchema.safeParse(value ?? {});
  if (!parsed.success) throw new DeskConfigError(parsed.error.issues.map((i) => `${file}: ${formatPath(i.path)}: ${i.message}`).join('\n'));
  const here = (path: string | undefined) => (path === undefined ? undefined : resolve(dirname(file), path.replace(/^~(?=\/|$)/, homedir())));
  const { broker: b, passwordFile } = parsed.data;
  return {
    ...parsed.data,
    broker: { ...b, ...(b.ca ? { ca: here(b.ca) } : {}), ...(b.cert ? { cert: here(b.cert) } : {}), ...(b.key ? { key: here(b.key) } : {}) },
    ...(passwordFile ? { passwordFile: here(passwordFile) } : {}),
    file,
  };
}

/** The account's password: the file's first line, else the environment variable; none for an open broker. */
export function deskPassword(config: DeskConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (config.passwordFile) {
    let text: string;
    try {
      text = readFileSync(config.passwordFile, 'utf8');
    } catch (error) {
      throw new DeskConfigError(`${config.file}: passwordFile: cannot read ${config.passwordFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const password = text.split(/\r?\n/)[0]!;
    if (password === '') throw new DeskConfigError(`${config.file}: passwordFile: ${config.passwordFile} is empty`);
    return password;
  }
  const fromEnv = env[config.passwordEnv];
  return fromEnv ? fromEnv : undefined;
}

/** `['presence', 'idleMinutes']` → `presence.idleMinutes` */
function formatPath(path: readonly PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text.startsWith('.') ? text.slice(1) : text || '(top level)';
}
