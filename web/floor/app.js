// The live floor page: the floor plan with every desk's LED as its desk unit shows it (and who covers whom), the
// lines, today's service level and chart, the callbacks owed and the ring log. Plain browser JavaScript, no build
// step and nothing from the internet: the first paint comes from /api/floor and /api/state, live changes over MQTT
// (websocket) from the bridge's embedded broker; the callbacks and the chart are fetched again when they change.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** How long a line card keeps showing a finished call's outcome. */
const OUTCOME_VISIBLE_MS = 10_000;
const RECENT_KEEP = 20;
/** Without live updates (websocket listener off, or mqtt.js did not load) the page polls. */
const POLL_MS = 3000;
/** The chart is fetched again when a call finishes, at most this often. */
const CHART_EVERY_MS = 5000;
/** Callbacks listed in the panel; the rest are counted. */
const CALLBACKS_SHOWN = 8;

// The desk unit's LED says what the desk is asked to do (src/bridge/core/indications.ts): blinking or pulsing
// while a call rings, steady for the two reminders (hold: blue, callback overdue: amber).
const ALERT_OF_LED = {
  'blue fast-blink': 'yours',
  'blue solid': 'hold',
  'amber slow-blink': 'nearby',
  'amber solid': 'callback',
  'white pulse': 'everyone',
};
const ALERT_OF_COLOR = { blue: 'yours', amber: 'nearby', white: 'everyone' };
const ALERT_BADGE = { yours: 'ANSWER', hold: 'HOLD', nearby: 'nearby', everyone: 'all', callback: 'CALLBACK DUE' };
const alertOf = (led) => ALERT_OF_LED[`${led.color} ${led.pattern}`] ?? ALERT_OF_COLOR[led.color] ?? 'none';
/** Decisions about a desk rather than a line: the log names the desk (src/bridge/format.ts subjectOf). */
const DESK_DECISIONS = new Set(['takeover', 'schedule']);

// Sizes on the plan, in SVG user units. Desks are spread so neighbours never overlap (see `planScale`).
const DESK_W = 190;
const DESK_H = 112;
/** The note under a desk ("covering Chloe", "covered by Bram", a schedule): inside the gap `planScale` keeps. */
const NOTE_TOP = DESK_H / 2 + 16;
const NOTE_H = 32;
const PHONE_R = 38;
/** A phone's label: its line name over the ring count pill. */
const LABEL_H = 78;
const RING_PILL_W = 190;

const page = {
  floor: null,
  answerBy: 3,
  /** The bridge's clock minus this screen's (from the last snapshot and the newest log entry): times on the page are the bridge's. */
  clockOffset: 0,
  base: '',
  deskName: new Map(),
  lineName: new Map(),
  /** line id → retained `line/<id>`: { state, ring, since, desk, heldSince, callbacksOwed } */
  lines: Object.create(null),
  /** desk id → retained `desk/<id>`: { presence, busy, led, buzzer, unit, coveredBy, callbacksOwed, callbacksOverdue } */
  desks: Object.create(null),
  /** desk id → the schedule that sent it away (lunch cover), from the snapshot and `schedule` log entries. */
  scheduleAway: {},
  /** Open callbacks, oldest miss first: { line, missedAt, desk, dueAt, overdue } (from /api/callbacks). */
  callbacks: [],
  /** line id → what the log told about the current or last call: { level, outcome } */
  calls: {},
  today: { day: '', calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0, callbacksOwed: 0 },
  recent: [],
  /** Bumped when `recent` changes, so the list is rebuilt only then. */
  recentVersion: 0,
  /** Log entries already counted in the last /api/state snapshot, which may still arrive over MQTT. */
  snapshotKeys: new Set(),
  seenSeq: new Set(),
  seqOrder: [],
  bridge: 'unknown',
  live: 'connecting',
  /** While false, MQTT messages wait in `buffer` for the /api/state snapshot. */
  synced: false,
  buffer: [],
  views: { desks: new Map(), phones: new Map(), links: new Map(), cards: new Map() },
};

// ---------------------------------------------------------------------------------------------- helpers

const $ = (selector) => document.querySelector(selector);

function svg(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

function html(name, attributes = {}, parent = null, text = null) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  if (parent) parent.appendChild(element);
  return element;
}

