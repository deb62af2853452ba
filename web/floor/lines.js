// The line cards: the live call of every line, or how its last call ended.
import { $, html, setData, setText } from './dom.js';
import { OUTCOME_VISIBLE_MS, page, callInfo, alertOf, now } from './state.js';
import { clockTime } from './clock.js';
import { seconds, duration, plural, deskLabel, ringText } from './words.js';

export function buildCards(floor) {
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
export function balanceCards() {
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

export function renderCards() {
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
