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

const ALERT_BADGE = { yours: 'ANSWER', hold: 'HOLD', nearby: 'nearby', everyone: 'all', callback: 'CALLBACK DUE' };
/** What the desk is asked to do, as the bridge says it in the desk's state (src/core/status.ts). */
const alertOf = (desk) => desk?.alert ?? 'none';

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
  /** desk id → retained `desk/<id>`: { presence, busy, alert, alertLine, led, buzzer, unit, coveredBy, callbacksOwed, callbacksOverdue } */
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
  views: { desks: new Map(), phones: new Map(), links: new Map(), cards: new Map(), marks: [], bounds: [0, 0, 0, 0] },
  /** The plan's layout for its current size (see `layoutPlan`). */
  layout: null,
  /** What the callouts were drawn for, so they are placed again only when that changes. */
  calloutKey: null,
  /** The plan box's size (and the window's height) the plan was drawn for. */
  planKey: '',
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
/** "09:40" today, "Mon 09:40" within five days either side, else "2026-03-02 09:40" (office time). */
function when(t) {
  const date = new Date(t);
  return whenLocal(localDay(date), formats.minute.format(date));
}
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** The same, for a day and a time already in the office's zone ("2026-03-10", "09:40"). */
function whenLocal(day, time) {
  const today = localDay(new Date(now()));
  if (day === today) return time;
  const utc = (d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  const days = Math.round((utc(day) - utc(today)) / 86_400_000);
  return Math.abs(days) <= 5 ? `${WEEKDAYS[new Date(utc(day)).getUTCDay()]} ${time}` : `${day} ${time}`;
}
/**
 * A ring log entry as the page shows it: the times in it (the bridge writes "2026-03-11 09:40", in the office's
 * zone, with Z when that zone is UTC) as the rest of the page writes them: "09:40", "Wed 09:40".
 */
const logWords = (text) => text.replace(/\b(\d{4}-\d\d-\d\d) (\d\d:\d\d)Z?/g, (_, day, time) => whenLocal(day, time));
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
/** A log entry's subject: a line, or a desk (takeover, schedule). */
const subjectLabel = (id) => (id ? (page.lineName.get(id) ?? page.deskName.get(id) ?? id) : '');
/**
 * An entry in the ring log list, the same whether it came in the /api/state snapshot or over MQTT: the bridge words
 * both (src/bridge/wording.ts).
 */
const entryKey = (entry) => `${entry.ts}|${entry.type}|${entry.subject ?? ''}|${entry.text}`;

/**
 * A log entry as the list keeps it: the bridge's words and level. A bridge of an older version sends no words:
 * its type is shown then.
 */
function recentEntry(entry) {
  const subject = typeof entry.subject === 'string' ? entry.subject : typeof entry.line === 'string' ? entry.line : undefined;
  return {
    ts: entry.ts,
    type: entry.type,
    ...(subject ? { subject } : {}),
    text: typeof entry.text === 'string' ? entry.text : entry.type,
    ...(typeof entry.level === 'number' ? { level: entry.level } : {}),
  };
}

function callInfo(line) {
  page.calls[line] ??= { level: null, outcome: null };
  return page.calls[line];
}

// ---------------------------------------------------------------------------------------------- the plan

// The plan is drawn in CSS pixels: its viewBox is the size of its box, and it is laid out again whenever that box
// changes size (a wall screen, a laptop, a narrow window). Every desk is drawn in units of its own, scaled: FULL.name
// is the name's font size in those units, and `layoutPlan` picks the largest scale at which no two desks overlap and
// the whole floor fits the box. When names would come out smaller than FULL_MIN_PX (a large floor on a small
// screen), desks show a short label (first name, id or initials) and a state code instead, and every desk that must
// act (ANSWER, HOLD, CALLBACK DUE) gets a callout with its full name and state at CALLOUT_MIN_PX or more.
const FULL = {
  name: 36,
  lineH: 38,
  padX: 8,
  padY: 6,
  badge: 27,
  badgeH: 34,
  gap: 3,
  minW: 100,
  /** The LED pattern outline (halo) around the body: it lies in the gap between desks. */
  halo: 4,
  haloW: 7,
  /** Corner marks inside the body of a desk a line's phone rings on. */
  bracket: 5,
  bracketArm: 16,
  gapX: 18,
  gapY: 16,
};
/** Compact desks: a short label over a state code, no note row. */
const COMPACT = {
  name: 52,
  lineH: 54,
  padX: 5,
  padY: 3,
  badge: 36,
  badgeH: 40,
  gap: 0,
  minW: 72,
  halo: 3,
  haloW: 6,
  bracket: 4,
  bracketArm: 16,
  gapX: 12,
  gapY: 10,
};
const DESK = { full: FULL, compact: COMPACT };
/**
 * Desk names smaller than this (CSS px) are hard to read across a room: then desks show short labels, the most
 * telling kind that reaches this size (else the largest).
 */
const FULL_MIN_PX = 16;
/** The largest name size: a floor of three desks does not fill a wall with three giant desks. */
const NAME_MAX_PX = 44;
/** A desk name wider than this many ems (a whole sentence) shrinks rather than making every desk that wide. */
const NAME_CAP_EM = 9;
/** Room kept around a phone when fitting the floor (its label finds free space later). */
const PHONE_FIT_PX = 20;
const CALLOUT_MIN_PX = 18;
/** Short state codes on compact desks (the legend says what they mean). */
const ALERT_CODE = { yours: 'ANS', hold: 'HOLD', nearby: 'near', everyone: 'all', callback: 'CB' };
/** Desks that must act get a callout on a compact plan. */
const CALLOUT_ALERTS = new Set(['yours', 'hold', 'callback']);

/** Text widths, measured once per text and size (canvas: no layout needed). */
const measurer = { context: null, family: 'sans-serif', stretch: 'normal', cache: new Map() };
function textWidth(text, px, weight = 700, spacingEm = 0) {
  if (!measurer.context) {
    // The plan's own type (style.css: a condensed face where there is one).
    const style = getComputedStyle($('#plan'));
    measurer.context = document.createElement('canvas').getContext('2d');
    measurer.family = style.fontFamily || 'sans-serif';
    measurer.stretch = style.fontStretch || 'normal';
  }
  const key = `${weight}|${px}|${text}`;
  let width = measurer.cache.get(key);
  if (width === undefined) {
    measurer.context.font = `${weight} ${px}px ${measurer.family}`;
    const stretch = { '75%': 'condensed', '87.5%': 'semi-condensed', '62.5%': 'extra-condensed' }[measurer.stretch] ?? measurer.stretch;
    if ('fontStretch' in measurer.context && stretch !== '100%') measurer.context.fontStretch = stretch;
    width = measurer.context.measureText(text).width;
    if (measurer.cache.size > 20_000) measurer.cache.clear();
    measurer.cache.set(key, width);
  }
  return width + spacingEm * px * text.length;
}

/** A name on two lines: split at a space (dropped), or after - / _ (kept), as evenly as its widths allow. */
function twoLines(name) {
  let best = null;
  for (let i = 1; i < name.length; i++) {
    let lines = null;
    if (name[i] === ' ') lines = [name.slice(0, i).trimEnd(), name.slice(i + 1).trimStart()];
    else if ('-/_'.includes(name[i - 1])) lines = [name.slice(0, i), name.slice(i)];
    if (!lines || !lines[0] || !lines[1]) continue;
    const width = Math.max(...lines.map((line) => textWidth(line, FULL.name)));
    if (!best || width < best.width) best = { lines, width };
  }
  return best?.lines ?? [name];
}

/** "Anna de Vries" → "AV", "office-10" → "O10" (a number is kept whole); a one-word name keeps two letters. */
const initials = (name) => {
  const words = name.split(/[\s_-]+/).filter(Boolean);
  if (words.length < 2) return name.slice(0, 2);
  const last = words.at(-1);
  return `${words[0][0].toUpperCase()}${/^\d+$/.test(last) ? last : last[0].toUpperCase()}`;
};
/** Short labels for compact desks, most telling first; the first kind that is readable for the whole floor is used. */
const SHORT_LABELS = {
  first: (desk) => desk.name.split(/\s+/)[0],
  id: (desk) => desk.id,
  initials: (desk) => initials(desk.name),
};

/** Every label at the floor's size: desks are as wide as the widest (a name longer than NAME_CAP_EM shrinks). */
function wideEnough(widths, size) {
  return Math.min(Math.max(0, ...widths), NAME_CAP_EM * size);
}

/** A desk drawing's size in its own units, for one way of labelling the floor. */
function deskShape(floor, mode, rows, labelKind) {
  const d = DESK[mode];
  if (mode === 'full') {
    const widths = floor.desks.map((desk) => (rows === 2 ? twoLines(desk.name) : [desk.name]).reduce((w, line) => Math.max(w, textWidth(line, d.name)), 0));
    // Wide enough for the name, ANSWER at full size and CALLBACK DUE (the longest state) at three quarters.
    const bodyW = Math.max(d.minW, wideEnough(widths, d.name) + 2 * d.padX, textWidth('ANSWER', d.badge, 700, 0.12) + 18, textWidth('CALLBACK DUE', d.badge * 0.75, 700, 0.02) + 16);
    const bodyH = 2 * d.padY + rows * d.lineH + d.gap + d.badgeH;
    return { mode, d, rows, labelKind: 'name', bodyW, bodyH };
  }
  const label = SHORT_LABELS[labelKind];
  const widths = floor.desks.map((desk) => textWidth(label(desk), d.name));
  // Wide enough for every state code (not letter-spaced on compact desks: style.css).
  const codes = Math.max(...['ANS', 'HOLD', 'near', 'call', 'away', 'cov', 'CB', 'all'].map((code) => textWidth(code, d.badge)));
  const bodyW = Math.max(d.minW, wideEnough(widths, d.name) + 2 * d.padX, codes + 16);
  const bodyH = 2 * d.padY + d.lineH + d.badgeH;
  return { mode, d, rows: 1, labelKind, bodyW, bodyH };
}

/**
 * The largest desk scale (units → px) and metres → px that fit `box`: no two desks' cells overlap (side by side a
 * desk needs its cell's width, one above the other its height), and every desk and phone fits in the box.
 */
function fitFloor(points, shape, box, margin) {
  const { d } = shape;
  // A desk's cell: its body and the gap around it, where its outline is drawn.
  const cellW = shape.bodyW + d.gapX;
  const cellH = shape.bodyH + d.gapY;
  // Metres per unit that keep the closest two desks apart: a sweep along x, stopping once x alone keeps them apart.
  const sorted = [...points.desks].sort((a, b) => a[0] - b[0]);
  let perUnit = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const dx = sorted[j][0] - sorted[i][0];
      if (dx / cellW >= perUnit) break;
      const need = Math.max(dx / cellW, Math.abs(sorted[j][1] - sorted[i][1]) / cellH);
      if (need > 0 && need < perUnit) perUnit = need;
    }
  }
  const range = (list, axis) => (list.length ? [Math.min(...list.map((p) => p[axis])), Math.max(...list.map((p) => p[axis]))] : null);
  const desksX = range(points.desks, 0);
  const desksY = range(points.desks, 1);
  const phonesX = range(points.phones, 0);
  const phonesY = range(points.phones, 1);
  const maxScale = NAME_MAX_PX / d.name;
  const scaleAt = (metre) => Math.min(maxScale, perUnit * metre);
  /** [low, high] px of the floor along one axis at `metre` px a metre (before the origin is placed). */
  const extent = (desks, phones, half, metre) => {
    const s = scaleAt(metre);
    let low = Infinity;
    let high = -Infinity;
    if (desks) [low, high] = [desks[0] * metre - half * s, desks[1] * metre + half * s];
    if (phones) [low, high] = [Math.min(low, phones[0] * metre - PHONE_FIT_PX), Math.max(high, phones[1] * metre + PHONE_FIT_PX)];
    return [low, high];
  };
  const width = Math.max(50, box.width - 2 * margin);
  const height = Math.max(50, box.height - 2 * margin);
  const fits = (metre) => {
    const [x0, x1] = extent(desksX, phonesX, cellW / 2, metre);
    const [y0, y1] = extent(desksY, phonesY, cellH / 2, metre);
    return x1 - x0 <= width && y1 - y0 <= height;
  };
  // The fit grows with metres → px: the largest that fits, by bisection.
  let low = 0;
  let high = 10_000;
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  const metre = low;
  const scale = Math.max(0.01, scaleAt(metre));
  const [x0, x1] = extent(desksX, phonesX, cellW / 2, metre);
  const [y0, y1] = extent(desksY, phonesY, cellH / 2, metre);
  const originX = margin + (width - (x1 - x0)) / 2 - x0;
  const originY = margin + (height - (y1 - y0)) / 2 - y0;
  return { ...shape, scale, metre, originX, originY, cellW, cellH, namePx: d.name * scale, box, margin };
}