/** Sets an attribute only when it changes, so a running CSS animation is not disturbed. */
function setData(element, key, value) {
  const text = String(value);
  if (element.getAttribute(`data-${key}`) !== text) element.setAttribute(`data-${key}`, text);
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

// Times are shown in the office's time zone (config `timezone`), whatever zone the screen is set to.
const formats = { time: null, minute: null, weekday: null, day: null, zone: undefined };
function useTimeZone(timeZone) {
  formats.zone = timeZone;
  const zone = (options) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      return new Intl.DateTimeFormat('en-GB', options);
    }
  };
  formats.time = zone({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  formats.minute = zone({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  formats.weekday = zone({ weekday: 'short' });
  formats.day = zone({ year: 'numeric', month: '2-digit', day: '2-digit' });
}
useTimeZone(undefined);

/** Now, by the bridge's clock. */
const now = () => Date.now() + page.clockOffset;
const clockTime = (date) => formats.time.format(date);
/** YYYY-MM-DD in the office's time zone, as the bridge counts "today". */
function localDay(date) {
  const part = Object.fromEntries(formats.day.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}
/** "09:40" today, "Mon 09:40" within a week, else "2026-03-02 09:40". */
function when(t) {
  const date = new Date(t);
  const time = formats.minute.format(date);
  const day = localDay(date);
  if (day === localDay(new Date(now()))) return time;
  return Math.abs(t - now()) < 6 * 86_400_000 ? `${formats.weekday.format(date)} ${time}` : `${day} ${time}`;
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** "45 s", "2 min 05 s", "1 h 02 min" */
function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const deskLabel = (id) => (id ? (page.deskName.get(id) ?? id) : '');
const lineLabel = (id) => (id ? (page.lineName.get(id) ?? id) : '');
/** A log entry's subject: a line, or a desk (see DESK_DECISIONS). */
const subjectLabel = (id) => (id ? (page.lineName.get(id) ?? page.deskName.get(id) ?? id) : '');
/**
 * A time in a callback decision as the bridge writes it (src/bridge/format.ts localMinute): "2026-03-11 09:40" in
 * the office's time zone, with Z when that zone is UTC.
 */
function isoMinute(t) {
  const date = new Date(t);
  return `${localDay(date)} ${formats.minute.format(date)}${formats.zone === 'UTC' ? 'Z' : ''}`;
}

/** The same words as src/bridge/format.ts: named desks, or everyone as a count. */
function describeEscalation({ desks = [], everyone }) {
  if (!everyone) return desks.join(', ') || '(no desk present)';
  const where = everyone.withinMetres === null || everyone.withinMetres === undefined ? 'everyone' : `everyone within ${everyone.withinMetres} m`;
  return `${where} (${plural(everyone.desks, 'desk')})${desks.length ? `; ${desks.join(', ')}` : ''}`;
}

/**
 * One log entry as a person reads it; the same words as the bridge's own log (src/bridge/format.ts), so an entry
 * that came over MQTT and the same one in the /api/state snapshot are recognised as one.
 */
function describe(entry) {
  switch (entry.type) {
    case 'ring':
      return `ring ${entry.ring}`;
    case 'assign':
      return entry.reason === 'first'
        ? `→ ${entry.desk} answers (nearest free)`
        : `→ ${entry.desk} answers instead (${entry.reason === 'freed' ? 'now free' : 'previous desk left or took another call'})`;
    case 'unassigned':
      return '→ nobody free near this phone';
    case 'escalate':
      return `↑ level ${entry.level}: ${describeEscalation(entry)}`;
    case 'answered':
      return `answered${entry.desk ? ` at ${entry.desk}` : ''} after ${plural(entry.rings, 'ring')}, ${seconds(entry.waitMs)} — ${entry.onTime ? 'on time' : 'LATE'}`;
    case 'missed':
      return `MISSED after ${plural(entry.rings, 'ring')} (${seconds(entry.waitMs)})`;
    case 'outgoing':
      return `outgoing call${entry.desk ? ` from ${entry.desk}` : ''}`;
    case 'ended':
      return `hung up after ${seconds(entry.durationMs)}`;
    case 'ring-stuck':
      return `FAULT ring burst still on after ${seconds(entry.burstMs)}: its ring-off was lost; ended here`;
    case 'alert':
      return `ALERT designated line unanswered at ring ${entry.ring} → fallback ${(entry.desks ?? []).join(', ') || '(none present)'}`;
    case 'callback-owed':
      return `callback owed by ${entry.desk}, due ${isoMinute(entry.dueAt)}`;
    case 'callback-overdue':
      return `callback OVERDUE at ${entry.desk} (missed ${isoMinute(entry.missedAt)})`;
    case 'callback-closed':
      return `callback for ${isoMinute(entry.missedAt)} done at ${entry.desk} (${entry.by}${entry.overdue ? ', was overdue' : ''})`;
    case 'hold':
      return entry.state === 'on' ? `on hold${entry.desk ? ` at ${entry.desk}` : ''}` : `off hold after ${seconds(entry.heldMs)}`;
    case 'hold-reminder':
      return `on hold ${seconds(entry.heldMs)} — check back with the caller${entry.desk ? ` (${entry.desk})` : ''}`;
    case 'takeover':
      return entry.state === 'on' ? `${entry.desk} takes ${entry.from}'s calls` : `${entry.desk} gives ${entry.from}'s calls back`;
    case 'schedule':
      return `${entry.desk} ${entry.state} (schedule ${entry.schedule})`;
    case 'fault':
      return `${entry.family} ${entry.device}: ${entry.reason} ${entry.detail} (${entry.count} so far)`;
    case 'device':
      if (entry.state === 'online') return `${entry.family} ${entry.device}: online${entry.detail ? ` (${entry.detail})` : ''}`;
      return `${entry.family} ${entry.device}: OFFLINE — ${entry.reason}${entry.lines ? `; calls on ${entry.lines.join(', ')} were ringing` : ''}`;
    case 'desk-action':
      return `${entry.desk}: ${entry.action}`;
    default:
      return String(entry.type);
  }
}

/**
 * An entry in the ring log list, the same whether it came in the /api/state snapshot (worded by the bridge) or over
 * MQTT (worded by `describe`, which therefore words it exactly as the bridge does, callback times included).
 */
const entryKey = (entry) => `${entry.ts}|${entry.type}|${entry.line ?? ''}|${entry.text}`;

function callInfo(line) {
  page.calls[line] ??= { level: null, outcome: null };
  return page.calls[line];
}

// ---------------------------------------------------------------------------------------------- the plan

/** SVG units per metre: the closest two desks end up far enough apart for their labels. */
function planScale(desks) {
  let closest = Infinity;
  for (let i = 0; i < desks.length; i++) {
    for (let j = i + 1; j < desks.length; j++) {
      const [ax, ay] = desks[i].at;
      const [bx, by] = desks[j].at;
      // Metres per SVG unit that keep the two apart: side by side a desk needs its width, one above the other
      // its height, plus a gap.
      const need = Math.abs(ax - bx) >= Math.abs(ay - by) ? Math.abs(ax - bx) / (DESK_W + 70) : Math.abs(ay - by) / (DESK_H + 70);
      if (need > 0) closest = Math.min(closest, need);
    }
  }
  return Number.isFinite(closest) ? Math.min(400, Math.max(40, 1 / closest)) : 100;
}

function buildPlan(floor) {
  const plan = $('#plan');
  plan.replaceChildren();
  const scale = planScale(floor.desks);
  const deskAt = new Map(floor.desks.map((d) => [d.id, [d.at[0] * scale, d.at[1] * scale]]));

  // A phone on a desk (phone: { desks: [...] }) is drawn on that desk's top left corner.
  const phonePoint = ([x, y]) => {
    const px = x * scale;
    const py = y * scale;
    for (const [dx, dy] of deskAt.values()) {
      if (Math.abs(px - dx) < DESK_W / 2 + PHONE_R && Math.abs(py - dy) < DESK_H / 2 + PHONE_R) return [dx - DESK_W / 2, dy - DESK_H / 2];
    }
    return [px, py];
  };

  const defs = svg('defs', {}, plan);
  const grid = svg('pattern', { id: 'grid', width: scale, height: scale, patternUnits: 'userSpaceOnUse', x: 0, y: 0 }, defs);
  svg('path', { d: `M ${scale} 0 L 0 0 0 ${scale}`, class: 'grid-line' }, grid);
  const arrow = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 6, refY: 5, markerWidth: 3.2, markerHeight: 3.2, orient: 'auto' }, defs);
  svg('path', { d: 'M0 0 L10 5 L0 10 Z', class: 'arrow-head' }, arrow);
  for (const [id, gap] of [['stripes-dense', 16], ['stripes-sparse', 28]]) {
    const stripes = svg('pattern', { id, width: gap, height: gap, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
    svg('rect', { width: gap / 2, height: gap, class: 'stripe' }, stripes);
  }
  const floorRect = svg('rect', { rx: 18, class: 'floor' }, plan);
  const gridRect = svg('rect', { rx: 18, class: 'floor-grid', fill: 'url(#grid)' }, plan);
  const note = svg('text', { class: 'grid-note', 'text-anchor': 'end' }, plan);
  note.textContent = 'grid 1 m';
  const linkLayer = svg('g', { class: 'links' }, plan);
  const deskLayer = svg('g', { class: 'desks' }, plan);
  const phoneLayer = svg('g', { class: 'phones' }, plan);

  /** Boxes [x0, y0, x1, y1] already taken on the plan: desks with their halo, phones, phone labels. */
  const taken = [];
  page.views.desks.clear();
  for (const desk of floor.desks) {
    const [x, y] = deskAt.get(desk.id);
    taken.push([x - DESK_W / 2 - 16, y - DESK_H / 2 - 16, x + DESK_W / 2 + 16, y + NOTE_TOP + NOTE_H + 2]);
    const g = svg('g', { class: 'desk', transform: `translate(${x} ${y})`, 'data-desk': desk.id, 'data-alert': 'none', 'data-presence': 'present' }, deskLayer);
    const title = svg('title', {}, g);
    svg('rect', { class: 'halo', x: -DESK_W / 2 - 12, y: -DESK_H / 2 - 12, width: DESK_W + 24, height: DESK_H + 24, rx: 26 }, g);
    svg('rect', { class: 'body', x: -DESK_W / 2, y: -DESK_H / 2, width: DESK_W, height: DESK_H, rx: 18 }, g);
    svg('rect', { class: 'stripes', x: -DESK_W / 2, y: -DESK_H / 2, width: DESK_W, height: DESK_H, rx: 18 }, g);
    const name = svg('text', { class: 'name', x: 0, y: -12, 'text-anchor': 'middle' }, g);
    fitText(name, desk.name, DESK_W - 28, 34, 20);
    const badgeBg = svg('rect', { class: 'badge-bg', x: -72, y: 8, width: 144, height: 36, rx: 18 }, g);
    const badge = svg('text', { class: 'badge', x: 0, y: 34, 'text-anchor': 'middle' }, g);
    const buzzer = svg('g', { class: 'buzzer', transform: `translate(${DESK_W / 2 - 4} ${-DESK_H / 2 + 4})` }, g);
    svg('title', {}, buzzer).textContent = 'buzzer sounding';
    const bell = svg('g', { class: 'buzz-icon' }, buzzer);
    svg('circle', { r: 24, class: 'buzzer-bg' }, bell);
    svg('path', { class: 'bell', d: 'M0 -13 C-8 -13 -9 -5 -9 1 L-12 7 L12 7 L9 1 C9 -5 8 -13 0 -13 Z M-3 9 A3 3 0 0 0 3 9 Z' }, bell);
    svg('path', { class: 'waves', d: 'M15 -9 Q20 0 15 9 M-15 -9 Q-20 0 -15 9' }, bell);
    const noteBg = svg('rect', { class: 'note-bg', x: -80, y: NOTE_TOP, width: 160, height: NOTE_H, rx: 9 }, g);
    const note = svg('text', { class: 'note', x: 0, y: NOTE_TOP + 23, 'text-anchor': 'middle' }, g);
    page.views.desks.set(desk.id, { g, title, badge, badgeBg, note, noteBg, noteText: '', center: [x, y] });
  }

  page.views.phones.clear();
  page.views.links.clear();
  const phones = floor.lines.flatMap((line) => line.phones.map((at, i) => ({ line, at: phonePoint(at), first: i === 0 })));
  for (const phone of phones) taken.push([phone.at[0] - PHONE_R, phone.at[1] - PHONE_R, phone.at[0] + PHONE_R, phone.at[1] + PHONE_R]);
  for (const { line, at: [x, y], first } of phones) {
    const g = svg('g', { class: 'phone', transform: `translate(${x} ${y})`, 'data-phone': line.id, 'data-state': 'idle' }, phoneLayer);
    svg('title', {}, g).textContent = `phone of ${line.name}`;
    svg('circle', { class: 'ripple', r: PHONE_R }, g);
    svg('circle', { class: 'phone-bg', r: PHONE_R }, g);
    const icon = svg('g', { class: 'phone-icon' }, g);
    svg('path', { d: 'M-19 -6 C-12 -17 12 -17 19 -6', class: 'handset' }, icon);
    svg('rect', { x: -23, y: -10, width: 11, height: 8, rx: 3 }, icon);
    svg('rect', { x: 12, y: -10, width: 11, height: 8, rx: 3 }, icon);
    svg('path', { d: 'M-12 -1 L12 -1 L18 15 L-18 15 Z' }, icon);
    svg('circle', { cx: 0, cy: 7, r: 4.5, class: 'dial' }, icon);
    // The label (line name, and the ring count under it) goes where it covers no desk and no other phone.
    const name = svg('text', { class: 'phone-name', 'text-anchor': 'middle' }, g);
    if (first) fitText(name, line.name, 300, 26, 18);
    const width = Math.max(RING_PILL_W, (first ? name.getComputedTextLength() : 0) + 16);
    const box = placeLabel([x, y], width, LABEL_H, taken);
    taken.push([x + box[0], y + box[1], x + box[2], y + box[3]]);
    const cx = (box[0] + box[2]) / 2;
    name.setAttribute('x', cx);
    name.setAttribute('y', box[1] + 24);
    const ringBg = svg('rect', { class: 'ring-bg', x: cx - RING_PILL_W / 2, y: box[1] + 36, width: RING_PILL_W, height: 36, rx: 18 }, g);
    const ring = svg('text', { class: 'ring-text', x: cx, y: box[1] + 62, 'text-anchor': 'middle' }, g);
    if (!page.views.phones.has(line.id)) page.views.phones.set(line.id, []);
    page.views.phones.get(line.id).push({ g, ring, ringBg, at: [x, y] });
    if (!page.views.links.has(line.id)) page.views.links.set(line.id, svg('line', { class: 'link', 'data-link': line.id }, linkLayer));
  }

  // The plan: everything drawn, plus a margin.
  let minX = Math.min(...taken.map((b) => b[0])) - 40;
  let minY = Math.min(...taken.map((b) => b[1])) - 40;
  let maxX = Math.max(...taken.map((b) => b[2])) + 40;
  let maxY = Math.max(...taken.map((b) => b[3])) + 40;
  // A floor with one or two desks should not fill a wall with one giant desk.
  const grow = (min, max, least) => (max - min >= least ? [min, max] : [min - (least - (max - min)) / 2, max + (least - (max - min)) / 2]);
  [minX, maxX] = grow(minX, maxX, 900);
  [minY, maxY] = grow(minY, maxY, 420);
  plan.setAttribute('viewBox', `${minX} ${minY} ${maxX - minX} ${maxY - minY}`);
  plan.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  for (const rect of [floorRect, gridRect]) {
    for (const [key, value] of Object.entries({ x: minX + 8, y: minY + 8, width: maxX - minX - 16, height: maxY - minY - 16 })) rect.setAttribute(key, value);
  }
  note.setAttribute('x', maxX - 24);
  note.setAttribute('y', maxY - 22);
}

/** Sets a text, shrunk (down to `smallest` px) and then shortened with … to fit `width`. */
function fitText(element, text, width, size, smallest) {
  element.textContent = text;
  element.style.fontSize = `${size}px`;
  const length = element.getComputedTextLength();
  if (length <= width) return;
  const fitted = Math.max(smallest, Math.floor((size * width) / length));
  element.style.fontSize = `${fitted}px`;
  let shown = text;
  while (shown.length > 1 && element.getComputedTextLength() > width) {
    shown = shown.slice(0, -1);
    element.textContent = `${shown.trimEnd()}…`;
  }
  if (shown !== text) svg('title', {}, element).textContent = text;
}

/** Where a phone's label goes, relative to the phone: below, above, right or left, whichever overlaps least. */
function placeLabel([x, y], width, height, taken) {
  const candidates = [
    [-width / 2, PHONE_R + 6, width / 2, PHONE_R + 6 + height],
    [-width / 2, -PHONE_R - 6 - height, width / 2, -PHONE_R - 6],
    [PHONE_R + 10, -height / 2, PHONE_R + 10 + width, height / 2],
    [-PHONE_R - 10 - width, -height / 2, -PHONE_R - 10, height / 2],
  ];
  const overlap = (box) =>
    taken.reduce((sum, t) => {
      const w = Math.min(x + box[2], t[2]) - Math.max(x + box[0], t[0]);
      const h = Math.min(y + box[3], t[3]) - Math.max(y + box[1], t[1]);
      return sum + (w > 0 && h > 0 ? w * h : 0);
    }, 0);
  let best = candidates[0];
  let least = Infinity;
  for (const box of candidates) {
    const area = overlap(box);
    if (area < least) [best, least] = [box, area];
    if (area === 0) break;
  }
  return best;
}

function renderDesks() {
  // Who covers whom: the retained desk state names the cover of each covered desk.
  const covering = new Map();
  for (const [id, desk] of Object.entries(page.desks)) {
    if (!desk.coveredBy) continue;
    if (!covering.has(desk.coveredBy)) covering.set(desk.coveredBy, []);
    covering.get(desk.coveredBy).push(id);
  }
  for (const [id, view] of page.views.desks) {
    const desk = page.desks[id];
    if (!desk) continue;
    const led = desk.led ?? { color: 'off', pattern: 'off' };
    const buzzer = desk.buzzer?.pattern ?? 'off';
    const alert = alertOf(led);
    const away = desk.presence === 'away';
    const schedule = away ? (page.scheduleAway[id] ?? null) : null;
    const covers = covering.get(id) ?? [];
    setData(view.g, 'alert', alert);
    setData(view.g, 'presence', away ? 'away' : 'present');
    setData(view.g, 'busy', Boolean(desk.busy));
    setData(view.g, 'led', led.color);
    setData(view.g, 'pattern', led.pattern);
    setData(view.g, 'buzzer', buzzer);
    setData(view.g, 'unit', desk.unit ?? 'none');
    setData(view.g, 'cover', desk.coveredBy ? 'covered' : covers.length ? 'covering' : 'none');
    setData(view.g, 'schedule', schedule ?? '');
    setData(view.g, 'callbacks-overdue', desk.callbacksOverdue ?? 0);
    let badge = ALERT_BADGE[alert] ?? '';
    // A held call or a callback is the desk's own business; "on call" would only crowd the badge.
    if (desk.busy && alert !== 'hold' && alert !== 'callback') badge = badge ? `${badge} · on call` : 'on call';
    if (!badge) badge = away ? 'away' : 'free';
    setData(view.g, 'badge', alert !== 'none' ? 'alert' : badge.replace(' ', '-'));
    if (view.badge.textContent !== badge) {
      view.badge.textContent = badge;
      const width = Math.max(110, Math.min(DESK_W - 12, view.badge.getComputedTextLength() + 40));
      view.badgeBg.setAttribute('x', String(-width / 2));
      view.badgeBg.setAttribute('width', String(width));
    }
    const notes = [];
    if (covers.length) notes.push(`covering ${covers.map(deskLabel).join(', ')}`);
    if (desk.coveredBy) notes.push(`covered by ${deskLabel(desk.coveredBy)}`);
    if (schedule) notes.push(`schedule: ${schedule}`);
    const note = notes.join(' · ');
    if (view.noteText !== note) {
      view.noteText = note;
      fitText(view.note, note, DESK_W + 36, 21, 14);
      const width = note ? Math.min(DESK_W + 52, view.note.getComputedTextLength() + 24) : 0;
      view.noteBg.setAttribute('x', String(-width / 2));
      view.noteBg.setAttribute('width', String(width));
      setData(view.g, 'note', note ? 'shown' : 'none');
    }
    const owed = desk.callbacksOwed ? ` · ${plural(desk.callbacksOwed, 'callback')} owed${desk.callbacksOverdue ? `, ${desk.callbacksOverdue} overdue` : ''}` : '';
    const unit = desk.unit === 'offline' ? ' · desk unit OFFLINE' : '';
    setText(view.title, `${deskLabel(id)}: ${badge}${note ? ` · ${note}` : ''}${buzzer !== 'off' ? ` · buzzer ${buzzer}` : ''}${owed}${unit}`);
  }
}

function renderPhones() {
  for (const [id, glyphs] of page.views.phones) {
    const line = page.lines[id] ?? { state: 'idle', ring: 0, desk: null };
    const ringing = line.state === 'ringing';
    for (const glyph of glyphs) {
      setData(glyph.g, 'state', line.state);
      setData(glyph.g, 'late', ringing && line.ring >= page.answerBy);
      const talking = line.state === 'answered' || line.state === 'in-use';
      setData(glyph.g, 'held', talking && line.heldSince != null);
      setText(glyph.ring, ringing ? ringText(line.ring) : talking ? (line.heldSince != null ? 'on hold' : 'on call') : '');
    }
    const link = page.views.links.get(id);
    const target = ringing && line.desk ? page.views.desks.get(line.desk) : null;
    if (!target) {
      setData(link, 'shown', false);
      continue;
    }
    // An arrow from the edge of the line's phone nearest to the desk to the edge of the desk; when the two
    // (nearly) touch, a line between their centres, under both.
    const [dx, dy] = target.center;
    const from = glyphs.reduce((best, g) => (Math.hypot(g.at[0] - dx, g.at[1] - dy) < Math.hypot(best.at[0] - dx, best.at[1] - dy) ? g : best));
    const length = Math.hypot(from.at[0] - dx, from.at[1] - dy) || 1;
    const ux = (from.at[0] - dx) / length;
    const uy = (from.at[1] - dy) / length;
    const edge = Math.min((DESK_W / 2 + 8) / Math.abs(ux || 1e-9), (DESK_H / 2 + 8) / Math.abs(uy || 1e-9)) + 14;
    const arrow = length - PHONE_R - 8 - edge >= 30;
    link.setAttribute('x1', arrow ? from.at[0] - ux * (PHONE_R + 8) : from.at[0]);
    link.setAttribute('y1', arrow ? from.at[1] - uy * (PHONE_R + 8) : from.at[1]);
    link.setAttribute('x2', arrow ? dx + ux * edge : dx);
    link.setAttribute('y2', arrow ? dy + uy * edge : dy);
    if (arrow) link.setAttribute('marker-end', 'url(#arrow)');
    else link.removeAttribute('marker-end');
    setData(link, 'shown', true);
  }
}

/** "ring 2 of 3" while the call can still be answered on time (before ring answerBy), then "ring 3 — LATE". */
function ringText(ring) {
  return ring < page.answerBy ? `ring ${ring} of ${page.answerBy}` : `ring ${ring} — LATE`;
}

// ---------------------------------------------------------------------------------------------- line cards

function buildCards(floor) {
  const container = $('#lines');
  container.replaceChildren();
  page.views.cards.clear();
  for (const line of floor.lines) {
    const card = html('article', { class: 'line-card', 'data-line': line.id, 'data-state': 'idle' }, container);
    const head = html('header', {}, card);
    html('h3', {}, head, line.name);
    const chip = html('span', { class: 'chip' }, head, 'IDLE');
    const headline = html('p', { class: 'headline' }, card, 'idle');
    const detail = html('p', { class: 'detail' }, card, '');
    page.views.cards.set(line.id, { card, chip, headline, detail });
  }
}

/** What a line card shows: the live call, or the last outcome for a while after the call. */
function cardState(id, now) {
  const line = page.lines[id] ?? { state: 'idle', ring: 0, since: null, desk: null };
  const call = callInfo(id);
  if (line.state === 'ringing') return { state: 'ringing', line, call };
  if ((line.state === 'answered' || line.state === 'in-use') && line.heldSince != null) return { state: 'held', line, call };
  if (line.state === 'answered') return { state: 'answered', line, call, talking: true };
  if (line.state === 'in-use') return { state: 'in-use', line, call };
  const outcome = call.outcome;
  if (outcome && outcome.kind === 'answered' && outcome.until === null) outcome.until = now + OUTCOME_VISIBLE_MS;
  if (outcome && now < outcome.until) return { state: outcome.kind, line, call };
  return { state: 'idle', line, call };
}

function renderCards() {
  const bridgeNow = now();
  for (const [id, view] of page.views.cards) {
    const { state, line, call, talking } = cardState(id, bridgeNow);
    const outcome = call.outcome;
    let chip = 'IDLE';
    let headline = 'idle';
    let detail = 'waiting for a call';
    let verdict = 'none';
    if (state === 'ringing') {
      chip = 'RINGING';
      headline = ringText(line.ring);
      const who = line.desk ? `→ ${deskLabel(line.desk)} answers` : '→ nobody free near this phone';
      const level = call.level ? ` · level ${call.level}` : '';
      const since = line.since ? ` · ${Math.max(0, Math.round((bridgeNow - line.since) / 1000))} s` : '';
      detail = `${who}${level}${since}`;
      verdict = line.ring >= page.answerBy ? 'late' : 'none';
    } else if (state === 'answered') {
      chip = 'ANSWERED';
      const known = outcome && outcome.kind === 'answered' ? outcome : null;
      const desk = known ? known.desk : line.desk;
      headline = desk ? `answered by ${deskLabel(desk)}` : 'answered at the phone';
      if (known) {
        verdict = known.onTime ? 'on-time' : 'late';
        detail = `after ${seconds(known.waitMs)} (${plural(known.rings, 'ring')}) — ${known.onTime ? '✓ on time' : '⚠ LATE'}`;
      } else {
        detail = '';
      }
      detail += talking ? `${detail ? ' · ' : ''}on call` : `${detail ? ' · ' : ''}call ended`;
    } else if (state === 'missed') {
      chip = 'MISSED';
      headline = '✕ MISSED';
      detail = `after ${plural(outcome.rings, 'ring')}, ${seconds(outcome.waitMs)} wait`;
      verdict = 'missed';
    } else if (state === 'held') {
      chip = 'ON HOLD';
      headline = line.desk ? `on hold at ${deskLabel(line.desk)}` : 'caller on hold';
      // The desk's hold reminder is lit: the caller has waited a full check interval since the last look.
      const remind = line.desk && alertOf(page.desks[line.desk]?.led ?? {}) === 'hold';
      detail = `held ${duration(bridgeNow - line.heldSince)}${remind ? ' — check back with the caller' : ''}`;
      verdict = remind ? 'late' : 'none';
    } else if (state === 'in-use') {
      chip = 'IN USE';
      headline = 'outgoing call';
      detail = line.since ? `since ${clockTime(new Date(line.since))}` : '';
    }
    setData(view.card, 'state', state);
    setData(view.card, 'verdict', verdict);
    setText(view.chip, chip);
    setText(view.headline, headline);
    setText(view.detail, detail);
  }
}

// ---------------------------------------------------------------------------------------------- side panel

function renderToday() {
  const t = page.today;
  const finished = t.answeredOnTime + t.answeredLate + t.missed;
  const level = finished === 0 ? null : Math.round((1000 * t.answeredOnTime) / finished) / 10;
  setText($('#service-level'), level === null ? '—' : `${level} %`);
  setData($('#service'), 'level', level === null ? 'none' : level >= 90 ? 'good' : level >= 75 ? 'fair' : 'poor');
  $('#service-bar').style.setProperty('--level', `${level ?? 0}%`);
  setText($('#count-calls'), String(t.calls));
  setText($('#count-ontime'), String(t.answeredOnTime));
  setText($('#count-late'), String(t.answeredLate));
  setText($('#count-missed'), String(t.missed));
}

let callbacksShown = null;
function renderCallbacks() {
  const key = JSON.stringify([page.callbacks, page.today.callbacksOwed, localDay(new Date(now()))]);
  if (callbacksShown === key) return;
  callbacksShown = key;
  const open = page.callbacks;
  const overdue = open.filter((c) => c.overdue).length;
  setText($('#callbacks-open'), String(open.length));
  setText($('#callbacks-overdue'), String(overdue));
  setText($('#callbacks-today'), String(page.today.callbacksOwed ?? 0));
  setData($('#callbacks-section'), 'overdue', overdue > 0);
  const rows = open.slice(0, CALLBACKS_SHOWN).map((callback) => {
    const li = html('li', { class: 'callback', 'data-line': callback.line, 'data-desk': callback.desk, 'data-overdue': callback.overdue });
    const head = html('span', { class: 'cb-head' }, li);
    html('span', { class: 'cb-line' }, head, lineLabel(callback.line));
    html('span', { class: 'cb-desk' }, head, `→ ${deskLabel(callback.desk)}`);
    const times = html('span', { class: 'cb-times' }, li);
    html('span', { class: 'cb-missed' }, times, `missed ${when(callback.missedAt)}`);
    html('span', { class: 'cb-due' }, times, callback.overdue ? `OVERDUE since ${when(callback.dueAt)}` : `due ${when(callback.dueAt)}`);
    return li;
  });
  if (open.length > CALLBACKS_SHOWN) rows.push(html('li', { class: 'more' }, null, `and ${open.length - CALLBACKS_SHOWN} more`));
  const list = $('#callbacks');
  list.replaceChildren(...rows);
  setData(list, 'empty', open.length === 0);
}

let recentShown = -1;
function renderRecent() {
  if (recentShown === page.recentVersion) return;
  recentShown = page.recentVersion;
  const list = $('#recent');
  const items = page.recent.map((entry) => {
    const li = html('li', { class: `entry type-${entry.type}`, 'data-type': entry.type });
    if (/LATE|MISSED|OFFLINE|OVERDUE|ALERT/.test(entry.text) || entry.type === 'fault') li.classList.add('alarm');
    else if (entry.type === 'hold-reminder' || entry.type === 'callback-owed') li.classList.add('warn');
    const date = new Date(entry.ts);
    html('time', { datetime: entry.ts }, li, Number.isNaN(date.getTime()) ? '' : clockTime(date));
    const words = html('span', { class: 'words' }, li);
    if (entry.line) html('span', { class: 'where' }, words, subjectLabel(entry.line));
    html('span', { class: 'what' }, words, entry.text);
    return li;
  });
  list.replaceChildren(...items);
  setData(list, 'empty', items.length === 0);
  setData(list, 'overflow', list.scrollHeight > list.clientHeight + 1);
}

function renderStatus() {
  const bridge = $('#bridge-status');
  setData(bridge, 'status', page.bridge);
  setText(bridge.querySelector('.label'), page.bridge === 'online' ? 'bridge online' : page.bridge === 'offline' ? 'bridge OFFLINE' : 'bridge …');
  const live = $('#mqtt-status');
  setData(live, 'status', page.live);
  const words = { live: 'live', connecting: 'connecting…', offline: 'live updates lost — reconnecting', polling: `polling every ${POLL_MS / 1000} s` };
  setText(live.querySelector('.label'), words[page.live] ?? page.live);
}

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    renderDesks();
    renderPhones();
    renderCards();
    renderToday();
    renderCallbacks();
    renderRecent();
    renderStatus();
  }, 0);
}

// ---------------------------------------------------------------------------------------------- callbacks, chart

/** Fetches the open callbacks again (a callback was owed, fell overdue or was returned); one request at a time. */
const callbacksFetch = { running: false, again: false };
async function loadCallbacks() {
  if (callbacksFetch.running) {
    callbacksFetch.again = true;
    return;
  }
  callbacksFetch.running = true;
  try {
    do {
      callbacksFetch.again = false;
      try {
        page.callbacks = (await fetchJson('/api/callbacks')).callbacks;
        render();
      } catch {
        // The next callback decision or snapshot brings them.
      }
    } while (callbacksFetch.again);
  } finally {
    callbacksFetch.running = false;
  }
}

/**
 * Today's chart, inline so it takes the page's colors: fetched at the first paint, then when a call finishes,
 * at most every CHART_EVERY_MS (the last call in a burst is always shown).
 */
const chart = { lastAt: -Infinity, timer: null, running: false, again: false, finished: null };
function chartAfterCall() {
  if (chart.timer !== null) return;
  const wait = chart.lastAt + CHART_EVERY_MS - performance.now();
  chart.timer = setTimeout(() => {
    chart.timer = null;
    chart.lastAt = performance.now();
    loadChart();
  }, Math.max(0, wait));
}

async function loadChart() {
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

// ---------------------------------------------------------------------------------------------- state in

/** The /api/state snapshot: everything now, and today so far. */
function applySnapshot(state, requestedAt = Date.now()) {
  // The bridge's clock at the middle of the request.
  if (typeof state.now === 'number') page.clockOffset = state.now - (requestedAt + Date.now()) / 2;
  for (const [id, line] of Object.entries(state.lines)) page.lines[id] = line;
  for (const [id, { awayBySchedule, ...desk }] of Object.entries(state.desks)) {
    page.desks[id] = { ...desk, unit: page.desks[id]?.unit ?? null };
    page.scheduleAway[id] = awayBySchedule ?? null;
  }
  page.callbacks = state.callbacks ?? [];
  const { recent, serviceLevel: _level, ...counts } = state.today;
  page.today = { callbacksOwed: 0, ...counts };
  // The chart follows the finished calls (polling sees them only here).
  const finished = counts.answeredOnTime + counts.answeredLate + counts.missed;
  if (chart.finished === null) loadChart();
  else if (finished !== chart.finished) chartAfterCall();
  chart.finished = finished;
  page.recent = recent.slice(0, RECENT_KEEP);
  page.recentVersion++;
  page.snapshotKeys = new Set(recent.map(entryKey));
  // A bridge started afresh counts `seq` from 1 again.
  page.seenSeq.clear();
  page.seqOrder = [];
  // The escalation level of calls ringing now, from the log (newest first) back to their first ring.
  for (const [id, line] of Object.entries(state.lines)) {
    if (line.state !== 'ringing') continue;
    for (const entry of recent) {
      if (entry.line !== id) continue;
      const escalated = /^↑ level (\d+)/.exec(entry.text);
      if (escalated) {
        callInfo(id).level = Number(escalated[1]);
        break;
      }
      if (entry.text === 'ring 1') {
        callInfo(id).level = 1;
        break;
      }
    }
  }
}

async function fetchJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

let resyncing = null;
/** Takes a fresh snapshot, then applies the MQTT messages that arrived meanwhile. */
function resync() {
  page.synced = false;
  resyncing ??= (async () => {
    for (;;) {
      try {
        const at = Date.now();
        applySnapshot(await fetchJson('/api/state'), at);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    page.synced = true;
    resyncing = null;
    for (const [topic, text] of page.buffer.splice(0)) onMessage(topic, text);
    render();
  })();
  return resyncing;
}

function onMessage(topic, text) {
  if (!page.synced) {
    page.buffer.push([topic, text]);
    if (page.buffer.length > 5000) page.buffer.shift();
    return;
  }
  const parts = topic.slice(page.base.length + 1).split('/');
  // Ids in topics are the publisher's words: only the floor's own desks and lines are kept (never "__proto__").
  if ((parts[0] === 'line' && !page.lineName.has(parts[1])) || (parts[0] === 'desk' && !page.deskName.has(parts[1]))) return;
  const json = () => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  if (parts[0] === 'bridge' && parts[1] === 'state' && parts.length === 2) {
    const was = page.bridge;
    page.bridge = text === 'online' ? 'online' : 'offline';
    // A restarted bridge starts today's numbers over: take them from it.
    if (was === 'offline' && page.bridge === 'online') resync();
  } else if (parts[0] === 'line' && parts.length === 2) {
    const line = json();
    if (!line) return;
    if (line.state === 'ringing' && page.lines[parts[1]]?.state !== 'ringing') callInfo(parts[1]).outcome = null;
    page.lines[parts[1]] = line;
  } else if (parts[0] === 'desk' && parts.length === 2) {
    const desk = json();
    if (desk) page.desks[parts[1]] = desk;
  } else if (parts[0] === 'desk' && parts[2] === 'set' && parts.length === 3) {
    const set = json();
    if (set && page.desks[parts[1]]) Object.assign(page.desks[parts[1]], set);
  } else if (parts[0] === 'desk' && parts[2] === 'availability' && parts.length === 3) {
    if (page.desks[parts[1]]) page.desks[parts[1]].unit = text;
  } else if (parts[0] === 'log' && parts.length === 1) {
    const entry = json();
    if (entry && typeof entry.type === 'string') onLog(entry);
  } else {
    return;
  }
  render();
}

function onLog(entry) {
  // Inputs are logged for replaying a day; the page shows what was decided.
  if (entry.type === 'input') return;
  if (typeof entry.seq === 'number') {
    // QoS 1 may deliver an entry twice.
    if (page.seenSeq.has(entry.seq)) return;
    page.seenSeq.add(entry.seq);
    page.seqOrder.push(entry.seq);
    if (page.seqOrder.length > 500) page.seenSeq.delete(page.seqOrder.shift());
  }
  // The bridge's clock is at least at its newest log entry (the snapshot's estimate may be from hours ago).
  const at = Date.parse(entry.ts);
  if (at - Date.now() > page.clockOffset) page.clockOffset = at - Date.now();
  if (entry.line) followCall(entry);
  followDesks(entry);
  if (entry.type.startsWith('callback-')) loadCallbacks();
  const subject = entry.line ?? (DESK_DECISIONS.has(entry.type) ? entry.desk : undefined);
  const recent = { ts: entry.ts, type: entry.type, ...(subject ? { line: subject } : {}), text: describe(entry) };
  // Already in the snapshot: counted there.
  if (page.snapshotKeys.has(entryKey(recent))) return;
  count(entry);
  if (entry.type === 'answered' || entry.type === 'missed') chartAfterCall();
  page.recent.unshift(recent);
  if (page.recent.length > RECENT_KEEP) page.recent.length = RECENT_KEEP;
  page.recentVersion++;
}

/** Today's numbers, the way the bridge counts them (src/bridge/dashboard/today.ts). */
function count(entry) {
  const date = new Date(entry.ts);
  if (!Number.isNaN(date.getTime())) {
    const day = localDay(date);
    if (day > page.today.day) page.today = { day, calls: 0, answeredOnTime: 0, answeredLate: 0, missed: 0, callbacksOwed: 0 };
  }
  if (entry.type === 'ring' && entry.ring === 1) page.today.calls++;
  if (entry.type === 'answered') page.today[entry.onTime ? 'answeredOnTime' : 'answeredLate']++;
  if (entry.type === 'missed') page.today.missed++;
  if (entry.type === 'callback-owed') page.today.callbacksOwed++;
  chart.finished = page.today.answeredOnTime + page.today.answeredLate + page.today.missed;
}

/**
 * Cover and schedules change desks that the retained desk state may not be sent again for (a covered or
 * scheduled desk that shows no light before and after): the log says it.
 */
function followDesks(entry) {
  if (entry.type === 'takeover') {
    const from = page.desks[entry.from];
    if (from && entry.state === 'on') from.coveredBy = entry.desk;
    if (from && entry.state === 'off' && from.coveredBy === entry.desk) from.coveredBy = null;
  } else if (entry.type === 'schedule') {
    page.scheduleAway[entry.desk] = entry.state === 'away' ? entry.schedule : null;
    if (page.desks[entry.desk]) page.desks[entry.desk].presence = entry.state;
  }
}

function followCall(entry) {
  const call = callInfo(entry.line);
  if (entry.type === 'ring' && entry.ring === 1) {
    call.level = 1;
    call.outcome = null;
  } else if (entry.type === 'escalate') {
    call.level = entry.level;
  } else if (entry.type === 'answered') {
    call.outcome = { kind: 'answered', desk: entry.desk ?? null, waitMs: entry.waitMs, onTime: entry.onTime, rings: entry.rings, until: null };
  } else if (entry.type === 'missed') {
    call.outcome = { kind: 'missed', rings: entry.rings, waitMs: entry.waitMs, until: now() + OUTCOME_VISIBLE_MS };
  } else if (entry.type === 'ended' && call.outcome?.kind === 'answered' && call.outcome.until === null) {
    call.outcome.until = now() + OUTCOME_VISIBLE_MS;
  }
}

// ---------------------------------------------------------------------------------------------- live updates

function connectLive(wsPort) {
  const client = globalThis.mqtt.connect(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:${wsPort}`, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 3000,
    connectTimeout: 5000,
    clientId: `thirdring-floor-${Math.random().toString(16).slice(2, 10)}`,
  });
  client.on('connect', () => {
    page.live = 'live';
    page.synced = false;
    client.subscribe(`${page.base}/#`, { qos: 1 }, (error) => {
      if (!error) resync();
    });
    render();
  });
  client.on('message', (topic, payload) => onMessage(topic, payload.toString()));
  client.on('offline', () => {
    page.live = 'offline';
    render();
  });
  client.on('reconnect', () => {
    if (page.live !== 'offline') page.live = 'connecting';
    render();
  });
  // Connection errors show as the indicator; mqtt.js reconnects by itself.
  client.on('error', () => {});
}

function startPolling() {
  page.live = 'polling';
  const poll = async () => {
    try {
      const at = Date.now();
      applySnapshot(await fetchJson('/api/state'), at);
      page.bridge = 'online';
    } catch {
      page.bridge = 'offline';
    }
    render();
  };
  setInterval(poll, POLL_MS);
}

async function main() {
  const requestedAt = Date.now();
  const [floor, state] = await Promise.all([fetchJson('/api/floor'), fetchJson('/api/state')]);
  page.floor = floor;
  page.answerBy = floor.answerBy;
  if (floor.timezone) useTimeZone(floor.timezone);
  page.base = floor.mqtt.base;
  for (const desk of floor.desks) page.deskName.set(desk.id, desk.name);
  for (const line of floor.lines) page.lineName.set(line.id, line.name);
  document.title = `${floor.site} — thirdring floor`;
  setText($('#site'), floor.site);
  for (const element of document.querySelectorAll('.answer-by')) setText(element, String(floor.answerBy));
  buildPlan(floor);
  buildCards(floor);
  applySnapshot(state, requestedAt);
  page.synced = true;
  document.body.setAttribute('data-ready', 'true');
  if (floor.mqtt.wsPort !== null && typeof globalThis.mqtt?.connect === 'function') connectLive(floor.mqtt.wsPort);
  else startPolling();
  render();
}

function tick() {
  setText($('#clock'), clockTime(new Date(now())));
  renderCards();
  renderCallbacks();
}

setInterval(tick, 1000);
tick();
main().catch((error) => {
  const banner = $('#error');
  banner.hidden = false;
  banner.textContent = `The floor page could not load: ${error.message}. Is the bridge running?`;
});
