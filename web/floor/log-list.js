// The ring log list: the bridge's words for each entry, its times as the rest of the page writes them.
import { $, html, setData } from './dom.js';
import { page, now } from './state.js';
import { clockTime, localDay, logWords } from './clock.js';
import { subjectLabel } from './words.js';

let recentShown = '';

export function renderRecent() {
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
