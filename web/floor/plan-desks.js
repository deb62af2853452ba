// Every desk as its desk unit shows it (its alert, from the bridge), who covers whom, and a compact plan's callouts.
import { $, svg, setData, setText } from './dom.js';
import { page, alertOf } from './state.js';
import { plural, deskLabel } from './words.js';
import { textWidth, fitText } from './plan-text.js';
import { BoxIndex, findSpot } from './plan-spots.js';

const ALERT_BADGE = { yours: 'ANSWER', hold: 'HOLD', nearby: 'nearby', everyone: 'all', callback: 'CALLBACK DUE' };

const CALLOUT_MIN_PX = 18;

/** Short state codes on compact desks (the legend says what they mean). */
const ALERT_CODE = { yours: 'ANS', hold: 'HOLD', nearby: 'near', everyone: 'all', callback: 'CB' };

/** Desks that must act get a callout on a compact plan. */
const CALLOUT_ALERTS = new Set(['yours', 'hold', 'callback']);

export function renderDesks() {
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
