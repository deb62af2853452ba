import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { machineTimeZone } from '../report/local-time.js';
import { createProgress, formatCount, formatRate, type ProgressOptions } from '../progress.js';
import { describePeriod, iso, percentThrough, type Period } from '../report/period.js';
import { chooseSite, openReader, readPeriod, ReportUsageError, ringLogSource } from '../report/report-command.js';
import type { InputRow, RingLogReader } from '../store/ring-log-reader.js';
import { exportHeaderLine } from './event-stream.js';

export const EXPORT_USAGE = `Usage: thirdring export [--db ring-log.sqlite | --config thirdring.yaml] [--site S] [--from T] [--to T]
                        [--tz Area/City] [-o events.jsonl]

Writes what the bridge fed its rules core in the period — ring bursts, hooks, presence, holds, acks, takeovers:
the ring log's input entries — as replay events (JSON Lines, in the order the core took them) to stdout or -o.
Replay them with another config to see what it would have changed:
  thirdring report --db ring-log.sqlite --replay other.yaml events.jsonl
The first line is a tick at --from naming the export ({"type":"tick","export":{site, from, to, timeZone}}), so
the report knows the period; desks away and cover taken over before --from follow it ("carried": true).
  --db, --config, --site, --from/--to, --tz   as for thirdring report (default period: the last 7 days up to now)
  -o, --output   the file to write (written whole or not at all; default: stdout)
A period without input entries (a ring log recorded before the bridge logged its inputs) exits 2 and says so.`;

const OPTIONS = {
  db: { type: 'string' }, config: { type: 'string' }, site: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
  tz: { type: 'string' }, output: { type: 'string', short: 'o' },
} as const;

/** Characters gathered before a write: one write per 64 KiB, not one per event. */
const CHUNK_CHARS = 64 * 1024;

export interface ExportIo {
  now?: number;
  /** Where the events go without -o (default process.stdout). */
  stdout?: Writable;
  /** Progress, and the summary at the end, when it is a terminal (default process.stderr). */
  stderr?: NonNullable<ProgressOptions['stream']>;
}

export interface ExportResult {
  site: string;
  period: Period;
  /** Input entries written, desk states carried in from before the period, and entries without a usable event. */
  events: number;
  carried: number;
  skipped: number;
  /** The reader of stdout went away (thirdring export | head): the export stopped there. */
  cut: boolean;
}

type EventFields = { type: string; t?: unknown; [field: string]: unknown };

/** Runs `thirdring export`; usage and input problems are ReportUsageErrors (one line, exit 2). */
export async function exportCommand(args: string[], io: ExportIo = {}): Promise<ExportResult> {
  const flags = parseFlags(args);
  const source = ringLogSource(flags, true);
  if (source === null) throw new ReportUsageError(`which ring log? give --db ring-log.sqlite or --config thirdring.yaml (none in ${process.cwd()})`);
  const { config, dbPath } = source;
  const period = readPeriod(flags.from, flags.to, flags.tz ?? config?.timezone ?? machineTimeZone(), io.now ?? Date.now());
  const stderr = io.stderr ?? process.stderr;
  const progress = createProgress({ stream: stderr });

  const reader = openReader(dbPath);
  try {
    const site = chooseSite(reader, flags.site, config?.site, dbPath);
    if (site === null) throw new ReportUsageError(`${dbPath}: the ring log is empty: nothing to export`);
    const carried = carriedState(reader, site, period.from);
    const rows = reader.inputs(site, period.from, period.to);
    try {
      const first = rows.next();
      if (first.done) throw new ReportUsageError(noInputs(reader, site, period, dbPath));
      const output = openOutput(flags.output, io.stdout ?? process.stdout);
      let events = 0, skipped = 0;
      try {
        const sink = new LineSink(output.stream);
        sink.push(exportHeaderLine({ site, ...period }, iso));
        for (const event of carried) sink.push(JSON.stringify(event));
        const when = (t: number) => DateTime.fromMillis(t, { zone: period.timeZone }).toFormat('yyyy-MM-dd HH:mm');
        for (let row: IteratorResult<InputRow> = first; !row.done && !sink.closed; row = rows.next()) {
          const event = eventOf(row.value.body);
          if (event === null) {
            skipped++;
            continue;
          }
          const { t: _logged, ...fields } = event;
          if (sink.push(JSON.stringify({ t: row.value.t, ...fields }))) await sink.flush();
          events++;
          const t = row.value.t;
          progress.update((elapsedMs) => `thirdring export: ${when(t)} (${percentThrough(t, period)}), ${formatCount(events)} events, ${formatRate(events, elapsedMs)}`);
        }
        await sink.end();
        await output.finish();
        progress.done();
        if (skipped) stderr.write(`thirdring export: skipped ${skipped} input entries without an event to replay\n`);
        if (output.file !== null && stderr.isTTY) stderr.write(`thirdring export: ${formatCount(events)} events, site ${site}, ${describePeriod(period)} → ${output.file}\n`);
        return { site, period, events, carried: carried.length, skipped, cut: sink.closed };
      } catch (error) {
        progress.done();
        output.abandon();
        throw error;
      }
    } finally {
      rows.return?.();
    }
  } finally {
    reader.close();
  }
}