/** The layout for this floor in a box of this size: full names if they are readable, else short labels. */
function layoutPlan(floor, box, margin) {
  const points = {
    desks: floor.desks.map((d) => d.at),
    phones: floor.lines.filter((l) => !l.phoneDesks?.length).flatMap((l) => l.phones),
  };
  const one = fitFloor(points, deskShape(floor, 'full', 1), box, margin);
  const two = fitFloor(points, deskShape(floor, 'full', 2), box, margin);
  const full = one.scale >= 0.92 * two.scale ? one : two;
  if (full.namePx >= FULL_MIN_PX) return full;
  const kinds = Object.keys(SHORT_LABELS).map((kind) => fitFloor(points, deskShape(floor, 'compact', 1, kind), box, margin));
  const readable = kinds.find((layout) => layout.namePx >= FULL_MIN_PX);
  if (readable) return readable;
  // None reaches it: the most telling kind that is nearly as large as the largest (ids are unique, initials not).
  const largest = Math.max(...kinds.map((layout) => layout.namePx));
  return kinds.find((layout) => layout.namePx >= 0.92 * largest);
}

/** The size of the plan's box; in a narrow window the plan takes the floor's own proportions. */
function planBox() {
  const holder = $('.plan-box');
  const auto = getComputedStyle(holder).getPropertyValue('--plan-height').trim() === 'auto';
  if (!auto) holder.style.height = '';
  const size = holder.getBoundingClientRect();
  const width = Math.max(200, size.width);
  let height = size.height;
  if (auto) {
    const desks = page.floor.desks;
    const xs = desks.map((d) => d.at[0]);
    const ys = desks.map((d) => d.at[1]);
    const aspect = desks.length ? (Math.max(...ys) - Math.min(...ys) + 3) / (Math.max(...xs) - Math.min(...xs) + 4) : 0.5;
    height = Math.round(Math.min(window.innerHeight * 0.85, Math.max(320, width * Math.min(1.6, Math.max(0.45, aspect)) + 60)));
    holder.style.height = `${height}px`;
  }
  return { width, height: Math.max(200, height), narrow: auto };
}

