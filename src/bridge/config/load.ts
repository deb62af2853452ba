import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, Lexer, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { cadenceFor, defaultEscalation, type CoreConfig } from '../../core/index.js';
import { deskUnitUser } from '../mqtt/topics.js';
import { asteriskProblems } from './asterisk-schema.js';
import { configSchema, LIMITS, type ThirdringConfig } from './schema.js';
import { kuandoBoxProblems } from './kuando-box-schema.js';
import { softphoneProblems, softphoneUser } from './softphone-schema.js';
import { zigbeeProblems } from './zigbee-schema.js';

/** A config that cannot be used; `message` names the file and every problem with its path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Where thirdring keeps its state when told nowhere else: $XDG_STATE_HOME/thirdring, or ~/.local/state/thirdring
 * when XDG_STATE_HOME is unset, empty or relative (the XDG Base Directory spec says to ignore a relative one).
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state'), 'thirdring');
}

/** The bridge's data folder when its config sets no dataDir: <stateDir>/<site>. */
export function defaultDataDir(site: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), site);
}

export function loadConfigFile(file: string): ThirdringConfig {
  const config = parseConfig(readConfigText(file), file);
  return { ...config, dataDir: resolve(dirname(file), config.dataDir) };
}

/** The file's text, refusing it past LIMITS.bytes without reading further (a FIFO or device has no size to check first). */
function readConfigText(file: string): string {
  const tooLarge = (size: string) =>
    new ConfigError(`${file}: config is ${size}; thirdring reads at most ${LIMITS.bytes} bytes (${LIMITS.bytes / 1024 / 1024} MiB)`);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size > LIMITS.bytes) throw tooLarge(`${size} bytes`);
    const buffer = Buffer.alloc(LIMITS.bytes + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > LIMITS.bytes) throw tooLarge('larger than that');
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${file}: cannot read config (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function parseConfig(text: string, file = 'config'): ThirdringConfig {
  if (text.length > LIMITS.bytes) throw new ConfigError(`${file}: config is ${text.length} characters; thirdring reads at most ${LIMITS.bytes}`);
  // Parsing costs memory and time per token, and a small file can hold many; count them first (lexing is cheap).
  let tokens = 0;
  for (const _ of new Lexer().lex(text)) {
    if (++tokens > LIMITS.yamlTokens) {
      throw new ConfigError(`${file}: config is too large: more than ${LIMITS.yamlTokens} YAML tokens (a 10,000-desk office has about 700,000)`);
    }
  }
  // uniqueKeys is checked below: the yaml package compares each key with every other key of its map (quadratic).
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const { message, linePos } = syntaxError;
    const where = linePos ? `:${linePos[0].line}:${linePos[0].col}` : '';
    const what = /Maximum call stack size exceeded/.test(message)
      ? 'nested too deeply'
      : message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}${where}: not valid YAML: ${what}`);
  }
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== undefined) {
    const { line, col } = lineCounter.linePos(duplicate);
    throw new ConfigError(`${file}:${line}:${col}: not valid YAML: Map keys must be unique`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: LIMITS.aliases });
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(
      /^Excessive alias count/.test(message)
        ? `${file}: too many YAML aliases: an anchor may be used at most ${LIMITS.aliases} times, counting the aliases inside it`
        : `${file}: not valid YAML: ${message}`,
    );
  }
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(describeProblems(file, parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)));
  const config = { ...parsed.data, dataDir: parsed.data.dataDir ?? defaultDataDir(parsed.data.site) };
  const problems = crossReferenceProblems(config);
  if (problems.length > 0) throw new ConfigError(describeProblems(file, problems));
  return config;
}

/** The offset of the first mapping key that repeats an earlier key of its map (as uniqueKeys: true compares scalar keys). */
function firstDuplicateKey(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          offset = key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key.value);
      }
    },
  });
  return offset;
}

/** Problems shown per file: the first MAX_SHOWN, then how many more (a generated config can have thousands). */
const MAX_SHOWN = 50;

function describeProblems(file: string, problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_SHOWN).map((p) => `${file}: ${p}`);
  if (problems.length > MAX_SHOWN) shown.push(`${file}: … and ${problems.length - MAX_SHOWN} more problems`);
  return shown.join('\n');
}

/** `['lines', 2, 'phone', 'at']` → `lines[2].phone.at` */
export function formatPath(path: readonly PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text.startsWith('.') ? text.slice(1) : text || '(top level)';
}

function crossReferenceProblems(config: ThirdringConfig): string[] {
  const problems: string[] = [];
  const deskIds = new Set<string>();
  config.desks.forEach((desk, i) => {
    if (deskIds.has(desk.id)) problems.push(`desks[${i}].id: duplicate desk id "${desk.id}"`);
    deskIds.add(desk.id);
  });
  const lineIds = new Set<string>();
  config.lines.forEach((line, i) => {
    if (lineIds.has(line.id)) problems.push(`lines[${i}].id: duplicate line id "${line.id}"`);
    lineIds.add(line.id);
    if (line.phone.desks) {
      line.phone.desks.forEach((deskId, j) => {
        if (!deskIds.has(deskId)) problems.push(`lines[${i}].phone.desks[${j}]: unknown desk "${deskId}"`);
      });
    }
  });
  const sensorChannels = new Map<string, string>();
  config.lines.forEach((line, i) => {
    if (!line.sensor) return;
    const key = `${line.sensor.serial} channel ${line.sensor.channel}`;
    const other = sensorChannels.get(key);
    if (other) problems.push(`lines[${i}].sensor: ${key} already watches line "${other}"`);
    sensorChannels.set(key, line.id);
  });
  const boardIds = new Set(config.boards.map((b) => b.id));
  const pinsInUse = new Map<string, string>();
  config.desks.forEach((desk, i) => {
    const indicator = desk.indicator;
    if (!indicator) return;
    if (!boardIds.has(indicator.board)) problems.push(`desks[${i}].indicator.board: no board "${indicator.board}" in boards`);
    const led = indicator.led;
    const pins = [...(typeof led === 'number' ? [led] : led ? [led.red, led.green, led.blue] : []), indicator.buzzer, indicator.button];
    for (const pin of pins) {
      if (pin === undefined) continue;
      const key = `${indicator.board} pin ${pin}`;
      const other = pinsInUse.get(key);
      if (other) problems.push(`desks[${i}].indicator: ${key} is already used by desk "${other}"`);
      pinsInUse.set(key, desk.id);
    }
  });
  const { mqtt } = config;
  if (mqtt.url === 'embedded' && !isLoopback(mqtt.host)) {
    for (const key of ['username', 'password'] as const) {
      if (!mqtt[key]) problems.push(`mqtt.${key}: required when the embedded broker listens beyond loopback (host ${mqtt.host}); there are no default credentials`);
    }
  }
  if (mqtt.url === 'embedded') problems.push(...brokerAccountProblems(config));
  problems.push(...softphoneProblems(config));
  problems.push(...kuandoBoxProblems(config));
  problems.push(...zigbeeProblems(config));
  const designatedLine = config.lines.findIndex((line) => line.designated);
  if (designatedLine >= 0 && !config.rules.designated) {
    problems.push(`lines[${designatedLine}].designated: needs rules.designated.desks, the fallback desks that take the call when the floor cannot`);
  }
  config.rules.designated?.desks.forEach((deskId, j) => {
    if (!deskIds.has(deskId)) problems.push(`rules.designated.desks[${j}]: unknown desk "${deskId}"`);
  });
  config.desks.forEach((desk, i) => {
    if (desk.coverFor === undefined) return;
    if (desk.coverFor === desk.id) problems.push(`desks[${i}].coverFor: a desk cannot take over its own calls`);
    else if (!deskIds.has(desk.coverFor)) problems.push(`desks[${i}].coverFor: unknown desk "${desk.coverFor}"`);
  });
  config.schedules.forEach((schedule, i) => {
    schedule.desks.forEach((deskId, j) => {
      if (!deskIds.has(deskId)) problems.push(`schedules[${i}].desks[${j}]: unknown desk "${deskId}"`);
    });
  });
  problems.push(...asteriskProblems(config.asterisk, lineIds, deskIds));
  const steps = config.rules.escalation ?? [];
  steps.forEach((step, i) => {
    if (i > 0 && step.atRing <= steps[i - 1]!.atRing) {
      problems.push(`rules.escalation[${i}].atRing: expected a ring after ${steps[i - 1]!.atRing} (steps in order)`);
    }
  });
  return problems;
}

/** User names on the embedded broker beginning with this are the bridge's own (its internal clients). */
export const RESERVED_USER_PREFIX = 'thirdring-';

/**
 * The embedded broker's accounts are one map by user name: the admin, each reader, and `desk-<id>` for each desk
 * with a unit. A name used twice would silently replace an account (the bridge, connecting as a desk unit, waits forever).
 */
function brokerAccountProblems(config: ThirdringConfig): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const desk of config.desks) if (desk.unit) owners.set(deskUnitUser(desk.id), `the desk unit account of desk ${desk.id}`);
  const claim = (path: string, name: string, owner: string) => {
    const taken = owners.get(name);
    if (name.startsWith(RESERVED_USER_PREFIX)) {
      problems.push(`${path}: "${name}" starts with "${RESERVED_USER_PREFIX}", which is reserved for the bridge's own accounts; choose another user name`);
    } else if (taken) {
      problems.push(`${path}: "${name}" is already ${taken}`);
    } else {
      owners.set(name, owner);
    }
  };
  if (config.mqtt.username !== undefined) claim('mqtt.username', config.mqtt.username, 'the admin account (mqtt.username)');
  config.mqtt.readers.forEach((reader, i) => claim(`mqtt.readers[${i}].username`, reader.username, `the reader account mqtt.readers[${i}]`));
  config.softphones.forEach((phone, i) => {
    if (phone.password) claim(`softphones[${i}].password`, softphoneUser(phone.desk), `the softphone account of softphones[${i}]`);
  });
  return problems;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** What the rules core needs from a validated config. */
