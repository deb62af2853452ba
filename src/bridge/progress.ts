/**
 * One redrawn status line on stderr for long-running commands (replay, export, report): shown only when the
 * stream is a terminal, redrawn in place with \r at most every `intervalMs`, and only after `delayMs` (short runs
 * print nothing). Piped or redirected, it is silent, so scripts and logs never see it.
 *
 *   const progress = createProgress();
 *   for (...) progress.update(() => `${count} events read`);   // cheap: `describe` only runs when redrawing
 *   progress.done();                                             // clears the line
 */
export interface Progress {
  /** Whether anything will ever be drawn (false when the stream is not a terminal). */
  readonly enabled: boolean;
  /** Redraws the line with `describe(elapsedMs)` if the interval has passed; otherwise costs one clock read. */
  update(describe: (elapsedMs: number) => string): void;
  /** Clears the line; with `final`, leaves that text on it instead (followed by a newline). */
  done(final?: string): void;
}

export interface ProgressOptions {
  /** Default: process.stderr. */
  stream?: { isTTY?: boolean; columns?: number; write(text: string): unknown };
  /** Draw even when the stream is not a terminal (tests). Default: only on a terminal. */
  force?: boolean;
  /** Redraw at most this often (default 250 ms). */
  intervalMs?: number;
  /** Draw nothing during the first `delayMs` (default 1,000 ms): quick runs stay quiet. */
  delayMs?: number;
  /** Clock in ms (tests); default performance.now. */
  now?: () => number;
}

export const silentProgress: Progress = { enabled: false, update() {}, done() {} };

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!(options.force || stream.isTTY)) return silentProgress;
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 250;
  const startedAt = now();
  let nextDrawAt = startedAt + (options.delayMs ?? 1_000);
  let drawn = false;
  return {
    enabled: true,
    update(describe) {
      const at = now();
      if (at < nextDrawAt) return;
      nextDrawAt = at + intervalMs;
      // Wider than the terminal, a line wraps and \r no longer returns to its start.
      const width = Math.max(20, (stream.columns || 80) - 1); // 0 on a terminal that reports no size
      const text = describe(at - startedAt);
      stream.write(`\r${text.length > width ? text.slice(0, width - 1) + '…' : text}\x1b[K`);
      drawn = true;
    },
    done(final) {
      if (final !== undefined) stream.write(`\r${final}\x1b[K\n`);
      else if (drawn) stream.write('\r\x1b[K');
      drawn = false;
      nextDrawAt = Infinity;
    },
  };
}

/** 1234567 → "1,234,567": for progress lines. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Items per second over `elapsedMs`, formatted ("212,345/s"); "–" before any time has passed. */
export function formatRate(count: number, elapsedMs: number): string {
  return elapsedMs > 0 ? `${formatCount((count * 1000) / elapsedMs)}/s` : '–/s';
}