const overlapArea = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/**
 * Boxes on the plan ([x0, y0, x1, y1], optionally with a `weight`), bucketed on a grid: a question about one spot
 * looks at the boxes near it only (a floor of thousands of desks has thousands of boxes).
 */
class BoxIndex {
  constructor(boxes = [], cell = 96) {
    this.cell = cell;
    this.buckets = new Map();
    this.seen = [];
    this.stamp = 0;
    for (const box of boxes) this.add(box);
  }

  keys(b, each) {
    for (let gx = Math.floor(b[0] / this.cell); gx <= Math.floor(b[2] / this.cell); gx++) {
      for (let gy = Math.floor(b[1] / this.cell); gy <= Math.floor(b[3] / this.cell); gy++) each(`${gx},${gy}`);
    }
  }

  add(box) {
    const entry = { box, n: this.seen.length };
    this.seen.push(0);
    this.keys(box, (key) => {
      if (!this.buckets.has(key)) this.buckets.set(key, []);
      this.buckets.get(key).push(entry);
    });
    return box;
  }

  /** Px² of `b` covered, each box counted once, times its weight. */
  cost(b) {
    const stamp = ++this.stamp;
    let sum = 0;
    this.keys(b, (key) => {
      for (const entry of this.buckets.get(key) ?? []) {
        if (this.seen[entry.n] === stamp) continue;
        this.seen[entry.n] = stamp;
        sum += overlapArea(b, entry.box) * (entry.box.weight ?? 1);
      }
    });
    return sum;
  }
}

/** How far (px) a label or callout is looked for from its place before the least bad spot is taken. */
const SPOT_SEARCH_PX = 480;

/**
 * Where a box of `w` × `h` goes, centred near `at`, inside `bounds`, covering the boxes of `taken` (a BoxIndex) as
 * little as it can. Without `perPx`: the nearest spot that covers nothing (else the one that covers least); with it,
 * the spot with the least cost plus `perPx` for each px away from `at`. `offsets` (next to a phone, a desk) are
 * tried first and taken if they cover nothing.
 */
function findSpot(at, w, h, taken, bounds, offsets = [], perPx = null) {
  const inside = (b) => b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3];
  const boxAt = (cx, cy) => [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  for (const [dx, dy] of offsets) {
    const b = boxAt(at[0] + dx, at[1] + dy);
    if (inside(b) && taken.cost(b) === 0) return b;
  }
  const step = Math.max(8, Math.min(w, h) / 3);
  let best = null;
  let least = Infinity;
  const maxRadius = Math.min(SPOT_SEARCH_PX, Math.hypot(bounds[2] - bounds[0], bounds[3] - bounds[1]));
  for (let radius = 0; radius <= maxRadius; radius += step) {
    // Nothing further away can be better.
    if (perPx !== null && radius * perPx >= least) break;
    const around = Math.max(1, Math.round((2 * Math.PI * radius) / step));
    for (let i = 0; i < around; i++) {
      const angle = (2 * Math.PI * i) / around + Math.PI / 2;
      let b = boxAt(at[0] + radius * Math.cos(angle), at[1] + radius * Math.sin(angle));
      if (!inside(b)) {
        // Pulled back into the plan.
        const sx = Math.max(bounds[0] - b[0], 0) - Math.max(b[2] - bounds[2], 0);
        const sy = Math.max(bounds[1] - b[1], 0) - Math.max(b[3] - bounds[3], 0);
        b = [b[0] + sx, b[1] + sy, b[2] + sx, b[3] + sy];
      }
      const c = taken.cost(b);
      if (c === 0 && perPx === null) return b;
      const score = c + radius * (perPx ?? 2);
      if (score < least) [best, least] = [b, score];
    }
  }
  return best ?? boxAt(at[0], at[1]);
}

/** A phone drawn as a handset in a circle of radius `r` px. */
function phoneIcon(parent, r) {
  svg('circle', { class: 'ripple', r }, parent);
  svg('circle', { class: 'phone-bg', r }, parent);
  const icon = svg('g', { class: 'phone-icon', transform: `scale(${r / 38})` }, parent);
  svg('path', { d: 'M-19 -6 C-12 -17 12 -17 19 -6', class: 'handset' }, icon);
  svg('rect', { x: -23, y: -10, width: 11, height: 8, rx: 3 }, icon);
  svg('rect', { x: 12, y: -10, width: 11, height: 8, rx: 3 }, icon);
  svg('path', { d: 'M-12 -1 L12 -1 L18 15 L-18 15 Z' }, icon);
  svg('circle', { cx: 0, cy: 7, r: 4.5, class: 'dial' }, icon);
}

/** Labels below this size in a narrow window: the plan is made wider and scrolls sideways in its card. */
const NARROW_MIN_PX = 12;

/** Draws the plan for the current size of its box. */
function buildPlan(floor) {
  const box = planBox();
  if (box.narrow) {
    const at = layoutPlan(floor, box, 10);
    if (at.namePx < NARROW_MIN_PX) {
      const grow = Math.min(4, NARROW_MIN_PX / at.namePx);
      box.width *= grow;
      box.height *= Math.min(grow, 1.5);
      // Room for the sideways scroll bar.
      $('.plan-box').style.height = `${Math.ceil(box.height) + 18}px`;
    }
  }
  // What the plan is drawn for: when its box no longer has this size, it is laid out again (followPlanSize).
  page.planKey = planKey();
  // A margin for phone labels at the walls: tried small first, larger if a label could only go over a desk.
  let result = null;
  for (const margin of [10, 40, 80]) {
    result = drawPlan(floor, box, margin);
    // (Drawing a floor of thousands of desks three times is not worth a label's place.)
    if (result.covered === 0 || floor.desks.length > 500) break;
  }
  const plan = $('#plan');
  plan.setAttribute('data-mode', result.layout.mode);
  // The size of the box it was drawn for (tests wait for it to be the box's size).
  plan.setAttribute('data-size', page.planKey.split('|')[0]);
  plan.setAttribute('data-name-px', result.layout.namePx.toFixed(1));
  document.body.setAttribute('data-plan-mode', result.layout.mode);
  page.calloutKey = null;
}

