import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { cadenceFor, defaultEscalation, type CoreConfig } from '../core/index.js';
import { configSchema, type ThirdringConfig } from './schema.js';

/** A config that cannot be used; `message` names the file and every problem with its path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfigFile(file: string): ThirdringConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read config (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const config = parseConfig(text, file);
  return { ...config, dataDir: resolve(dirname(file), config.dataDir) };
}

export function parseConfig(text: string, file = 'config'): ThirdringConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const { message, linePos } = doc.errors[0]!;
    const where = linePos ? `:${linePos[0].line}:${linePos[0].col}` : '';
    throw new ConfigError(`${file}${where}: not valid YAML: ${message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(file, parsed.error.issues));
  const problems = crossReferenceProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${file}: ${p}`).join('\n'));
  return parsed.data;
}

function describeIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${file}: ${formatPath(issue.path)}: ${issue.message}`).join('\n');
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
  const steps = config.rules.escalation ?? [];
  steps.forEach((step, i) => {
    if (i > 0 && step.atRing <= steps[i - 1]!.atRing) {
      problems.push(`rules.escalation[${i}].atRing: expected a ring after ${steps[i - 1]!.atRing} (steps in order)`);
    }
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