function parseFlags(args: string[]): { [K in keyof typeof OPTIONS]?: string } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length) throw new ReportUsageError(`unexpected argument "${positionals[0]}" (see thirdring export --help)`);
    return values;
  } catch (error) {
    throw error instanceof ReportUsageError ? error : new ReportUsageError((error as Error).message);
  }
}

/** The core event of an input entry's payload, or null when it has none (never written by the bridge). */
function eventOf(body: string): EventFields | null {
  try {
    const event = (JSON.parse(body) as { event?: unknown }).event;
    return typeof event === 'object' && event !== null && !Array.isArray(event) && typeof (event as EventFields).type === 'string' ? (event as EventFields) : null;
  } catch {
    return null;
  }
}

/**
 * Desks away, and cover taken over, when the period begins: the last presence input of each desk (and takeover
 * input of each desk pair) before `from`, where it differs from a core's start (everyone present, nobody
 * covering), as events at `from`, in the order they last changed. A replay from `from` then starts from the same
 * desks as the bridge had — unless the bridge restarted since, which the log does not show.
 */
function carriedState(reader: RingLogReader, site: string, from: number): object[] {
  const latest = new Map<string, EventFields>();
  for (const row of reader.stateInputsBefore(site, from)) {
    const event = eventOf(row.body);
    if (event === null || typeof event.desk !== 'string') continue;
    const isPresence = event.type === 'presence';
    if (!isPresence && typeof event.from !== 'string') continue;
    const key = isPresence ? `presence\0${event.desk}` : `takeover\0${event.desk}\0${String(event.from)}`;
    latest.delete(key); // Map order: when each last changed
    if (event.state === (isPresence ? 'away' : 'on')) latest.set(key, event);
  }
  return [...latest.values()].map(({ t: _logged, ...fields }) => ({ t: from, ...fields, carried: true }));
}

function noInputs(reader: RingLogReader, site: string, period: Period, dbPath: string): string {
  const calls = reader.callCount(site, period.from, period.to);
  const span = reader.inputSpan(site);
  const what = `${dbPath}: no input entries for site ${site} from ${describePeriod(period)}`;
  const recorded = calls ? `${calls} call${calls === 1 ? '' : 's'} recorded then` : 'no calls recorded then either';
  if (span === null) {
    return `${what} (${recorded}): this ring log was recorded before the bridge logged what it fed its rules core, so there is nothing to replay`;
  }
  return `${what} (${recorded}); inputs are logged from ${iso(span.first, period.timeZone)} to ${iso(span.last, period.timeZone)}`;
}

interface Output {
  stream: Writable;
  /** null: stdout. */
  file: string | null;
  finish(): Promise<void>;
  abandon(): void;
}

/** -o file: written to a sibling and renamed into place when complete, so a failed export leaves no partial file. */
function openOutput(file: string | undefined, stdout: Writable): Output {
  if (file === undefined) return { stream: stdout, file: null, finish: async () => {}, abandon: () => {} };
  const partial = `${file}.partial-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (error) {
    throw new ReportUsageError(`-o: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const stream = createWriteStream(partial, { fd });
  return {
    stream,
    file,
    async finish() {
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      renameSync(partial, file);
    },
    abandon() {
      stream.destroy();
      try {
        closeSync(fd);
      } catch {
        // destroy closed it
      }
      rmSync(partial, { force: true });
    },
  };
}

/**
 * Lines gathered into 64 KiB writes, waiting for 'drain' when the stream says its buffer is full, so a slow
 * reader slows the export instead of the export filling memory. A reader that went away (EPIPE) ends it quietly.
 */
class LineSink {
  closed = false;
  private lines: string[] = [];
  private chars = 0;
  private error: Error | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', this.onError);
  }

  private readonly onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
    else this.error ??= error;
  };

  /** Adds a line; true when it is time to flush. */
  push(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length + 1;
    return this.chars >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    this.check();
    if (this.lines.length === 0 || this.closed) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    this.chars = 0;
    if (!this.stream.write(text)) {
      const waiting = new AbortController();
      try {
        // once() rejects on 'error' (kept by onError); a destroyed stream only closes.
        await Promise.race([once(this.stream, 'drain', { signal: waiting.signal }), once(this.stream, 'close', { signal: waiting.signal })]);
      } catch {
        // the error is in this.error, or the stream closed
      } finally {
        waiting.abort();
      }
      if (this.stream.destroyed) this.closed = true;
    }
    this.check();
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.off('error', this.onError);
  }

  private check(): void {
    if (this.error) {
      const path = (this.error as NodeJS.ErrnoException).path;
      throw new ReportUsageError(`cannot write the events${path ? ` to ${path}` : ''} (${(this.error as NodeJS.ErrnoException).code ?? this.error.message})`);
    }
  }
}
