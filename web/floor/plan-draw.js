// Draws the floor plan (desks, phones and their labels) for the size of its box, and again when that size changes.
import { $, svg } from './dom.js';
import { page } from './state.js';
import { deskLabel } from './words.js';
import { textWidth, wrapLabel, fitLines } from './plan-text.js';
import { twoLines, SHORT_LABELS, layoutPlan, planBox } from './plan-layout.js';
import { BoxIndex, findSpot, nudge } from './plan-spots.js';
import { balanceCards } from './lines.js';
import { render } from './render.js';

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
export function buildPlan(floor) {
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
export function followPlanSize() {
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
