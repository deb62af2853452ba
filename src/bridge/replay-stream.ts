import type { Readable, Writable } from 'node:stream';
import type { CoreConfig } from '../core/index.js';
import { EventsFileError, openEventsInput, readEventBatches } from './events-file.js';
import { createProgress, formatCount, formatRate, silentProgress, type Progress } from './progress.js';
import { Replayer, type ReplayOptions } from './replay.js';

/** The output could not be written for another reason than its reader going away (a full disk). */
export class ReplayOutputError extends Error {
  override name = 'ReplayOutputError';
}

export interface ReplayStreamOptions extends ReplayOptions {
  progress?: Progress;
  /** Decisions are written in chunks of about this many characters (default 256 Ki). */
  chunkSize?: number;
}

export interface ReplayStreamResult {
  /** Events read and run. */
  events: number;
  /** The reader closed the output (EPIPE: `| head`): the run stopped there, which is not an error. */
  outputClosed: boolean;
}

/**
 * `thirdring replay` on streams: reads events line by line as they come (events-file.ts), runs each through the
 * core at once (Replayer) and writes the decisions as JSON Lines, one write per chunk of input read (or per
 * `chunkSize` of output), waiting for the reader whenever the output is backed up. Memory stays flat in the
 * length of the input and of the output. A bad line rejects with its EventsFileError after the decisions of the
 * lines before it have been written.
 */
export async function replayStream(
  config: CoreConfig,
  input: Readable,
  inputName: string,
  output: Writable,
  options: ReplayStreamOptions = {},
): Promise<ReplayStreamResult> {
  const out = new ChunkedOutput(output, options.chunkSize ?? 256 * 1024);
  const progress = options.progress ?? silentProgress;
  const replayer = new Replayer(config, (item) => out.line(JSON.stringify(item)), options.indications === true);
  let events = 0;
  const describe = (elapsedMs: number) =>
    `replay: ${formatCount(events)} events read, ${formatRate(events, elapsedMs)}` + (replayer.lastT > -Infinity ? `, simulated time ${simulatedTime(replayer.lastT)}` : '');
  try {
    for await (const batch of readEventBatches(input, inputName, config)) {
      for (const event of batch) {
        replayer.feed(event);
        if (out.full) await out.flush();
        if (out.closed) break;
      }
      if (out.closed) break; // leaving the loop closes the input
      events += batch.length;
      // What a chunk of input decided goes out now: with events trickling in (a live feed on stdin), so do decisions.
      await out.flush();
      progress.update(describe);
    }
    if (!out.closed) {
      const end = replayer.endOfRun(options.until);
      while (!out.closed && replayer.tickUntil(end)) if (out.full) await out.flush();
    }
  } catch (error) {
    // The decisions up to the bad line are part of the answer: a streaming reader has seen most of them already.
    if (error instanceof EventsFileError) await out.finish();
    throw error;
  } finally {
    progress.done();
  }
  await out.finish();
  return { events, outputClosed: out.closed };
}

/** "2026-11-24 14:32:05 UTC"; t itself past the dates a Date can hold. */
function simulatedTime(t: number): string {
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? `t=${t}` : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/**
 * `thirdring replay <config> <events.jsonl | ->` with stdout, and a progress line on stderr when that is a terminal.
 */
export async function replayToStdout(config: CoreConfig, eventsFile: string, options: ReplayOptions = {}): Promise<ReplayStreamResult> {
  return replayStream(config, openEventsInput(eventsFile), eventsFile, process.stdout, { ...options, progress: createProgress() });
}

/**
 * JSON Lines to a stream in large chunks (one write per chunk, not per line), honouring backpressure: `flush`
 * resolves once the stream has room again. A reader that goes away (EPIPE) marks it closed instead of failing.
 */
class ChunkedOutput {
  closed = false;
  private pending = '';
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly stream: Writable,
    private readonly chunkSize: number,
  ) {
    // Stays attached: an EPIPE can arrive after the last write, and without a listener it would be thrown.
    stream.on('error', (error: Error) => this.failed(error));
    stream.on('drain', () => this.resume());
    stream.on('close', () => {
      this.closed = true;
      this.resume();
    });
  }

  line(text: string): void {
    this.pending += text + '\n';
  }

  get full(): boolean {
    return this.pending.length >= this.chunkSize;
  }

  /** Writes what is pending; resolves when the stream can take more (at once, unless the reader is behind). */
  async flush(): Promise<void> {
    this.check();
    if (this.closed || this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.check();
  }

  /** Writes the rest and waits until the stream has taken it all. */
  async finish(): Promise<void> {
    this.check();
    if (this.closed) return;
    const chunk = this.pending;
    this.pending = '';
    await new Promise<void>((resolve) => {
      if (chunk !== '') {
        this.stream.write(chunk, (error) => {
          if (error) this.failed(error);
          resolve();
        });
      } else if (this.stream.writableLength > 0) this.wake = resolve;
      else resolve();
    });
    this.check();
  }

  private failed(error: NodeJS.ErrnoException): void {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
    else this.failure ??= error;
    this.resume();
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private check(): void {
    if (this.failure) throw new ReplayOutputError(`cannot write the decisions (${(this.failure as NodeJS.ErrnoException).code ?? this.failure.message})`);
  }
}
