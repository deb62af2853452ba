// The plan's layout: how large desks are drawn, full names or short labels, and the scale that fits the floor in its box.
import { $ } from './dom.js';
import { page } from './state.js';
import { textWidth } from './plan-text.js';

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

/** A name on two lines: split at a space (dropped), or after - / _ (kept), as evenly as its widths allow. */
export function twoLines(name) {
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
export const SHORT_LABELS = {
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
export function layoutPlan(floor, box, margin) {
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
export function planBox() {
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
