import { oneDecimal, StatsAccumulator, type GroupStats } from './call-stats.js';
import { describePeriod, iso } from './period.js';
import { sortGroups, type Report } from './report.js';
import { csvField, decimal, NONE, TOTAL_LABEL, withoutGroup, type ReportFormat } from './report-format.js';

/** The recorded report and the what-if report of the same period, site and grouping. */
export interface Comparison {
  recorded: Report;
  whatIf: Report;
  /** The ring log, the other config and the events replayed with it. */
  source: { db: string; config: string; events: string };
}

/** What-if minus recorded; service level in percentage points (of the one-decimal values shown), null if either has no calls. */
export interface Change {
  calls: number;
  onTime: number;
  late: number;
  missed: number;
  serviceLevel: number | null;
}

export interface ComparedGroup {
  group: string;
  recorded: GroupStats;
  whatIf: GroupStats;
  change: Change;
}

type Metric = { heading: string; csv: string; key: keyof Change };
const METRICS: readonly Metric[] = [
  { heading: 'calls', csv: 'calls', key: 'calls' },
  { heading: 'on time', csv: 'on_time', key: 'onTime' },
  { heading: 'late', csv: 'late', key: 'late' },
  { heading: 'missed', csv: 'missed', key: 'missed' },
  { heading: 'service level', csv: 'service_level_pct', key: 'serviceLevel' },
];
const SIDES = ['rec.', 'what-if', 'Δ'] as const;

/** Every group of either report, in report order; a group only one side has counts zero calls on the other. */
export function compareReports(recorded: Report, whatIf: Report): { groups: ComparedGroup[]; total: ComparedGroup } {
  const before = new Map(recorded.groups.map((s) => [s.group, s]));
  const after = new Map(whatIf.groups.map((s) => [s.group, s]));
  const none = (group: string) => new StatsAccumulator().result(group);
  const keys = sortGroups([...new Set([...before.keys(), ...after.keys()])], recorded.by);
  return {
    groups: keys.map((key) => compared(key, before.get(key) ?? none(key), after.get(key) ?? none(key))),
    total: compared(TOTAL_LABEL, recorded.total, whatIf.total),
  };
}

function compared(group: string, recorded: GroupStats, whatIf: GroupStats): ComparedGroup {
  const serviceLevel = recorded.serviceLevel === null || whatIf.serviceLevel === null ? null : oneDecimal(whatIf.serviceLevel - recorded.serviceLevel);
  return {
    group,
    recorded,
    whatIf,
    change: {
      calls: whatIf.calls - recorded.calls,
      onTime: whatIf.onTime - recorded.onTime,
      late: whatIf.late - recorded.late,
      missed: whatIf.missed - recorded.missed,
      serviceLevel,
    },
  };
}

export function formatComparison(comparison: Comparison, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return comparisonTable(comparison);
    case 'csv':
      return comparisonCsv(comparison);
    case 'json':
      return JSON.stringify(comparisonJson(comparison), null, 2) + '\n';
  }
}

const signed = (n: number, digits = 0) => (n > 0 ? '+' : n < 0 ? '-' : '') + Math.abs(n).toFixed(digits);

function cells(row: ComparedGroup, metric: Metric): [string, string, string] {
  if (metric.key === 'serviceLevel') {
    const change = row.change.serviceLevel;
    return [decimal(row.recorded.serviceLevel, '%'), decimal(row.whatIf.serviceLevel, '%'), change === null ? NONE : signed(change, 1)];
  }
  return [String(row.recorded[metric.key]), String(row.whatIf[metric.key]), signed(row.change[metric.key])];
}

/** Recorded, what-if and the difference side by side for each measure, under the measure's name. */
function comparisonTable(comparison: Comparison): string {
  const { recorded, whatIf, source } = comparison;
  const { groups, total } = compareReports(recorded, whatIf);
  const rows = [...groups, total].map((row) => [row.group, ...METRICS.flatMap((metric) => cells(row, metric))]);
  const subHeader = [recorded.by, ...METRICS.flatMap(() => SIDES)];
  const widths = subHeader.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  // A measure's name spans its three columns; widen the first of them if the name is longer.
  METRICS.forEach((metric, m) => {
    const first = 1 + m * 3;
    const span = widths[first]! + widths[first + 1]! + widths[first + 2]! + 2 * GAP.length;
    if (metric.heading.length > span) widths[first]! += metric.heading.length - span;
  });
  const render = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : (i % 3 === 1 ? SPAN_GAP : GAP) + cell.padStart(widths[i]!))).join('').trimEnd();
  const header = [
    ''.padEnd(widths[0]!) +
      METRICS.map((metric, m) => {
        const first = 1 + m * 3;
        const span = widths[first]! + widths[first + 1]! + widths[first + 2]! + 2 * GAP.length;
        return SPAN_GAP + metric.heading.padStart(span);
      }).join(''),
    render(subHeader),
  ];
  const rule = '─'.repeat(render(subHeader).length);
  const body = rows.slice(0, -1).map(render);
  return [
    `What-if report — site ${recorded.site ?? '(none recorded)'}, by ${recorded.by}`,
    describePeriod(recorded.period),
    `rec.: recorded in ${source.db}; what-if: ${source.events} replayed with ${source.config}`,
    '',
    ...header.map((line) => line.trimEnd()),
    rule,
    ...(body.length ? body : ['(no calls in this period)']),
    rule,
    render(rows.at(-1)!),
    '',
    'Δ: what-if minus recorded (service level in percentage points). The replay keeps who picked up and when: a',
    'config changes who is asked to answer (missed calls count against that desk), on time vs late (answerBy), when a',
    'call counts as missed (cadence) and the callbacks owed — not whether someone who never picked up would have.',
    '',
  ].join('\n');
}

const GAP = '  ';
const SPAN_GAP = '    ';

function comparisonCsv(comparison: Comparison): string {
  const { groups, total } = compareReports(comparison.recorded, comparison.whatIf);
  const number = (value: number | null) => (value === null ? '' : String(value));
  const header = [comparison.recorded.by, ...METRICS.flatMap((m) => [`${m.csv}_recorded`, `${m.csv}_what_if`, `${m.csv}_change`])].join(',');
  const record = (row: ComparedGroup) =>
    [row.group, ...METRICS.flatMap((m) => {
      const key = m.key;
      return key === 'serviceLevel'
        ? [number(row.recorded.serviceLevel), number(row.whatIf.serviceLevel), number(row.change.serviceLevel)]
        : [String(row.recorded[key]), String(row.whatIf[key]), String(row.change[key])];
    })].map(csvField).join(',');
  return [header, ...groups.map(record), record(total)].join('\r\n') + '\r\n';
}

export function comparisonJson(comparison: Comparison) {
  const { recorded, whatIf, source } = comparison;
  const { groups, total } = compareReports(recorded, whatIf);
  const { from, to, timeZone } = recorded.period;
  const sides = (row: ComparedGroup) => ({ recorded: withoutGroup(row.recorded), whatIf: withoutGroup(row.whatIf), change: row.change });
  return {
    site: recorded.site,
    period: { from: iso(from, timeZone), to: iso(to, timeZone), timeZone },
    by: recorded.by,
    recorded: { db: source.db },
    whatIf: { config: source.config, events: source.events },
    groups: groups.map((row) => ({ group: row.group, ...sides(row) })),
    total: sides(total),
  };
}
