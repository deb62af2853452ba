import type { DeviceEvent } from '../../devices/device-events.js';
import { describeDeviceEvent } from '../console-log.js';
import type { Decision } from '../core/index.js';
import { describeDecision, subjectOf } from '../format.js';

export interface RecentEntry {
  ts: string;
  type: string;
  line?: string;
  text: string;
}

export interface TodaySummary {
  day: string;
  calls: number;
  answeredOnTime: number;
  answeredLate: number;
  missed: number;
  /** % of finished calls answered before ring answerBy began; null before the first finished call. */
  serviceLevel: number | null;
  recent: RecentEntry[];
}

/** Today's service level and the last log entries, for the floor page; starts over at local midnight. */
export class TodayStats {
  private day = '';
  private counts = { calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0 };
  private readonly recent: RecentEntry[] = [];

  constructor(private readonly keep = 20) {}

  addDecision(decision: Decision): void {
    this.rollOver(decision.t);
    if (decision.type === 'ring' && decision.ring === 1) this.counts.calls++;
    if (decision.type === 'answered') this.counts[decision.onTime ? 'answeredOnTime' : 'answeredLate']++;
    if (decision.type === 'missed') this.counts.missed++;
    this.remember({ ts: new Date(decision.t).toISOString(), type: decision.type, line: subjectOf(decision), text: describeDecision(decision) });
  }

  addDeviceEvent(event: DeviceEvent, t: number): void {
    this.rollOver(t);
    this.remember({ ts: new Date(t).toISOString(), type: event.type, text: describeDeviceEvent(event) });
  }

  summary(): TodaySummary {
    const finished = this.counts.answeredOnTime + this.counts.answeredLate + this.counts.missed;
    return {
      day: this.day,
      ...this.counts,
      serviceLevel: finished === 0 ? null : Math.round((1000 * this.counts.answeredOnTime) / finished) / 10,
      recent: [...this.recent],
    };
  }

  private remember(entry: RecentEntry): void {
    this.recent.unshift(entry);
    if (this.recent.length > this.keep) this.recent.pop();
  }

  private rollOver(t: number): void {
    const date = new Date(t);
    const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    if (day === this.day) return;
    this.day = day;
    this.counts = { calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0 };
  }
}
