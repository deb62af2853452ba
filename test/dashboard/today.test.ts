import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/index.js';
import { TodayStats } from '../../src/bridge/dashboard/today.js';
import { hourlyStats } from '../../src/bridge/report/service-chart.js';

// Tokyo: UTC+9 all year, and far from the zone the tests run in, so a day that ends at the machine's midnight
// (instead of the office's) shows.
const TOKYO = 'Asia/Tokyo';
const tokyo = (dateTime: string) => Date.parse(`${dateTime}+09:00`);

const ring1 = (t: number): Decision => ({ t, type: 'ring', line: 'front', ring: 1 });
const answered = (t: number, onTime: boolean): Decision => ({ t, type: 'answered', line: 'front', rings: onTime ? 1 : 3, waitMs: onTime ? 2000 : 11_000, onTime, desk: 'anna' });
const missed = (t: number): Decision => ({ t, type: 'missed', line: 'front', rings: 2, waitMs: 12_000, desk: 'anna' });
const owed = (t: number): Decision => ({ t, type: 'callback-owed', line: 'front', missedAt: t, desk: 'anna', dueAt: t + 86_400_000 });

describe('TodayStats: today\'s calls hour by hour, in the office\'s time zone', () => {
  it('keeps one compact record per finished call, which hourlyStats buckets by local hour', () => {
    const today = new TodayStats(20, TOKYO);
    for (const decision of [
      ring1(tokyo('2026-03-10T09:10:00')), answered(tokyo('2026-03-10T09:10:02'), true),
      ring1(tokyo('2026-03-10T09:40:00')), missed(tokyo('2026-03-10T09:40:12')), owed(tokyo('2026-03-10T09:40:12')),
      ring1(tokyo('2026-03-10T14:59:50')), answered(tokyo('2026-03-10T15:00:01'), false),
    ]) today.addDecision(decision);

    expect(today.calls()).toEqual([
      { t: tokyo('2026-03-10T09:10:02'), type: 'answered', onTime: true },
      { t: tokyo('2026-03-10T09:40:12'), type: 'missed', onTime: false },
      { t: tokyo('2026-03-10T15:00:01'), type: 'answered', onTime: false },
    ]);
    const hours = hourlyStats(today.calls(), today.timeZone);
    expect(hours[9]).toEqual({ hour: 9, calls: 2, onTime: 1, missed: 1, serviceLevel: 50 });
    // The late answer came after 15:00 although the call began at 14:59: a call counts in the hour it finished.
    expect(hours[14]!.calls).toBe(0);
    expect(hours[15]).toEqual({ hour: 15, calls: 1, onTime: 0, missed: 0, serviceLevel: 0 });
    expect(today.summary()).toMatchObject({ day: '2026-03-10', calls: 3, answeredOnTime: 1, answeredLate: 1, missed: 1, callbacksOwed: 1, serviceLevel: 33.3 });
  });

  it('starts a new day at the office\'s midnight: counts and the hourly records, not the recent log', () => {
    const today = new TodayStats(20, TOKYO);
    today.addDecision(ring1(tokyo('2026-03-10T23:58:00')));
    today.addDecision(missed(tokyo('2026-03-10T23:58:20')));
    today.addDecision(owed(tokyo('2026-03-10T23:58:20')));
    // 23:59:59 in Tokyo is 14:59:59 UTC: still the same office day, whatever the machine's zone.
    today.addDecision(answered(tokyo('2026-03-10T23:59:59'), true));
    expect(today.calls()).toHaveLength(2);

    today.addDecision(ring1(tokyo('2026-03-11T00:00:30')));
    today.addDecision(answered(tokyo('2026-03-11T00:00:33'), true));
    expect(today.calls()).toEqual([{ t: tokyo('2026-03-11T00:00:33'), type: 'answered', onTime: true }]);
    const summary = today.summary();
    expect(summary).toMatchObject({ day: '2026-03-11', calls: 1, answeredOnTime: 1, answeredLate: 0, missed: 0, callbacksOwed: 0, serviceLevel: 100 });
    // The ring log on the page runs on across midnight.
    expect(summary.recent.map((e) => e.text)).toEqual([
      'answered at anna after 1 ring, 2.0 s — on time',
      'ring 1',
      'answered at anna after 1 ring, 2.0 s — on time',
      expect.stringMatching(/^callback owed by anna/),
      'MISSED after 2 rings (12.0 s)',
      'ring 1',
    ]);
    expect(hourlyStats(today.calls(), TOKYO).filter((h) => h.calls > 0).map((h) => h.hour)).toEqual([0]);
  });

  it('rolls over when asked after midnight with no call since, and never back to yesterday', () => {
    const today = new TodayStats(20, TOKYO);
    today.addDecision(missed(tokyo('2026-03-10T17:00:00')));
    expect(today.summary(tokyo('2026-03-10T23:00:00'))).toMatchObject({ day: '2026-03-10', missed: 1 });

    // The floor page asks at 07:00 the next morning: yesterday's numbers and chart are gone.
    expect(today.calls(tokyo('2026-03-11T07:00:00'))).toEqual([]);
    expect(today.summary()).toMatchObject({ day: '2026-03-11', calls: 0, missed: 0, serviceLevel: null });

    // A device event stamped before midnight arriving late counts in the log, but does not reopen yesterday.
    today.addDeviceEvent({ type: 'device', family: 'desk-unit', device: 'anna', state: 'online' }, tokyo('2026-03-10T23:59:58'));
    expect(today.summary()).toMatchObject({ day: '2026-03-11', missed: 0 });
    today.addDecision(answered(tokyo('2026-03-11T08:00:00'), false));
    expect(today.calls()).toEqual([{ t: tokyo('2026-03-11T08:00:00'), type: 'answered', onTime: false }]);
  });

  it('logs desk button presses with the line they were for, as the page words them', () => {
    const today = new TodayStats(20, TOKYO);
    today.addDeskAction({ desk: 'anna', action: 'ack', line: 'front' }, tokyo('2026-03-10T10:00:00'));
    today.addDeskAction({ desk: 'bram', action: 'ack', line: null }, tokyo('2026-03-10T10:00:01'));
    expect(today.summary().recent).toEqual([
      { ts: '2026-03-10T01:00:01.000Z', type: 'desk-action', text: 'bram: ack' },
      { ts: '2026-03-10T01:00:00.000Z', type: 'desk-action', subject: 'front', line: 'front', text: 'anna: ack' },
    ]);
  });
});
