import { systemClock, type Clock } from '../common/clock.js';
import type { Cadence } from '../core/cadence.js';

export type RingBurst = { type: 'ring'; line: string; state: 'on' | 'off' };

/**
 * What a line plays while a source says only "ringing" and its cadence is `auto`: the European 1 s on, 4 s off.
 * The core's `auto` timing counts one ring per period of it (4 s of silence ≥ its 1 s "next ring" silence).
 */
export const AUTO_PATTERN: readonly number[] = [1000, 4000];

/** More ringing calls than this on one line are not tracked (the line rings anyway); a sender names call keys. */
export const MAX_CALLS_PER_LINE = 64;

interface LineRinging {
  calls: Set<string>;
  startedAt: number;
  pattern: readonly number[];
  /** Index into the pattern of the edge that comes next; even = a burst starts, odd = it ends. */
  next: number;
  nextAt: number;
  on: boolean;
  cancel: () => void;
}

/**
 * Ring bursts for sources that know only "ringing" or "not ringing" per call (softphones, PBXs, the Kuando Box).
 * While any call on a line rings, the line plays its cadence: the first burst starts at once (ring 1 is when the
 * call came in), then one ring per cadence period — exactly what a ring sensor on that line would have seen, so
 * the core counts rings, escalates and detects a missed call the same way. When the last call stops ringing, a
 * burst in progress ends at once; the core's usual silence then tells a cancelled call from an answered one.
 * Edges are emitted with their scheduled time, so a late timer does not stretch the count.
 */
export class WholeRing {
  private readonly lines = new Map<string, LineRinging>();
  private dropped = 0;

  constructor(
    private readonly options: {
      cadence: (line: string) => Cadence;
      emit: (burst: RingBurst, at: number) => void;
      clock?: Clock;
    },
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** Calls tracked beyond MAX_CALLS_PER_LINE (they ring the line, but their own end is not waited for). */
  get droppedCalls(): number {
    return this.dropped;
  }

  isRinging(line: string): boolean {
    return this.lines.has(line);
  }

  /** Call `call` on `line` rings (true) or stopped ringing (false): answered, cancelled, gone. Repeats are no-ops. */
  set(line: string, call: string, ringing: boolean): void {
    const current = this.lines.get(line);
    if (!ringing) {
      if (!current?.calls.delete(call)) return;
      if (current.calls.size === 0) this.silence(line, current);
      return;
    }
    if (current) {
      if (current.calls.has(call)) return;
      if (current.calls.size >= MAX_CALLS_PER_LINE) this.dropped++;
      else current.calls.add(call);
      return;
    }
    const cadence = this.options.cadence(line);
    const now = this.clock.now();
    const ring: LineRinging = {
      calls: new Set([call]),
      startedAt: now,
      pattern: cadence === 'auto' ? AUTO_PATTERN : cadence,
      next: 0,
      nextAt: now,
      on: false,
      cancel: () => {},
    };
    this.lines.set(line, ring);
    this.edge(line, ring);
  }

  /** Stops every line at once (a source went away, or the feature stops). */
  stopAll(): void {
    for (const [line, ring] of [...this.lines]) this.silence(line, ring);
  }

  /** Stops the calls `matches` picks, on every line (e.g. all calls of one softphone that went offline). */
  stopCalls(matches: (call: string) => boolean): void {
    for (const [line, ring] of [...this.lines]) {
      for (const call of [...ring.calls]) if (matches(call)) ring.calls.delete(call);
      if (ring.calls.size === 0) this.silence(line, ring);
    }
  }

  private edge(line: string, ring: LineRinging): void {
    const at = ring.nextAt;
    ring.on = ring.next % 2 === 0;
    this.options.emit({ type: 'ring', line, state: ring.on ? 'on' : 'off' }, at);
    if (this.lines.get(line) !== ring) return;
    ring.nextAt = at + ring.pattern[ring.next]!;
    ring.next = (ring.next + 1) % ring.pattern.length;
    ring.cancel = this.clock.wakeAt(ring.nextAt, () => this.edge(line, ring));
  }

  private silence(line: string, ring: LineRinging): void {
    ring.cancel();
    this.lines.delete(line);
    if (ring.on) this.options.emit({ type: 'ring', line, state: 'off' }, Math.max(this.clock.now(), ring.startedAt));
  }
}
