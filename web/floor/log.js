// Ring log entries coming in: today's numbers, the calls and desks they tell about, and the list's entries.
import { OUTCOME_VISIBLE_MS, RECENT_KEEP, page, callInfo, now } from './state.js';
import { localDay } from './clock.js';
import { chart, chartAfterCall } from './today.js';
import { loadCallbacks } from './callbacks.js';

/**
 * An entry in the ring log list, the same whether it came in the /api/state snapshot or over MQTT: the bridge words
 * both (src/bridge/wording.ts).
 */
export const entryKey = (entry) => `${entry.ts}|${entry.type}|${entry.subject ?? ''}|${entry.text}`;

/**
 * A log entry as the list keeps it: the bridge's words and level. A bridge of an older version sends no words:
 * its type is shown then.
 */
export function recentEntry(entry) {
  const subject = typeof entry.subject === 'string' ? entry.subject : typeof entry.line === 'string' ? entry.line : undefined;
  return {
    ts: entry.ts,
    type: entry.type,
    ...(subject ? { subject } : {}),
    text: typeof entry.text === 'string' ? entry.text : entry.type,
    ...(typeof entry.level === 'number' ? { level: entry.level } : {}),
  };
}

export function onLog(entry) {
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
