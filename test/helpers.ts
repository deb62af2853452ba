import { ConfigError, parseConfig, toCoreConfig } from '../src/bridge/config/load.js';
import type { CoreConfig, CoreEvent, Decision } from '../src/core/index.js';
import { replay } from '../src/bridge/replay.js';

export function coreConfig(yaml: string): CoreConfig {
  return toCoreConfig(parseConfig(yaml, 'test.yaml'));
}

/** The ring/on-off events of `rings` full cadence periods starting at `start`; `stretch` scales each segment. */
export function ringBursts(
  line: string,
  pattern: readonly number[],
  start: number,
  rings: number,
  stretch: (segment: number) => number = () => 1,
): CoreEvent[] {
  const events: CoreEvent[] = [];
  let t = start;
  let segment = 0;
  for (let ring = 0; ring < rings; ring++) {
    for (let i = 0; i < pattern.length; i += 2) {
      events.push({ t: Math.round(t), type: 'ring', line, state: 'on' });
      t += pattern[i]! * stretch(segment++);
      events.push({ t: Math.round(t), type: 'ring', line, state: 'off' });
      t += pattern[i + 1]! * stretch(segment++);
    }
  }
  return events;
}

export function run(config: CoreConfig, events: CoreEvent[]): Decision[] {
  return [...replay(config, events)] as Decision[];
}

export function ofType<T extends Decision['type']>(decisions: Decision[], type: T): Extract<Decision, { type: T }>[] {
  return decisions.filter((d): d is Extract<Decision, { type: T }> => d.type === type);
}

export function byTime(events: CoreEvent[]): CoreEvent[] {
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
}

/** The problems `parseConfig` reports for a config that must be refused, one per line. */
export function configProblems(yaml: string): string[] {
  try {
    parseConfig(yaml, 'office.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split('\n');
  }
  throw new Error('config was accepted');
}
