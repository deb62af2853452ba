import { describe, expect, it } from 'vitest';
import { StatsAccumulator } from '../../src/bridge/report/call-stats.js';
import type { Report } from '../../src/bridge/report/report.js';
import { csvField, formatCsv, formatTable } from '../../src/bridge/report/report-format.js';

const stats = (group: string, waits: number[], missed = 0) => {
  const acc = new StatsAccumulator();
  for (const waitMs of waits) acc.addCall({ t: 0, line: group, desk: null, outcome: 'answered', rings: 1, waitMs, onTime: waitMs < 10_000 });
  for (let i = 0; i < missed; i++) acc.addCall({ t: 0, line: group, desk: null, outcome: 'missed', rings: 6, waitMs: 30_000, onTime: null });
  return acc;
};
const report = (groups: [string, StatsAccumulator][]): Report => ({
  site: 'b',
  period: { from: Date.parse('2026-03-02T00:00:00Z'), to: Date.parse('2026-03-03T00:00:00Z'), timeZone: 'UTC' },
  by: 'line',
  groups: groups.map(([name, acc]) => acc.result(name)),
  total: new StatsAccumulator().addAll(groups.map(([, acc]) => acc)).result('total'),
});

describe('report formats', () => {
  it('quotes CSV fields the RFC 4180 way', () => {
    expect(csvField('front')).toBe('front');
    expect(csvField('front, desk')).toBe('"front, desk"');
    expect(csvField('the "big" one')).toBe('"the ""big"" one"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('leaves CSV fields empty, and the table shows —, where there is nothing to measure', () => {
    const r = report([['front', stats('front', [4000, 12_000])], ['back', stats('back', [], 2)]]);
    expect(formatCsv(r).split('\r\n')).toEqual([
      'line,calls,answered,on_time,late,missed,service_level_pct,avg_wait_s,p90_wait_s,avg_rings,callbacks_owed,callbacks_overdue',
      'front,2,2,1,1,0,50,8,12,1,0,0',
      'back,2,0,0,0,2,0,,,,0,0',
      'total,4,2,1,1,2,25,8,12,1,0,0',
      '',
    ]);
    expect(formatTable(r)).toMatch(/^back +2 +0 +0 +0 +2 +0\.0% +— +— +— +0 +0$/m);
  });

  it('says so when the period had no calls', () => {
    const table = formatTable(report([]));
    expect(table).toContain('(no calls in this period)');
    expect(table).toMatch(/^total +0 +0 +0 +0 +0 +— +— +— +— +0 +0$/m);
  });
});
