// Today's service level and counts, and today's chart (fetched again when a call finishes).
import { SVG_NS, $, setData, setText } from './dom.js';
import { page } from './state.js';
import { plural } from './words.js';

/** The chart is fetched again when a call finishes, at most this often. */
const CHART_EVERY_MS = 5000;

/**
 * Today's numbers add up: calls = on time + late + missed + ringing now (a call is counted at its first ring and
 * finished when answered or missed). The service level is of the finished calls, and says how many.
 */
export function renderToday() {
  const t = page.today;
  const finished = t.answeredOnTime + t.answeredLate + t.missed;
  const level = finished === 0 ? null : Math.round((1000 * t.answeredOnTime) / finished) / 10;
  setText($('#service-level'), level === null ? '—' : `${level} %`);
  setText(
    $('#service-label'),
    finished === 0 ? `no finished calls yet (answered before ring ${page.answerBy})` : `of ${plural(finished, 'finished call')} answered before ring ${page.answerBy}`,
  );
  setData($('#service'), 'level', level === null ? 'none' : level >= 90 ? 'good' : level >= 75 ? 'fair' : 'poor');
  $('#service-bar').style.setProperty('--level', `${level ?? 0}%`);
  setText($('#count-calls'), String(t.calls));
  setText($('#calls-word'), t.calls === 1 ? 'call' : 'calls');
  // A call that rang before midnight and finished after it is not today's: never below 0.
  setText($('#count-ringing'), String(Math.max(0, t.calls - finished)));
  setText($('#count-ontime'), String(t.answeredOnTime));
  setText($('#count-late'), String(t.answeredLate));
  setText($('#count-missed'), String(t.missed));
}

/**
 * Today's chart, inline so it takes the page's colors: fetched at the first paint, then when a call finishes,
 * at most every CHART_EVERY_MS (the last call in a burst is always shown).
 */
export const chart = { lastAt: -Infinity, timer: null, running: false, again: false, finished: null };

export function chartAfterCall() {
  if (chart.timer !== null) return;
  const wait = chart.lastAt + CHART_EVERY_MS - performance.now();
  chart.timer = setTimeout(() => {
    chart.timer = null;
    chart.lastAt = performance.now();
    loadChart();
  }, Math.max(0, wait));
}

export async function loadChart() {
  if (chart.running) {
    chart.again = true;
    return;
  }
  chart.running = true;
  try {
    do {
      chart.again = false;
      try {
        const response = await fetch('/api/chart.svg', { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const doc = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
        const root = doc.documentElement;
        if (root.namespaceURI !== SVG_NS) throw new Error('not an SVG');
        // Its own size goes: the card sizes it.
        root.removeAttribute('width');
        root.removeAttribute('height');
        const container = $('#chart');
        container.replaceChildren(document.importNode(root, true));
        setData(container, 'loaded', true);
        setData(container, 'missed-hours', container.querySelectorAll('.missed-bar').length);
      } catch {
        // Kept as it was; the next finished call tries again.
      }
    } while (chart.again);
  } finally {
    chart.running = false;
  }
}
