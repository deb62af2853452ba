import { oneDecimal } from './call-stats.js';
import { LocalClock } from './local-time.js';

/** Calls in one hour of the day (local), over however many days were counted. */
export interface HourStat {
  /** 0–23 */
  hour: number;
  calls: number;
  onTime: number;
  missed: number;
  /** On time / calls × 100, one decimal; null without calls. */
  serviceLevel: number | null;
}

/** Anything with the shape of an `answered` / `missed` decision (other types are skipped). */
export interface HourlyCall {
  t: number;
  type: string;
  onTime?: boolean | null | undefined;
}

/** All 24 hours of the day in `timeZone`, each with the calls answered or missed in it. */
export function hourlyStats(calls: Iterable<HourlyCall>, timeZone: string): HourStat[] {
  const clock = new LocalClock(timeZone);
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, calls: 0, onTime: 0, missed: 0 }));
  for (const call of calls) {
    if (call.type !== 'answered' && call.type !== 'missed') continue;
    const hour = hours[clock.hourOf(call.t)]!;
    hour.calls++;
    if (call.type === 'missed') hour.missed++;
    else if (call.onTime === true) hour.onTime++;
  }
  return hours.map((h) => ({ ...h, serviceLevel: h.calls ? oneDecimal((h.onTime / h.calls) * 100) : null }));
}

export interface ChartText {
  title?: string;
  /** e.g. the site, period and time zone. */
  subtitle?: string;
}

const WIDTH = 760, HEIGHT = 400;
const AXIS_STEPS = 5;
const SERVICE_TICKS = [0, 20, 40, 60, 80, 100];
const PLOT = { left: 64, right: WIDTH - 72, top: 92, bottom: HEIGHT - 56 };
const COLOR = { missed: '#d55e00', service: '#0072b2', grid: '#d0d7de', text: '#1f2328' }; // Okabe–Ito: safe for colour blindness

/**
 * Missed calls (bars, left axis) and service level (line with dots, right axis) per hour of day, as a standalone
 * SVG. Hours before the first and after the last call are left out. Shapes, labels and a text summary carry the
 * meaning, so it reads without colour and with a screen reader.
 */
export function renderServiceChart(hours: readonly HourStat[], text: ChartText = {}): string {
  const title = text.title ?? 'When are calls missed? Missed calls and service level by hour of day';
  const withCalls = hours.filter((h) => h.calls > 0);
  const shown = withCalls.length ? hours.filter((h) => h.hour >= withCalls[0]!.hour && h.hour <= withCalls.at(-1)!.hour) : hours;
  const band = (PLOT.right - PLOT.left) / Math.max(1, shown.length);
  const xOf = (i: number) => PLOT.left + band * i;
  const missedAxis = missedScale(Math.max(0, ...shown.map((h) => h.missed)));
  const missedMax = missedAxis.top;
  const yMissed = (n: number) => PLOT.bottom - (n / missedMax) * (PLOT.bottom - PLOT.top);
  const yService = (pct: number) => PLOT.bottom - (pct / 100) * (PLOT.bottom - PLOT.top);
  const label = (h: HourStat) => `${hh(h.hour)}:00–${hh(h.hour + 1)}:00`;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, sans-serif" font-size="12" fill="${COLOR.text}">`,
    `<title id="chart-title">${xml(title)}</title>`,
    `<desc id="chart-desc">${xml(describe(shown, text.subtitle))}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="16" font-weight="bold">${xml(title)}</text>`,
  );
  if (text.subtitle) parts.push(`<text x="${PLOT.left}" y="42" font-size="12">${xml(text.subtitle)}</text>`);
  parts.push(legend());

  parts.push(`<g class="grid" stroke="${COLOR.grid}" stroke-width="1">`);
  for (const pct of SERVICE_TICKS) parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${fx(yService(pct))}" y2="${fx(yService(pct))}"/>`);
  parts.push('</g>');

  parts.push(`<g class="axis-missed" text-anchor="end">`);
  for (let n = 0; n <= missedMax; n += missedAxis.step) parts.push(`<text x="${PLOT.left - 8}" y="${fx(yMissed(n) + 4)}">${n}</text>`);
  parts.push(`<text transform="translate(18 ${fx((PLOT.top + PLOT.bottom) / 2)}) rotate(-90)" text-anchor="middle">missed calls</text>`, '</g>');
  parts.push(`<g class="axis-service" text-anchor="start">`);
  for (const pct of SERVICE_TICKS) parts.push(`<text x="${PLOT.right + 8}" y="${fx(yService(pct) + 4)}">${pct}%</text>`);
  parts.push(`<text transform="translate(${WIDTH - 14} ${fx((PLOT.top + PLOT.bottom) / 2)}) rotate(90)" text-anchor="middle">service level (answered on time)</text>`, '</g>');

  parts.push(`<g class="axis-hours" text-anchor="middle">`);
  shown.forEach((h, i) => parts.push(`<text x="${fx(xOf(i) + band / 2)}" y="${PLOT.bottom + 18}">${hh(h.hour)}</text>`));
  parts.push(`<text x="${fx((PLOT.left + PLOT.right) / 2)}" y="${PLOT.bottom + 40}">hour of day</text>`, '</g>');
  parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="${COLOR.text}"/>`);

  parts.push(`<g class="missed-bars" fill="${COLOR.missed}">`);
  shown.forEach((h, i) => {
    if (h.missed === 0) return;
    const x = xOf(i) + band * 0.2, y = yMissed(h.missed);
    parts.push(
      `<rect class="missed-bar" x="${fx(x)}" y="${fx(y)}" width="${fx(band * 0.6)}" height="${fx(PLOT.bottom - y)}"><title>${label(h)}: ${h.missed} missed of ${h.calls} calls</title></rect>`,
      `<text class="missed-label" x="${fx(xOf(i) + band / 2)}" y="${fx(y - 4)}" text-anchor="middle" fill="${COLOR.text}">${h.missed}</text>`,
    );
  });
  parts.push('</g>');

  parts.push(`<g class="service-level" stroke="${COLOR.service}" fill="${COLOR.service}">`);
  for (const run of runsWithCalls(shown)) {
    const points = run.map(({ h, i }) => `${fx(xOf(i) + band / 2)},${fx(yService(h.serviceLevel!))}`).join(' ');
    if (run.length > 1) parts.push(`<polyline points="${points}" fill="none" stroke-width="2.5"/>`);
    for (const { h, i } of run) {
      parts.push(`<circle class="service-point" cx="${fx(xOf(i) + band / 2)}" cy="${fx(yService(h.serviceLevel!))}" r="4"><title>${label(h)}: service level ${h.serviceLevel!.toFixed(1)}% (${h.onTime} of ${h.calls} on time)</title></circle>`);
    }
  }
  parts.push('</g>');
  if (!withCalls.length) parts.push(`<text x="${fx((PLOT.left + PLOT.right) / 2)}" y="${fx((PLOT.top + PLOT.bottom) / 2)}" text-anchor="middle" font-size="14">No calls in this period</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function legend(): string {
  const y = 66;
  return [
    '<g class="legend">',
    `<rect x="${PLOT.left}" y="${y - 10}" width="14" height="12" fill="${COLOR.missed}"/>`,
    `<text x="${PLOT.left + 20}" y="${y}">missed calls (bars, left axis)</text>`,
    `<line x1="${PLOT.left + 240}" x2="${PLOT.left + 268}" y1="${y - 4}" y2="${y - 4}" stroke="${COLOR.service}" stroke-width="2.5"/>`,
    `<circle cx="${PLOT.left + 254}" cy="${y - 4}" r="4" fill="${COLOR.service}"/>`,
    `<text x="${PLOT.left + 276}" y="${y}">service level % (line, right axis)</text>`,
    '</g>',
  ].join('\n');
}

