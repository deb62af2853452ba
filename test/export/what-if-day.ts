import { DateTime } from 'luxon';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, toCoreConfig } from '../../src/bridge/config/load.js';
import type { CoreEvent } from '../../src/core/index.js';
import { replay } from '../../src/bridge/replay.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../../src/bridge/store/ring-log-store.js';

export const ZONE = 'Europe/Amsterdam';
export const SITE = 'branch-01';
/** Tuesday 3 March 2026, CET (UTC+1). */
export const DAY = '2026-03-03';
export const at = (time: string) => DateTime.fromISO(`${DAY}T${time}`, { zone: ZONE }).toMillis();
export const DAY_START = at('00:00');
export const DAY_END = DateTime.fromISO(`${DAY}T00:00`, { zone: ZONE }).plus({ days: 1 }).toMillis();

/** examples/branch.yaml; `extraDesks` are added after eva, `answerBy` replaces 3. */
export function branchYaml(options: { extraDesks?: string[]; answerBy?: number } = {}): string {
  return `site: ${SITE}
timezone: ${ZONE}
desks:
  - { id: anna,  at: [2.0, 3.0] }
  - { id: bram,  at: [4.0, 3.0] }
  - { id: chloe, at: [6.0, 3.0] }
  - { id: daan,  at: [2.0, 6.0] }
  - { id: eva,   at: [6.0, 6.0] }
${(options.extraDesks ?? []).map((desk) => `  - ${desk}\n`).join('')}lines:
  - { id: front, phone: { at: [4.5, 2.0] }, cadence: nl }   # 1 s on, 4 s off: a ring every 5 s
  - { id: back, phone: { desks: [daan, eva] }, cadence: gb }
rules: { answerBy: ${options.answerBy ?? 3} }
`;
}

export const coreOf = (yaml: string) => toCoreConfig(parseConfig(yaml, 'branch.yaml'));

const bursts = (line: string, start: string, count: number, periodMs: number, onMs: number): CoreEvent[] =>
  Array.from({ length: count }, (_, i): CoreEvent[] => [
    { t: at(start) + i * periodMs, type: 'ring', line, state: 'on' },
    { t: at(start) + i * periodMs + onMs, type: 'ring', line, state: 'off' },
  ]).flat();

/**
 * The hand-written day, every kind of input. Calls (front: NL cadence, ring N begins at (N−1) × 5 s):
 *
 *  #  time      line   what happens                                           decision (branch.yaml, answerBy 3)
 *  1  09:00     front  2 rings, picked up at the counter phone at 7 s           answered on time, rings 2, 7 s, no desk
 *  2  10:00     front  3 rings, bram picks up at 12 s (ring 3 began at 10 s)    answered late, rings 3, 12 s, bram
 *  3  11:00     front  4 rings, nobody                                          missed at 11:00:22 (16 s), bram should have
 *                                                                               → callback A, returned by bram's call at 11:30
 *  4  14:00     back   eva picks up at 2 s; holds 14:01–14:02                    answered on time, rings 1, 2 s, eva
 *  5  16:00     front  5 rings, nobody                                          missed at 16:00:27 (21 s), bram should have
 *                                                                               → callback B, open at the end of the day
 * Also: chloe away 09:30–13:00, anna presses ack at 12:30 (nothing to ack), anna covers daan 15:00–15:30.
 */
export function handEvents(): CoreEvent[] {
  const events: CoreEvent[] = [
    ...bursts('front', '09:00:00', 2, 5000, 1000),
    { t: at('09:00:07'), type: 'hook', line: 'front', state: 'off' },
    { t: at('09:01:30'), type: 'hook', line: 'front', state: 'on' },
    { t: at('09:30:00'), type: 'presence', desk: 'chloe', state: 'away' },
    ...bursts('front', '10:00:00', 3, 5000, 1000),
    { t: at('10:00:12'), type: 'hook', desk: 'bram', line: 'front', state: 'off' },
    { t: at('10:03:00'), type: 'hook', desk: 'bram', state: 'on' },
    ...bursts('front', '11:00:00', 4, 5000, 1000),
    { t: at('11:30:00'), type: 'hook', desk: 'bram', line: 'front', state: 'off' },
    { t: at('11:32:00'), type: 'hook', desk: 'bram', state: 'on' },
    { t: at('12:30:00'), type: 'ack', desk: 'anna' },
    { t: at('13:00:00'), type: 'presence', desk: 'chloe', state: 'present' },
    ...bursts('back', '14:00:00', 1, 3000, 1000),
    { t: at('14:00:02'), type: 'hook', desk: 'eva', line: 'back', state: 'off' },
    { t: at('14:01:00'), type: 'hold', desk: 'eva', state: 'on' },
    { t: at('14:02:00'), type: 'hold', desk: 'eva', state: 'off' },
    { t: at('14:04:00'), type: 'hook', desk: 'eva', state: 'on' },
    { t: at('15:00:00'), type: 'takeover', desk: 'anna', from: 'daan', state: 'on' },
    { t: at('15:30:00'), type: 'takeover', desk: 'anna', from: 'daan', state: 'off' },
    ...bursts('front', '16:00:00', 5, 5000, 1000),
  ];
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
}

/**
 * A ring log as the bridge with input logging leaves it: each input as `{"t","type":"input","event"}` and every
 * decision of the day, with ts, site, stream and seq, ingested by the recorder's store. `inputs: false` is a log
 * from before inputs were logged.
 */
export function recordDay(path: string, yaml: string, events: readonly CoreEvent[], options: { inputs?: boolean; until?: number } = {}): string {
  const store = new RingLogStore(path);
  let seq = 0;
  const entry = (payload: { t: number; type: string }): StoredEntry => {
    const parsed = parseLogPayload(JSON.stringify({ ...payload, ts: new Date(payload.t).toISOString(), site: SITE, stream: 'bridge-1', seq: ++seq }));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  };
  const entries: StoredEntry[] = [];
  if (options.inputs !== false) for (const { t, ...event } of events) entries.push(entry({ t, type: 'input', event } as { t: number; type: string }));
  for (const decision of replay(coreOf(yaml), events, { until: options.until ?? DAY_END })) entries.push(entry(decision));
  store.ingest(entries);
  store.close();
  return path;
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
