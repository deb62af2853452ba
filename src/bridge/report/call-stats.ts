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
  private waits: number[] = [];
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
    if (call.waitMs !== null) this.waits.push(call.waitMs);
    if (call.rings !== null) {
      this.ringsTotal += call.rings;
      this.ringsCounted++;
    }
  }

  addOpenCallback(overdue: boolean): void {
    this.callbacksOwed++;
    if (overdue) this.callbacksOverdue++;
  }

  result(group: string): GroupStats {
    const calls = this.answered + this.missed;
    const waitTotal = this.waits.reduce((sum, w) => sum + w, 0);
    return {
      group,
      calls,
      answered: this.answered,
      onTime: this.onTime,
      late: this.answered - this.onTime,
      missed: this.missed,
      serviceLevel: calls ? oneDecimal((this.onTime / calls) * 100) : null,
      avgWaitSeconds: this.waits.length ? oneDecimal(waitTotal / this.waits.length / 1000) : null,
      p90WaitSeconds: this.waits.length ? oneDecimal(percentile(this.waits, 0.9) / 1000) : null,
      avgRings: this.ringsCounted ? oneDecimal(this.ringsTotal / this.ringsCounted) : null,
      callbacksOwed: this.callbacksOwed,
      callbacksOverdue: this.callbacksOverdue,
    };
  }
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export const oneDecimal = (n: number): number => Math.round(n * 10) / 10;
