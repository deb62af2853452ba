import type { DeviceEvent } from '../../common/device-events.js';
import type { Decision } from '../../core/index.js';
import { decisionView, describeDeskAction, describeDeviceEvent } from '../wording.js';
import { LocalClock, machineTimeZone } from '../report/local-time.js';

export interface RecentEntry {
  ts: string;
  type: string;
  /** What the entry is about: its line, or its desk (takeover, schedule) — as in the bridge's own log. */
  subject?: string;
  /** The same as `subject` (what floor pages before `subject` read). */
  line?: string;
  text: string;
  /** An escalation's level. */
  level?: number;
}

/** One finished call today, as the service chart needs it (the shape of an answered / missed decision). */
export interface TodayCall {
  t: number;
  type: 'answered' | 'missed';
  onTime: boolean;
}

export interface TodaySummary {
  /** YYYY-MM-DD in the office's time zone. */
  day: string;
  calls: number;
  answeredOnTime: number;
  answeredLate: number;
  missed: number;
  /** Callbacks that today's missed calls made owed (whether or not returned since). */
  callbacksOwed: number;
  /** % of finished calls answered before ring answerBy began; null before the first finished call. */
  serviceLevel: number | null;
  recent: RecentEntry[];
}

type Counts = Pick<TodaySummary, 'calls' | 'answeredOnTime' | 'answeredLate' | 'missed' | 'callbacksOwed'>;
const noCounts = (): Counts => ({ calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0, callbacksOwed: 0 });

/**
 * Today's service level, its calls hour by hour (for the chart) and the last log entries, for the floor page.
 * Starts over at midnight in the office's time zone (config `timezone`).
 */
export class TodayStats {
  private day = '';
  private counts = noCounts();
  /** Every call finished today, oldest first: a few bytes each, a busy office has a few hundred a day. */
  private finished: TodayCall[] = [];
  private readonly recent: RecentEntry[] = [];
  private readonly clock: LocalClock;

  constructor(
    private readonly keep = 20,
    timeZone = machineTimeZone(),
  ) {
    this.clock = new LocalClock(timeZone);
  }

  get timeZone(): string {
    return this.clock.timeZone;
  }

  addDecision(decision: Decision): void {
    this.rollOver(decision.t);
    if (decision.type === 'ring' && decision.ring === 1) this.counts.calls++;
    if (decision.type === 'answered') {
      this.counts[decision.onTime ? 'answeredOnTime' : 'answeredLate']++;
      this.finished.push({ t: decision.t, type: 'answered', onTime: decision.onTime });
    }
    if (decision.type === 'missed') {
      this.counts.missed++;
      this.finished.push({ t: decision.t, type: 'missed', onTime: false });
    }
    if (decision.type === 'callback-owed') this.counts.callbacksOwed++;
    const { subject, text, level } = decisionView(decision, this.timeZone);
    this.remember({ ts: new Date(decision.t).toISOString(), type: decision.type, subject, line: subject, text, ...(level === undefined ? {} : { level }) });
  }

  addDeviceEvent(event: DeviceEvent, t: number): void {
    this.rollOver(t);
    this.remember({ ts: new Date(t).toISOString(), type: event.type, text: describeDeviceEvent(event) });
  }

  /** A desk button pressed to acknowledge. */
  addDeskAction(action: { desk: string; action: string; line: string | null }, t: number): void {
    this.rollOver(t);
    const about = action.line ? { subject: action.line, line: action.line } : {};
    this.remember({ ts: new Date(t).toISOString(), type: 'desk-action', ...about, text: describeDeskAction(action) });
  }

  /** `now`, when given, starts a new day first if midnight passed since the last entry. */
  summary(now?: number): TodaySummary {
    if (now !== undefined) this.rollOver(now);
    const finished = this.counts.answeredOnTime + this.counts.answeredLate + this.counts.missed;
    return {
      day: this.day,
      ...this.counts,
      serviceLevel: finished === 0 ? null : Math.round((1000 * this.counts.answeredOnTime) / finished) / 10,
      recent: [...this.recent],
    };
  }

  /** The calls finished today (answered or missed), oldest first: the input of `hourlyStats`. */
  calls(now?: number): readonly TodayCall[] {
    if (now !== undefined) this.rollOver(now);
    return this.finished;
  }

  private remember(entry: RecentEntry): void {
    this.recent.unshift(entry);
    if (this.recent.length > this.keep) this.recent.pop();
  }

  private rollOver(t: number): void {
    const day = this.clock.dateOf(t);
    // Only forwards: a device event stamped a moment late must not bring yesterday back.
    if (day <= this.day) return;
    this.day = day;
    this.counts = noCounts();
    this.finished = [];
  }
}
