import type { GroupStats } from './call-stats.js';
import { describePeriod, iso } from './period.js';
import type { Report } from './report.js';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export const NONE = '—';
export const TOTAL_LABEL = 'total';

/** How a report other than the recorded log's says what it is (the what-if report). */
export interface ReportLabels {
  /** Instead of "Ring log report". */
  title?: string;
  /** A line under the period: where the numbers come from. */
  source?: string;
  /** Added to the JSON object (e.g. what was replayed). */
  json?: Record<string, unknown>;
}

interface Column {
  heading: string;
  csv: string;
  cell: (stats: GroupStats) => string;
}

const count = (key: 'calls' | 'answered' | 'onTime' | 'late' | 'missed' | 'callbacksOwed' | 'callbacksOverdue') => (s: GroupStats) => String(s[key]);
export const decimal = (value: number | null, unit = '') => (value === null ? NONE : `${value.toFixed(1)}${unit}`);

const COLUMNS: readonly Column[] = [
  { heading: 'calls', csv: 'calls', cell: count('calls') },
  { heading: 'answered', csv: 'answered', cell: count('answered') },
  { heading: 'on time', csv: 'on_time', cell: count('onTime') },
  { heading: 'late', csv: 'late', cell: count('late') },
  { heading: 'missed', csv: 'missed', cell: count('missed') },
  { heading: 'service level', csv: 'service_level_pct', cell: (s) => decimal(s.serviceLevel, '%') },
  { heading: 'avg wait', csv: 'avg_wait_s', cell: (s) => decimal(s.avgWaitSeconds, ' s') },
  { heading: '90% within', csv: 'p90_wait_s', cell: (s) => decimal(s.p90WaitSeconds, ' s') },
  { heading: 'avg rings', csv: 'avg_rings', cell: (s) => decimal(s.avgRings) },
  { heading: 'callbacks owed', csv: 'callbacks_owed', cell: count('callbacksOwed') },
  { heading: 'overdue', csv: 'callbacks_overdue', cell: count('callbacksOverdue') },
];

export function formatReport(report: Report, format: ReportFormat, labels: ReportLabels = {}): string {
  switch (format) {
    case 'table':
      return formatTable(report, labels);
    case 'csv':
      return formatCsv(report);
    case 'json':
      return JSON.stringify({ ...reportJson(report), ...labels.json }, null, 2) + '\n';
  }
}

/** Aligned columns for people: names left, numbers right, a rule above the total, and what the numbers mean. */
export function formatTable(report: Report, labels: ReportLabels = {}): string {
  const rows = [...report.groups, report.total].map((s, i) => [i === report.groups.length ? TOTAL_LABEL : s.group, ...COLUMNS.map((c) => c.cell(s))]);
  const header = [report.by, ...COLUMNS.map((c) => c.heading)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = '─'.repeat(render(header).length);
  const bodyRows = rows.slice(0, -1).map(render);
  return [
    `${labels.title ?? 'Ring log report'} — site ${report.site ?? '(none recorded)'}, by ${report.by}`,
    describePeriod(report.period),
    ...(labels.source ? [labels.source] : []),
    '',
    render(header),
    rule,
    ...(bodyRows.length ? bodyRows : ['(no calls in this period)']),
    rule,
    render(rows.at(-1)!),
    '',
    'service level: calls answered on time, of all calls. Waits in seconds from the first ring; "90% within": nine',
    'in ten answered calls waited no longer. Callbacks owed: for calls missed in the period, still open at its end.',
    '',
  ].join('\n');
}

/** RFC 4180: a header, one record per group and the total, CRLF line ends; empty fields where there is nothing to measure. */
export function formatCsv(report: Report): string {
  const number = (value: number | null) => (value === null ? '' : String(value));
  const record = (s: GroupStats, label: string) => [
    label, s.calls, s.answered, s.onTime, s.late, s.missed,
    number(s.serviceLevel), number(s.avgWaitSeconds), number(s.p90WaitSeconds), number(s.avgRings), s.callbacksOwed, s.callbacksOverdue,
  ].map((field) => csvField(String(field))).join(',');
  const header = [report.by, ...COLUMNS.map((c) => c.csv)].join(',');
  return [header, ...report.groups.map((s) => record(s, s.group)), record(report.total, TOTAL_LABEL)].join('\r\n') + '\r\n';
}

export function reportJson(report: Report) {
  const { from, to, timeZone } = report.period;
  return {
    site: report.site,
    period: { from: iso(from, timeZone), to: iso(to, timeZone), timeZone },
    by: report.by,
    groups: report.groups,
    total: withoutGroup(report.total),
  };
}

export const withoutGroup = ({ group: _group, ...stats }: GroupStats) => stats;

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
