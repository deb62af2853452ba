// The page's own words for its cards and labels (log entries come worded by the bridge).
import { page } from './state.js';

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** "45 s", "2 min 05 s", "1 h 02 min" */
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
}

export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const deskLabel = (id) => (id ? (page.deskName.get(id) ?? id) : '');

export const lineLabel = (id) => (id ? (page.lineName.get(id) ?? id) : '');

/** A log entry's subject: a line, or a desk (takeover, schedule). */
export const subjectLabel = (id) => (id ? (page.lineName.get(id) ?? page.deskName.get(id) ?? id) : '');

/** "ring 2 of 3" while the call can still be answered on time (before ring answerBy), then "ring 3 — LATE". */
export function ringText(ring) {
  return ring < page.answerBy ? `ring ${ring} of ${page.answerBy}` : `ring ${ring} — LATE`;
}