/** The summary a screen reader gives instead of the picture. */
function describe(hours: readonly HourStat[], subtitle: string | undefined): string {
  const withCalls = hours.filter((h) => h.calls > 0);
  const intro = subtitle ? `${subtitle}. ` : '';
  if (!withCalls.length) return `${intro}No calls in this period.`;
  const mostMissed = withCalls.reduce((a, b) => (b.missed > a.missed ? b : a));
  const lowest = withCalls.reduce((a, b) => (b.serviceLevel! < a.serviceLevel! ? b : a));
  const missedTotal = withCalls.reduce((sum, h) => sum + h.missed, 0);
  const missed = missedTotal ? `Most missed calls at ${hh(mostMissed.hour)}:00 (${mostMissed.missed} of ${mostMissed.calls}).` : 'No missed calls.';
  return `${intro}${withCalls.reduce((sum, h) => sum + h.calls, 0)} calls from ${hh(withCalls[0]!.hour)}:00 to ${hh(withCalls.at(-1)!.hour + 1)}:00, ${missedTotal} missed. ${missed} Lowest service level at ${hh(lowest.hour)}:00 (${lowest.serviceLevel!.toFixed(1)}%).`;
}

/** Consecutive hours that had calls: the line breaks where an hour had none rather than pretend it was 0%. */
function runsWithCalls(hours: readonly HourStat[]): { h: HourStat; i: number }[][] {
  const runs: { h: HourStat; i: number }[][] = [];
  let run: { h: HourStat; i: number }[] = [];
  hours.forEach((h, i) => {
    if (h.serviceLevel !== null) return void run.push({ h, i });
    if (run.length) runs.push(run);
    run = [];
  });
  if (run.length) runs.push(run);
  return runs;
}

/** The missed-calls axis: five whole-number steps of 1, 2 or 5 × 10ⁿ, so its ticks sit on the service level's gridlines. */
function missedScale(max: number): { top: number; step: number } {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [magnitude, 2 * magnitude, 5 * magnitude]) {
      if (max <= AXIS_STEPS * step) return { top: AXIS_STEPS * step, step };
    }
  }
}

const hh = (hour: number) => String(hour % 24).padStart(2, '0');
const fx = (n: number) => String(Math.round(n * 10) / 10);
const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
