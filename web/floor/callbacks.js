// The callbacks owed, fetched again when a callback decision comes.
import { $, html, setData, setText } from './dom.js';
import { page, now } from './state.js';
import { localDay, when } from './clock.js';
import { deskLabel, lineLabel } from './words.js';
import { render } from './render.js';
import { fetchJson } from './api.js';

/** Callbacks listed in the panel; the rest are counted. */
const CALLBACKS_SHOWN = 8;

let callbacksShown = null;

export function renderCallbacks() {
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

/** Fetches the open callbacks again (a callback was owed, fell overdue or was returned); one request at a time. */
const callbacksFetch = { running: false, again: false };

export async function loadCallbacks() {
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
