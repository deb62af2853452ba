import type { CallSums } from '../store/pg-ring-log-reader.js';

/** One answered or missed call, as the `calls` projection holds it. */
export interface CallRecord {
  t: number;
  line: string;
  /** Answered: the answering desk; missed: the desk that should have answered. */
  desk: string | null;
  outcome: 'answered' | 'missed';
  rings: number | null;
  waitMs: number | null;
  onTime: boolean | null;
}

/** The numbers of one report row. Times in seconds; averages and percentages to one decimal; null = no calls to measure. */
export interface GroupStats {
  group: string;
  calls: number;
  answered: number;
  onTime: number;
  late: number;
  missed: number;
  /** On time / calls × 100. */
  serviceLevel: number | null;
  avgWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  avgRings: number | null;
  /** Opened in the period and still open at its end. */
  callbacksOwed: number;
  /** Of those, past due (or reported overdue) by the end of the period. */
  callbacksOverdue: number;
}

/** Sums for one group; waits are kept for the percentile. */
export class StatsAccumulator {
  private answered = 0;
  private onTime = 0;
  private missed = 0;
  /** Grown by doubling: a year is about a million waits, and typed arrays copy and select fast. */
  private waits = new Float64Array(64);
  private waitCount = 0;
  private ringsTotal = 0;
  private ringsCounted = 0;
  private callbacksOwed = 0;
  private callbacksOverdue = 0;

  addCall(call: CallRecord): void {
    if (call.outcome === 'missed') {
      this.missed++;
      return;
    }
    this.answered++;
    if (call.onTime === true) this.onTime++;
    if (call.waitMs !== null) {
      if (this.waitCount === this.waits.length) this.reserveWaits(1);
      this.waits[this.waitCount++] = call.waitMs;
    }
    if (call.rings !== null) {
      this.ringsTotal += call.rings;
      this.ringsCounted++;
    }
  }

  /** Everything the others counted, added to this one (the total row, without counting every call twice). */
  addAll(others: Iterable<StatsAccumulator>): this {
    for (const other of others) {
      this.answered += other.answered;
      this.onTime += other.onTime;
      this.missed += other.missed;
      this.reserveWaits(other.waitCount);
      this.waits.set(other.waits.subarray(0, other.waitCount), this.waitCount);
      this.waitCount += other.waitCount;
      this.ringsTotal += other.ringsTotal;
      this.ringsCounted += other.ringsCounted;
      this.callbacksOwed += other.callbacksOwed;
      this.callbacksOverdue += other.callbacksOverdue;
    }
    return this;
  }

  private reserveWaits(more: number): void {
    if (this.waitCount + more <= this.waits.length) return;
    const grown = new Float64Array(Math.max(this.waits.length * 2, this.waitCount + more));
    grown.set(this.waits.subarray(0, this.waitCount));
    this.waits = grown;
  }

  addOpenCallback(overdue: boolean): void {
    this.callbacksOwed++;
    if (overdue) this.callbacksOverdue++;
  }

  result(group: string): GroupStats {
    const waits = this.waits.subarray(0, this.waitCount);
    return statsFromSums(
      {
        answered: this.answered,
        onTime: this.onTime,
        missed: this.missed,
        waitSum: waits.reduce((sum, w) => sum + w, 0),
        waitCount: waits.length,
        p90Wait: waits.length ? percentile(waits, 0.9) : null,
        ringsSum: this.ringsTotal,
        ringsCount: this.ringsCounted,
        callbacksOwed: this.callbacksOwed,
        callbacksOverdue: this.callbacksOverdue,
      },
      group,
    );
  }
}

export function statsFromSums(s: CallSums, group: string): GroupStats {
  const calls = s.answered + s.missed;
  return {
    group,
    calls,
    answered: s.answered,
    onTime: s.onTime,
    late: s.answered - s.onTime,
    missed: s.missed,
    serviceLevel: calls ? oneDecimal((s.onTime / calls) * 100) : null,
    avgWaitSeconds: s.waitCount ? oneDecimal(s.waitSum / s.waitCount / 1000) : null,
    p90WaitSeconds: s.p90Wait === null ? null : oneDecimal(s.p90Wait / 1000),
    avgRings: s.ringsCount ? oneDecimal(s.ringsSum / s.ringsCount) : null,
    callbacksOwed: s.callbacksOwed,
    callbacksOverdue: s.callbacksOverdue,
  };
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return kthSmallest(Float64Array.from(values), Math.max(0, Math.ceil(p * values.length) - 1));
}

/**
 * Quickselect (Hoare partition, middle pivot): the value that would be at index k if `values` were sorted; reorders
 * `values`. Linear on average, where sorting a year of waits (a million) for one percentile costs several times more.
 */
function kthSmallest(values: Float64Array, k: number): number {
  let low = 0, high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low, j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k]!;
  }
  return values[k]!;
}

export const oneDecimal = (n: number): number => Math.round(n * 10) / 10;