function drawPlan(floor, box, margin) {
  const plan = $('#plan');
  plan.replaceChildren();
  plan.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  plan.setAttribute('width', box.width);
  plan.setAttribute('height', box.height);
  const layout = layoutPlan(floor, box, margin);
  page.layout = layout;
  const { scale, metre, originX, originY, bodyW, bodyH, d } = layout;
  const toPx = ([x, y]) => [originX + x * metre, originY + y * metre];
  const deskAt = new Map(floor.desks.map((d) => [d.id, toPx(d.at)]));
  const phoneDesksOf = new Map();
  for (const line of floor.lines) for (const id of line.phoneDesks ?? []) phoneDesksOf.set(id, [...(phoneDesksOf.get(id) ?? []), line.id]);

  const defs = svg('defs', {}, plan);
  const gridStep = metre;
  const grid = svg('pattern', { id: 'grid', width: gridStep, height: gridStep, patternUnits: 'userSpaceOnUse', x: originX % gridStep, y: originY % gridStep }, defs);
  svg('path', { d: `M ${gridStep} 0 L 0 0 0 ${gridStep}`, class: 'grid-line' }, grid);
  const arrow = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 6, refY: 5, markerWidth: 3.2, markerHeight: 3.2, orient: 'auto' }, defs);
  svg('path', { d: 'M0 0 L10 5 L0 10 Z', class: 'arrow-head' }, arrow);
  for (const [id, gap] of [['stripes-dense', 16], ['stripes-sparse', 28]]) {
    const stripes = svg('pattern', { id, width: gap, height: gap, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
    svg('rect', { width: gap / 2, height: gap, class: 'stripe' }, stripes);
  }
  const bounds = [4, 4, box.width - 4, box.height - 4];
  svg('rect', { rx: 14, class: 'floor', x: bounds[0], y: bounds[1], width: bounds[2] - bounds[0], height: bounds[3] - bounds[1] }, plan);
  if (gridStep >= 8) svg('rect', { rx: 14, class: 'floor-grid', fill: 'url(#grid)', x: bounds[0], y: bounds[1], width: bounds[2] - bounds[0], height: bounds[3] - bounds[1] }, plan);
  const linkLayer = svg('g', { class: 'links' }, plan);
  svg('g', { class: 'cover-links' }, plan);
  const deskLayer = svg('g', { class: 'desks' }, plan);
  svg('g', { class: 'callout-leaders' }, plan);
  const phoneLayer = svg('g', { class: 'phones' }, plan);
  svg('g', { class: 'callouts' }, plan);

  /** Boxes already taken on the plan (px): desks with the gap around them, phones, phone labels. */
  const taken = new BoxIndex();
  /** The phones and their labels, which callouts keep off. */
  const marks = [];
  page.views.desks.clear();
  const half = { w: bodyW / 2, h: bodyH / 2 };
  for (const desk of floor.desks) {
    const [x, y] = deskAt.get(desk.id);
    const cell = [x - (half.w + d.gapX / 2) * scale, y - (half.h + d.gapY / 2) * scale, x + (half.w + d.gapX / 2) * scale, y + (half.h + d.gapY / 2) * scale];
    taken.add(cell);
    const phoneOf = phoneDesksOf.get(desk.id) ?? [];
    const g = svg('g', { class: 'desk', transform: `translate(${x} ${y}) scale(${scale})`, 'data-desk': desk.id, 'data-alert': 'none', 'data-presence': 'present' }, deskLayer);
    if (phoneOf.length) g.setAttribute('data-phone-of', phoneOf.join(' '));
    const title = svg('title', {}, g);
    const halo = d.halo;
    svg('rect', { class: 'halo', x: -half.w - halo, y: -half.h - halo, width: bodyW + 2 * halo, height: bodyH + 2 * halo, rx: 18 }, g);
    svg('rect', { class: 'body', x: -half.w, y: -half.h, width: bodyW, height: bodyH, rx: 14 }, g);
    svg('rect', { class: 'stripes', x: -half.w, y: -half.h, width: bodyW, height: bodyH, rx: 14 }, g);
    if (phoneOf.length) {
      // Corner marks: this desk's phone rings for the line(s) (one marker per line elsewhere says which and how often).
      const bx = half.w - d.bracket;
      const by = half.h - d.bracket;
      const arm = d.bracketArm;
      const corners = [
        [-bx, -by, 1, 1],
        [bx, -by, -1, 1],
        [-bx, by, 1, -1],
        [bx, by, -1, -1],
      ]
        .map(([cx, cy, sx, sy]) => `M${cx + sx * arm} ${cy} L${cx} ${cy} L${cx} ${cy + sy * arm}`)
        .join(' ');
      svg('path', { class: 'brackets', d: corners }, g);
    }
    const name = svg('text', { class: 'name', 'text-anchor': 'middle' }, g);
    const top = -half.h + d.padY;
    // A baseline sits 0.86 of the font size below the top of its line.
    if (layout.mode === 'full') {
      const lines = layout.rows === 2 ? twoLines(desk.name) : [desk.name];
      // A one-line name on a floor of two-line names sits in the middle of their space.
      const first = top + d.name * 0.86 + (layout.rows - lines.length) * (d.lineH / 2);
      fitLines(name, lines, bodyW - 2 * d.padX + 4, d.name, d.name * 0.72, first, d.lineH);
    } else {
      fitLines(name, [SHORT_LABELS[layout.labelKind](desk)], bodyW - 2 * d.padX + 2, d.name, d.name * 0.75, top + d.name * 0.86, d.lineH);
    }
    const badgeTop = top + layout.rows * d.lineH + d.gap;
    const badgeBg = svg('rect', { class: 'badge-bg', x: -half.w + 8, y: badgeTop, width: bodyW - 16, height: d.badgeH - 2, rx: layout.mode === 'full' ? d.badgeH / 2 : 8 }, g);
    const badge = svg('text', { class: 'badge', x: 0, y: badgeTop + d.badge * 0.98, 'text-anchor': 'middle' }, g);
    const buzzer = svg('g', { class: 'buzzer', transform: `translate(${half.w - 2} ${-half.h + 2})` }, g);
    svg('title', {}, buzzer).textContent = 'buzzer sounding';
    const bell = svg('g', { class: 'buzz-icon', transform: layout.mode === 'full' ? '' : 'scale(1.2)' }, buzzer);
    svg('circle', { r: 22, class: 'buzzer-bg' }, bell);
    svg('path', { class: 'bell', d: 'M0 -13 C-8 -13 -9 -5 -9 1 L-12 7 L12 7 L9 1 C9 -5 8 -13 0 -13 Z M-3 9 A3 3 0 0 0 3 9 Z' }, bell);
    svg('path', { class: 'waves', d: 'M15 -9 Q20 0 15 9 M-15 -9 Q-20 0 -15 9' }, bell);
    page.views.desks.set(desk.id, { g, title, badge, badgeBg, center: [x, y], cell });
  }

  // Phones: a line with a phone of its own has it where it stands; a line that rings on desks' phones
  // (phone: { desks }) has one marker near those desks, joined to each by a thin line. Either way one label per
  // line: its name and the ring count.
  page.views.phones.clear();
  page.views.links.clear();
  const namePx = Math.min(22, Math.max(15, layout.namePx * 0.75));
  const ringPx = Math.min(24, Math.max(16, layout.namePx * 0.7));
  const radius = Math.min(24, Math.max(13, layout.namePx * 0.55));
  const answerBy = page.answerBy;
  const ringWidth = Math.max(...[`ring ${answerBy + 7} — LATE`, `ring ${answerBy - 1} of ${answerBy}`, 'on hold'].map((t) => textWidth(t, ringPx))) + ringPx * 1.4;
  // What a phone's label must not cover: desks (their bodies and outlines; the rest of a cell is gap).
  const deskBoxes = new BoxIndex(
    [...page.views.desks.values()].map(({ center: [x, y] }) => {
      const w = (half.w + d.halo + d.haloW / 2) * scale;
      const h = (half.h + d.halo + d.haloW / 2) * scale;
      return [x - w, y - h, x + w, y + h];
    }),
  );
  let covered = 0;
  // Free-standing phones first: their place is fixed.
  const lines = [...floor.lines].sort((a, b) => Number(Boolean(a.phoneDesks?.length)) - Number(Boolean(b.phoneDesks?.length)));
  for (const line of lines) {
    const onDesks = Boolean(line.phoneDesks?.length);
    // The label is one row: the line's name (two lines if it is long), then the ring count.
    const nameLines = wrapLabel(line.name, namePx, 14 * namePx);
    const nameW = Math.max(...nameLines.map((t) => textWidth(t, namePx)));
    const labelW = nameW + 8 + ringWidth;
    const labelH = Math.max(nameLines.length * namePx * 1.2, ringPx * 1.55) + 4;
    let icon;
    let label;
    if (!onDesks) {
      icon = nudge(toPx(line.phones[0]), radius, deskBoxes, bounds);
      const iconBox = [icon[0] - radius, icon[1] - radius, icon[0] + radius, icon[1] + radius];
      const gap = radius + 6;
      marks.push(taken.add(iconBox));
      label = findSpot(icon, labelW, labelH, taken, bounds, [
        [gap + labelW / 2, 0],
        [-gap - labelW / 2, 0],
        [0, gap + labelH / 2],
        [0, -gap - labelH / 2],
      ]);
    } else {
      // The marker: the phone and the label side by side, in the free space nearest the middle of its desks.
      const centres = line.phoneDesks.map((id) => deskAt.get(id)).filter(Boolean);
      const mid = [centres.reduce((s, c) => s + c[0], 0) / centres.length, centres.reduce((s, c) => s + c[1], 0) / centres.length];
      const w = 2 * radius + 6 + labelW;
      const h = Math.max(2 * radius, labelH);
      const spot = findSpot(mid, w, h, taken, bounds);
      icon = [spot[0] + radius, (spot[1] + spot[3]) / 2];
      label = [spot[0] + 2 * radius + 6, spot[1] + (h - labelH) / 2, spot[2], spot[1] + (h + labelH) / 2];
      marks.push(taken.add([spot[0], icon[1] - radius, spot[0] + 2 * radius, icon[1] + radius]));
    }
    marks.push(taken.add(label));
    covered += deskBoxes.cost(label);
    const g = svg('g', { class: 'phone', 'data-phone': line.id, 'data-state': 'idle', 'data-on-desks': onDesks }, phoneLayer);
    svg('title', {}, g).textContent = onDesks ? `${line.name}: rings on ${line.phoneDesks.map(deskLabel).join(', ')}` : `phone of ${line.name}`;
    // A line on desks' phones: while it rings, thin lines from its marker to each of those desks.
    const leaders = [];
    if (onDesks) {
      for (const id of line.phoneDesks) {
        const at = deskAt.get(id);
        if (at) leaders.push(svg('line', { class: 'leader', 'data-leader': line.id, x1: icon[0], y1: icon[1], x2: at[0], y2: at[1] }, linkLayer));
      }
    }
    const middle = (label[1] + label[3]) / 2;
    // A label that found room only away from its phone is joined to it.
    const nearX = Math.max(label[0], Math.min(icon[0], label[2]));
    const nearY = Math.max(label[1], Math.min(icon[1], label[3]));
    if (!onDesks && Math.hypot(nearX - icon[0], nearY - icon[1]) > radius + 14) {
      svg('line', { class: 'label-leader', x1: icon[0], y1: icon[1], x2: nearX, y2: nearY }, g);
    }
    const glyph = svg('g', { class: 'phone-glyph', transform: `translate(${icon[0]} ${icon[1]})` }, g);
    phoneIcon(glyph, radius);
    // The name next to the phone: a label left of its phone is written from the right (ring count, name).
    const leftOf = !onDesks && label[2] <= icon[0];
    const name = svg('text', { class: 'phone-name', 'text-anchor': leftOf ? 'end' : 'start', style: `font-size:${namePx}px` }, g);
    const top = middle - (nameLines.length * namePx * 1.2) / 2;
    nameLines.forEach((text, i) => {
      svg('tspan', { x: leftOf ? label[2] - 2 : label[0] + 2, y: top + namePx * (0.95 + 1.2 * i) }, name).textContent = text;
    });
    if (nameLines.join(' ') !== line.name) svg('title', {}, name).textContent = line.name;
    const pillX = leftOf ? label[0] : label[2] - ringWidth;
    const ringBg = svg('rect', { class: 'ring-bg', x: pillX, y: middle - ringPx * 0.775, width: ringWidth, height: ringPx * 1.55, rx: ringPx * 0.77 }, g);
    const ring = svg('text', { class: 'ring-text', x: pillX + ringWidth / 2, y: middle + ringPx * 0.36, 'text-anchor': 'middle', style: `font-size:${ringPx}px` }, g);
    page.views.phones.set(line.id, { g, ring, ringBg, at: icon, radius, leaders, desks: line.phoneDesks ?? [] });
    page.views.links.set(line.id, svg('line', { class: 'link', 'data-link': line.id }, linkLayer));
  }

  const note = svg('text', { class: 'grid-note', 'text-anchor': 'end', x: bounds[2] - 10, y: bounds[3] - 8 }, plan);
  note.textContent = gridStep >= 8 ? 'grid 1 m' : '';
  page.views.marks = marks;
  page.views.bounds = bounds;
  return { layout, covered };
}

/** A phone that stands on a desk's outline is moved just off it (the plan is for reading, not measuring). */
function nudge([x, y], r, boxes, bounds) {
  const hits = (cx, cy) => boxes.cost([cx - r, cy - r, cx + r, cy + r]) > 0;
  if (!hits(x, y)) return [x, y];
  for (let d = r / 2; d <= 3 * r; d += r / 2) {
    for (let a = 0; a < 8; a++) {
      const cx = x + d * Math.cos((a * Math.PI) / 4);
      const cy = y + d * Math.sin((a * Math.PI) / 4);
      if (cx - r >= bounds[0] && cy - r >= bounds[1] && cx + r <= bounds[2] && cy + r <= bounds[3] && !hits(cx, cy)) return [cx, cy];
    }
  }
  return [x, y];
}

/** A label in at most two lines of at most `width` px; the second ends with … if it must. */
function wrapLabel(text, px, width) {
  if (textWidth(text, px) <= width) return [text];
  const words = text.split(' ');
  let first = '';
  let i = 0;
  while (i < words.length && textWidth(`${first} ${words[i]}`.trim(), px) <= width) first = `${first} ${words[i++]}`.trim();
  if (!first) return [ellipsis(text, px, width)];
  const rest = words.slice(i).join(' ');
  return rest ? [first, textWidth(rest, px) <= width ? rest : ellipsis(rest, px, width)] : [first];
}

function ellipsis(text, px, width) {
  let shown = text;
  while (shown.length > 1 && textWidth(`${shown}…`, px) > width) shown = shown.slice(0, -1);
  return `${shown.trimEnd()}…`;
}

/** Lines of a text (tspans), shrunk together (down to `smallest`) and then shortened with … to fit `width`. */
function fitLines(element, lines, width, size, smallest, firstBaseline, lineHeight) {
  element.replaceChildren();
  const widest = Math.max(...lines.map((line) => textWidth(line, size)));
  const fitted = widest <= width ? size : Math.max(smallest, (size * width) / widest);
  element.style.fontSize = `${fitted}px`;
  let cut = false;
  lines.forEach((line, i) => {
    let shown = line;
    if (textWidth(shown, fitted) > width) {
      shown = ellipsis(line, fitted, width);
      cut = true;
    }
    svg('tspan', { x: 0, y: firstBaseline + i * lineHeight }, element).textContent = shown;
  });
  if (cut) svg('title', {}, element).textContent = lines.join(' ');
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

function renderDesks() {
  const layout = page.layout;
  if (!layout) return;
  const compact = layout.mode === 'compact';
  // Who covers whom: the retained desk state names the cover of each covered desk.
  const covering = new Map();
  for (const [id, desk] of Object.entries(page.desks)) {
    if (!desk.coveredBy) continue;
    if (!covering.has(desk.coveredBy)) covering.set(desk.coveredBy, []);
    covering.get(desk.coveredBy).push(id);
  }
  const callouts = [];
  for (const [id, view] of page.views.desks) {
    const desk = page.desks[id];
    if (!desk) continue;
    const led = desk.led ?? { color: 'off', pattern: 'off' };
    const buzzer = desk.buzzer?.pattern ?? 'off';
    const alert = alertOf(desk);
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
    // Who covers whom, and a schedule, in the badge of a desk with nothing more pressing to say ("free", "away"):
    // in full where it fits, else in a word (the desk's tooltip and the ring log have the rest; a green line joins
    // the two desks).
    const notes = [];
    if (covers.length) notes.push([`covering ${covers.map(deskLabel).join(', ')}`, 'covering', 'cov']);
    if (desk.coveredBy) notes.push([`covered by ${deskLabel(desk.coveredBy)}`, 'covered', 'away']);
    else if (schedule) notes.push([`schedule: ${schedule}`, 'away', 'away']);
    const note = notes.map((n) => n[0]).join(' · ');
    const quiet = alert === 'none' && !desk.busy;
    const d = layout.d;
    const room = layout.bodyW - (compact ? 6 : 16);
    let shown = badge;
    if (compact) shown = ALERT_CODE[alert] ?? (desk.busy ? 'call' : notes.length ? notes[0][2] : away ? 'away' : '');
    else if (quiet && notes.length) {
      // In full where it can be written at 60 % of the badge's size and 12 px or more.
      const fits = (text) => {
        const size = Math.min(d.badge, (d.badge * (room - 8)) / textWidth(text, d.badge, 700, 0.04));
        return size >= 0.6 * d.badge && size * layout.scale >= 12;
      };
      shown = fits(note) ? note : notes[0][1];
    }
    setData(view.g, 'badge', alert !== 'none' ? 'alert' : badge.replace(' ', '-'));
    setData(view.g, 'note', quiet && notes.length ? 'shown' : 'none');
    if (view.badge.textContent !== shown) {
      fitText(view.badge, shown, room - (compact ? 4 : 8), d.badge, d.badge * 0.6);
      const width = shown ? Math.min(room, Math.max(compact ? 40 : 96, view.badge.getComputedTextLength() + (compact ? 10 : 30))) : 0;
      view.badgeBg.setAttribute('x', String(-width / 2));
      view.badgeBg.setAttribute('width', String(width));
    }
    const owed = desk.callbacksOwed ? ` · ${plural(desk.callbacksOwed, 'callback')} owed${desk.callbacksOverdue ? `, ${desk.callbacksOverdue} overdue` : ''}` : '';
    const unit = desk.unit === 'offline' ? ' · desk unit OFFLINE' : '';
    setText(view.title, `${deskLabel(id)}: ${badge}${note ? ` · ${note}` : ''}${buzzer !== 'off' ? ` · buzzer ${buzzer}` : ''}${owed}${unit}`);
    if (compact && CALLOUT_ALERTS.has(alert)) callouts.push({ id, alert, text: ALERT_BADGE[alert] });
  }
  renderCallouts(compact ? callouts : []);
  // A green line from each covering desk to the desk it covers.
  const links = $('#plan .cover-links');
  const key = JSON.stringify([...covering]);
  if (links && links.getAttribute('data-key') !== key) {
    links.setAttribute('data-key', key);
    links.replaceChildren();
    for (const [by, covered] of covering) {
      const from = page.views.desks.get(by)?.center;
      for (const id of covered) {
        const to = page.views.desks.get(id)?.center;
        if (from && to) svg('line', { class: 'cover-link', x1: from[0], y1: from[1], x2: to[0], y2: to[1] }, links);
      }
    }
  }
}

/**
 * A compact plan's callouts: the full name and state of every desk that must act, at a readable size, next to the
 * desk (joined to it), over desks that are not asked for anything where it can.
 */
function renderCallouts(callouts) {
  const layer = $('#plan .callouts');
  const leaders = $('#plan .callout-leaders');
  if (!layer) return;
  const key = JSON.stringify(callouts);
  if (page.calloutKey === key) return;
  page.calloutKey = key;
  layer.replaceChildren();
  leaders.replaceChildren();
  if (!callouts.length) return;
  const px = Math.max(CALLOUT_MIN_PX, Math.min(24, page.layout.namePx * 1.3));
  const badgePx = Math.max(CALLOUT_MIN_PX, px * 0.85);
  // Costs per px² covered, against 8 per px of distance from the desk: a callout may cover free desks; it covers a
  // phone, a phone's label or a desk that is asked for something only to stay near its own desk; never another
  // callout or a desk that has one.
  const avoid = new BoxIndex(page.views.marks.map((b) => Object.assign([...b], { weight: 12 })));
  for (const view of page.views.desks.values()) {
    const alert = view.g.getAttribute('data-alert');
    avoid.add(Object.assign([...view.cell], { weight: alert === 'none' ? 0.05 : CALLOUT_ALERTS.has(alert) ? 12 : 2 }));
  }
  for (const { id } of callouts) avoid.add(Object.assign([...page.views.desks.get(id).cell], { weight: 40 }));
  for (const { id, alert, text } of callouts) {
    const view = page.views.desks.get(id);
    const name = deskLabel(id);
    const w = Math.max(textWidth(name, px), textWidth(text, badgePx, 800, 0.06)) + 24;
    const h = px * 1.25 + badgePx * 1.3 + 14;
    const [x, y] = view.center;
    const cell = view.cell;
    const gap = 10;
    const spot = findSpot([x, y], w, h, avoid, page.views.bounds, [
      [0, -(y - cell[1]) - gap - h / 2],
      [0, cell[3] - y + gap + h / 2],
      [cell[2] - x + gap + w / 2, 0],
      [-(x - cell[0]) - gap - w / 2, 0],
    ], 8);
    avoid.add(Object.assign([...spot], { weight: 40 }));
    const g = svg('g', { class: 'callout', 'data-callout': id, 'data-alert': alert }, layer);
    const cx = (spot[0] + spot[2]) / 2;
    const cy = (spot[1] + spot[3]) / 2;
    // The leader from the callout's edge to the desk's.
    const edge = (from, to, b) => {
      const [fx, fy] = from;
      const dx = to[0] - fx;
      const dy = to[1] - fy;
      const t = Math.min(dx ? Math.abs(((dx > 0 ? b[2] : b[0]) - fx) / dx) : Infinity, dy ? Math.abs(((dy > 0 ? b[3] : b[1]) - fy) / dy) : Infinity, 1);
      return [fx + dx * t, fy + dy * t];
    };
    const body = [x - (page.layout.bodyW / 2) * page.layout.scale, y - (page.layout.bodyH / 2) * page.layout.scale, x + (page.layout.bodyW / 2) * page.layout.scale, y + (page.layout.bodyH / 2) * page.layout.scale];
    const a = edge([cx, cy], [x, y], spot);
    const b = edge([x, y], [cx, cy], body);
    // Under the phones' labels, over the desks.
    svg('line', { class: 'callout-leader', 'data-callout': id, x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, leaders);
    svg('rect', { class: 'callout-bg', x: spot[0], y: spot[1], width: w, height: h, rx: 10 }, g);
    const nameText = svg('text', { class: 'callout-name', x: cx, y: spot[1] + 7 + px, 'text-anchor': 'middle', style: `font-size:${px}px` }, g);
    nameText.textContent = name;
    const badgeText = svg('text', { class: 'callout-badge', x: cx, y: spot[3] - 9 - badgePx * 0.15, 'text-anchor': 'middle', style: `font-size:${badgePx}px` }, g);
    badgeText.textContent = text;
  }
}

function renderPhones() {
  const layout = page.layout;
  if (!layout) return;
  const ringingOn = new Set();
  for (const [id, view] of page.views.phones) {
    const line = page.lines[id] ?? { state: 'idle', ring: 0, desk: null };
    const ringing = line.state === 'ringing';
    if (ringing) for (const desk of view.desks) ringingOn.add(desk);
    setData(view.g, 'state', line.state);
    setData(view.g, 'late', ringing && line.ring >= page.answerBy);
    const talking = line.state === 'answered' || line.state === 'in-use';
    setData(view.g, 'held', talking && line.heldSince != null);
    setText(view.ring, ringing ? ringText(line.ring) : talking ? (line.heldSince != null ? 'on hold' : 'on call') : '');
    for (const leader of view.leaders) setData(leader, 'state', line.state);
    const link = page.views.links.get(id);
    const target = ringing && line.desk ? page.views.desks.get(line.desk) : null;
    if (!target) {
      setData(link, 'shown', false);
      continue;
    }
    // An arrow from the edge of the line's phone to the edge of the desk that should answer; when the two (nearly)
    // touch, a line between their centres, under both.
    const [dx, dy] = target.center;
    const from = view.at;
    const length = Math.hypot(from[0] - dx, from[1] - dy) || 1;
    const ux = (from[0] - dx) / length;
    const uy = (from[1] - dy) / length;
    const halfW = (layout.bodyW / 2 + layout.d.halo + 4) * layout.scale;
    const halfH = (layout.bodyH / 2 + layout.d.halo + 4) * layout.scale;
    const edge = Math.min(halfW / Math.abs(ux || 1e-9), halfH / Math.abs(uy || 1e-9)) + 8;
    const arrow = length - view.radius - 6 - edge >= 24;
    link.setAttribute('x1', arrow ? from[0] - ux * (view.radius + 6) : from[0]);
    link.setAttribute('y1', arrow ? from[1] - uy * (view.radius + 6) : from[1]);
    link.setAttribute('x2', arrow ? dx + ux * edge : dx);
    link.setAttribute('y2', arrow ? dy + uy * edge : dy);
    if (arrow) link.setAttribute('marker-end', 'url(#arrow)');
    else link.removeAttribute('marker-end');
    setData(link, 'shown', true);
  }
  for (const [id, view] of page.views.desks) setData(view.g, 'phone-ringing', ringingOn.has(id));
}

/** "ring 2 of 3" while the call can still be answered on time (before ring answerBy), then "ring 3 — LATE". */
function ringText(ring) {
  return ring < page.answerBy ? `ring ${ring} of ${page.answerBy}` : `ring ${ring} — LATE`;
}

/** The plan's box, to the pixel ("986x602"), the window's height and whether the plan fills its box. */
function planKey() {
  const holder = $('.plan-box');
  const { width, height } = holder.getBoundingClientRect();
  return `${Math.round(width)}x${Math.round(height)}|${window.innerHeight}|${getComputedStyle(holder).getPropertyValue('--plan-height').trim()}`;
}

/**
 * Lays the plan out again when its box is no longer the size it was drawn for: the window resized, the panel moved
 * under the plan, the legend grew (short labels add their codes to it).
 */
function followPlanSize() {
  let timer = null;
  const relayout = () => {
    balanceCards();
    if (planKey() === page.planKey) return;
    buildPlan(page.floor);
    render();
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(relayout, 50);
  };
  new ResizeObserver(soon).observe($('.plan-box'));
  window.addEventListener('resize', soon);
  soon();
}

// ---------------------------------------------------------------------------------------------- line cards

function buildCards(floor) {
  const container = $('#lines');
  container.replaceChildren();
  page.views.cards.clear();
  for (const line of floor.lines) {
    const card = html('article', { class: 'line-card', 'data-line': line.id, 'data-state': 'idle' }, container);
    // The line's name has the card's whole width (it wraps, never cut); the state chip goes by the headline.
    html('h3', {}, card, line.name);
    const status = html('p', { class: 'state-row' }, card);
    const chip = html('span', { class: 'chip' }, status, 'IDLE');
    // Read as one sentence ("ON HOLD at Anna"), also by a screen reader.
    status.append(' ');
    const headline = html('span', { class: 'headline' }, status, 'idle');
    const detail = html('p', { class: 'detail' }, card, '');
    page.views.cards.set(line.id, { card, chip, headline, detail });
  }
  balanceCards();
}

/** As many cards a row as fit (at least ~14 rem each), the rows as even as can be. */
function balanceCards() {
  const container = $('#lines');
  const count = page.views.cards.size;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const fit = Math.max(1, Math.floor((container.clientWidth + 10) / (14 * rem)));
  const rows = Math.ceil(count / Math.min(fit, count || 1));
  const columns = Math.max(1, Math.ceil(count / rows));
  if (container.style.getPropertyValue('--line-columns') !== String(columns)) container.style.setProperty('--line-columns', String(columns));
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

/** Where a card goes in a strip of more lines than it shows. */
const CARD_ORDER = { ringing: 0, held: 1, missed: 2, answered: 3, 'in-use': 4, idle: 5 };

function renderCards() {
  const bridgeNow = now();
  const strip = $('.lines-area');
  const overflowing = strip.scrollHeight > strip.clientHeight + 1;
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
      // Level 1 is the desk that answers; from level 2 more desks are lit.
      const level = call.level > 1 ? ` · level ${call.level}` : '';
      const since = line.since ? ` · ${Math.max(0, Math.round((bridgeNow - line.since) / 1000))} s` : '';
      detail = `${who}${level}${since}`;
      verdict = line.ring >= page.answerBy ? 'late' : 'none';
    } else if (state === 'answered') {
      chip = 'ANSWERED';
      const known = outcome && outcome.kind === 'answered' ? outcome : null;
      const desk = known ? known.desk : line.desk;
      // The chip says ANSWERED / ON HOLD; the headline goes on from it, so a long name still fits.
      headline = desk ? `by ${deskLabel(desk)}` : 'at the phone';
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
      headline = line.desk ? `at ${deskLabel(line.desk)}` : 'caller waiting';
      // The desk's hold reminder is lit: the caller has waited a full check interval since the last look.
      const remind = line.desk && alertOf(page.desks[line.desk]) === 'hold';
      detail = `held ${duration(bridgeNow - line.heldSince)}${remind ? ' — check back' : ''}`;
      verdict = remind ? 'late' : 'none';
    } else if (state === 'in-use') {
      chip = 'IN USE';
      headline = 'outgoing call';
      detail = line.since ? `since ${clockTime(new Date(line.since))}` : '';
    }
    setData(view.card, 'state', state);
    setData(view.card, 'verdict', verdict);
    // A strip that scrolls (many lines) shows the lines with a call first; otherwise cards keep their places.
    const order = overflowing ? (CARD_ORDER[state] ?? 9) : 0;
    if (view.card.style.order !== String(order)) view.card.style.order = String(order);
    setText(view.chip, chip);
    setText(view.headline, headline);
    if (view.headline.title !== headline) view.headline.title = headline;
    setText(view.detail, detail);
    if (view.detail.title !== detail) view.detail.title = detail;
  }
}

// ---------------------------------------------------------------------------------------------- side panel

/**
 * Today's numbers add up: calls = on time + late + missed + ringing now (a call is counted at its first ring and
 * finished when answered or missed). The service level is of the finished calls, and says how many.
 */
function renderToday() {
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

let recentShown = '';
function renderRecent() {
  // Again when the day changes: "11:00" becomes "Tue 11:00".
  const key = `${page.recentVersion}|${localDay(new Date(now()))}`;
  if (recentShown === key) return;
  recentShown = key;
  const list = $('#recent');
  const items = page.recent.map((entry) => {
    const li = html('li', { class: `entry type-${entry.type}`, 'data-type': entry.type });
    if (/LATE|MISSED|OFFLINE|OVERDUE|ALERT/.test(entry.text) || entry.type === 'fault') li.classList.add('alarm');
    else if (entry.type === 'hold-reminder' || entry.type === 'callback-owed') li.classList.add('warn');
    const date = new Date(entry.ts);
    html('time', { datetime: entry.ts }, li, Number.isNaN(date.getTime()) ? '' : clockTime(date));
    const words = html('span', { class: 'words' }, li);
    if (entry.subject) html('span', { class: 'where' }, words, subjectLabel(entry.subject));
    html('span', { class: 'what' }, words, logWords(entry.text));
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
  renderClock();
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
  page.recent = recent.slice(0, RECENT_KEEP).map(recentEntry);
  page.recentVersion++;
  page.snapshotKeys = new Set(recent.map((entry) => entryKey(recentEntry(entry))));
  // A bridge started afresh counts `seq` from 1 again.
  page.seenSeq.clear();
  page.seqOrder = [];
  // The escalation level of calls ringing now: the newest entry of the line's call that says one (its first ring
  // says 1).
  for (const [id, line] of Object.entries(state.lines)) {
    if (line.state !== 'ringing') continue;
    const leveled = page.recent.find((entry) => entry.subject === id && entry.level !== undefined);
    if (leveled) callInfo(id).level = leveled.level;
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
  const recent = recentEntry(entry);
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
  buildCards(floor);
  // Before the plan is laid out: the legend's height is part of its room.
  $('[data-legend="phone-desk"]').hidden = !floor.lines.some((line) => line.phoneDesks?.length);
  buildPlan(floor);
  followPlanSize();
  applySnapshot(state, requestedAt);
  page.synced = true;
  document.body.setAttribute('data-ready', 'true');
  if (floor.mqtt.wsPort !== null && typeof globalThis.mqtt?.connect === 'function') connectLive(floor.mqtt.wsPort);
  else startPolling();
  render();
}

/** The bridge's time: at every tick, and at once when a snapshot says what the bridge's clock is. */
const renderClock = () => setText($('#clock'), clockTime(new Date(now())));

function tick() {
  renderClock();
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
