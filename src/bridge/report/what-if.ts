import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreConfig, CoreEvent } from '../../core/index.js';
import { replay } from '../replay.js';
import { RingLogReader } from '../store/ring-log-reader.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../store/ring-log-store.js';
import type { Period } from './period.js';

/** Entries stored per transaction. */
const BATCH = 2000;
/** The stream the replayed decisions are recorded under. */
export const WHAT_IF_STREAM = 'what-if';

export interface WhatIfRun {
  /** Called for each event fed to the core (for progress). */
  onEvent?: (event: CoreEvent, count: number) => void;
}

/**
 * A ring log of what the core decides when `events` run through it with `config`: the core in virtual time, as
 * `thirdring replay` runs it, up to the end of the period (events from then on are not read); every decision is
 * recorded as the bridge publishes it (the decision with ts, site, stream and seq), parsed and stored by the
 * recorder's own code into a ring log of its own. Reports read it with the same reader and the same
 * `buildReport` as the recorded log, so the same decisions give the same numbers, by construction.
 *
 * The log is a SQLite file in a temporary folder (TMPDIR) — a what-if over a long period needs disk, not memory —
 * and is deleted by `close()`.
 */
export class WhatIfLog {
  readonly reader: RingLogReader;

  private constructor(
    private readonly dir: string,
    path: string,
    /** Events fed to the core, and decisions recorded. */
    readonly events: number,
    readonly decisions: number,
  ) {
    this.reader = new RingLogReader(path);
  }

  static run(config: CoreConfig, events: Iterable<CoreEvent>, site: string, period: Period, options: WhatIfRun = {}): WhatIfLog {
    const dir = mkdtempSync(join(tmpdir(), 'thirdring-what-if-'));
    try {
      const path = join(dir, 'what-if.sqlite');
      const store = new RingLogStore(path);
      let fed = 0, seq = 0;
      try {
        const untilEnd = function* () {
          for (const event of events) {
            if (event.t >= period.to) return;
            options.onEvent?.(event, ++fed);
            yield event;
          }
        };
        let batch: StoredEntry[] = [];
        for (const decision of replay(config, untilEnd(), { until: period.to })) {
          // What MqttFeature.queueLog publishes, and what the recorder makes of it.
          const parsed = parseLogPayload(JSON.stringify({ ...decision, ts: new Date(decision.t).toISOString(), site, stream: WHAT_IF_STREAM, seq: ++seq }));
          if (!parsed.ok) throw new Error(`what-if: the core's decision does not make a log entry: ${parsed.error}`);
          batch.push(parsed.entry);
          if (batch.length >= BATCH) {
            store.ingest(batch);
            batch = [];
          }
        }
        if (batch.length) store.ingest(batch);
      } finally {
        store.close();
      }
      return new WhatIfLog(dir, path, fed, seq);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  close(): void {
    this.reader.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