export function toCoreConfig(config: ThirdringConfig): CoreConfig {
  const deskAt = new Map(config.desks.map((d) => [d.id, d.at] as const));
  const { rules } = config;
  return {
    timezone: config.timezone,
    desks: config.desks.map(({ id, at }) => ({ id, at })),
    lines: config.lines.map((line) => ({
      id: line.id,
      phones: line.phone.at ? [line.phone.at] : (line.phone.desks ?? []).map((id) => deskAt.get(id)!),
      cadence: typeof line.cadence === 'string' ? (cadenceFor(line.cadence) ?? 'auto') : line.cadence,
      designated: line.designated,
    })),
    rules: {
      answerBy: rules.answerBy,
      tieMetres: rules.tieMetres,
      escalation: rules.escalation?.map((s) => ({ ...s, withinMetres: s.withinMetres ?? null })) ?? defaultEscalation(rules.answerBy),
      holdCheckMs: rules.holdCheckSeconds * 1000,
      businessHours: { ...rules.businessHours, days: rules.businessHours.days.map(weekdayNumber) },
      designated: rules.designated ? { desks: rules.designated.desks, atRing: rules.designated.atRing ?? rules.answerBy + 1 } : null,
    },
    schedules: config.schedules.map((s) => ({ ...s, days: s.days.map(weekdayNumber) })),
  };
}

/** ISO weekday number, Monday = 1 (as luxon counts). */
const weekdayNumber = (day: string) => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(day) + 1;
