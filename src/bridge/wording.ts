import { DateTime } from 'luxon';
import type { DeviceEvent } from '../common/device-events.js';
import { isDecisionType, type Decision, type IgnoredBecause } from '../core/index.js';

// The only place that turns decisions and log entries into words: the console, `thirdring log`, the floor page
// (through the log entry's `text` and /api/state) all say the same thing. Times of day are in the office's zone.

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a screen needs of a decision: its subject (line or desk), its words, and the call's level if it sets one. */
export interface DecisionView {
  subject: string;
  text: string;
  /** The escalation level the call is at from this decision on: 1 at its first ring, then each escalation's. */
  level?: number;
}

export function decisionView(decision: Decision, timeZone: string): DecisionView {
  const view: DecisionView = { subject: subjectOf(decision), text: describeDecision(decision, timeZone) };
  if (decision.type === 'escalate') view.level = decision.level;
  if (decision.type === 'ring' && decision.ring === 1) view.level = 1;
  return view;
}

/**
 * One decision as a line a person reads: what happened on which line, and who should answer. Times of day
 * (callbacks) are shown in `timeZone`, the office's.
 */
export function describeDecision(decision: Decision, timeZone: string): string {
  const minute = (t: number) => localMinute(t, timeZone);
  switch (decision.type) {
    case 'ring':
      return `ring ${decision.ring}`;
    case 'assign':
      return decision.reason === 'first'
        ? `→ ${decision.desk} answers (nearest free)`
        : `→ ${decision.desk} answers instead (${decision.reason === 'freed' ? 'now free' : 'previous desk left or took another call'})`;
    case 'unassigned':
      return '→ nobody free near this phone';
    case 'escalate':
      return `↑ level ${decision.level}: ${describeEscalation(decision)}`;
    case 'answered':
      return `answered${decision.desk ? ` at ${decision.desk}` : ''} after ${plural(decision.rings, 'ring')}, ${seconds(decision.waitMs)} — ${decision.onTime ? 'on time' : 'LATE'}`;
    case 'missed':
      return `MISSED after ${plural(decision.rings, 'ring')} (${seconds(decision.waitMs)})`;
    case 'outgoing':
      return `outgoing call${decision.desk ? ` from ${decision.desk}` : ''}`;
    case 'ended':
      return `hung up after ${seconds(decision.durationMs)}`;
    case 'ring-stuck':
      return `FAULT ring burst still on after ${seconds(decision.burstMs)}: its ring-off was lost; ended here`;
    case 'alert':
      return `ALERT designated line unanswered at ring ${decision.ring} → fallback ${decision.desks.join(', ') || '(none present)'}`;
    case 'callback-owed':
      return `callback owed by ${decision.desk}, due ${minute(decision.dueAt)}`;
    case 'callback-overdue':
      return `callback OVERDUE at ${decision.desk} (missed ${minute(decision.missedAt)})`;
    case 'callback-closed':
      return `callback for ${minute(decision.missedAt)} done at ${decision.desk} (${decision.by}${decision.overdue ? ', was overdue' : ''})`;
    case 'hold':
      return decision.state === 'on' ? `on hold${decision.desk ? ` at ${decision.desk}` : ''}` : `off hold after ${seconds(decision.heldMs)}`;
    case 'hold-reminder':
      return `on hold ${seconds(decision.heldMs)} — check back with the caller${decision.desk ? ` (${decision.desk})` : ''}`;
    case 'takeover':
      return decision.state === 'on' ? `${decision.desk} takes ${decision.from}'s calls` : `${decision.desk} gives ${decision.from}'s calls back`;
    case 'schedule':
      return `${decision.desk} ${decision.state} (schedule ${decision.schedule})`;
  }
}

/** `chloe, anna, eva`, or `everyone within 20 m (37 desks); anna, chloe` */
export function describeEscalation({ desks, everyone }: Extract<Decision, { type: 'escalate' }>): string {
  if (!everyone) return desks.join(', ') || '(no desk present)';
  const where = everyone.withinMetres === null || everyone.withinMetres === undefined ? 'everyone' : `everyone within ${everyone.withinMetres} m`;
  return `${where} (${plural(everyone.desks, 'desk')})${desks.length ? `; ${desks.join(', ')}` : ''}`;
}

/** What a decision is about, for the first column of a log line: its line, or its desk. */
export function subjectOf(decision: Decision): string {
  return 'line' in decision ? decision.line : decision.desk;
}

export function describeDeviceEvent(event: DeviceEvent): string {
  if (event.type === 'fault') return `${event.family} ${event.device}: ${event.reason} ${event.detail} (${event.count} so far)`;
  if (event.state === 'online') return `${event.family} ${event.device}: online${event.detail ? ` (${event.detail})` : ''}`;
  return `${event.family} ${event.device}: OFFLINE — ${event.reason}${event.lines ? `; calls on ${event.lines.join(', ')} were ringing` : ''}`;
}

/** A desk button press (`ack`), as the floor page and the ring log show it. */
export function describeDeskAction(action: { desk: string; action: string }): string {
  return `${action.desk}: ${action.action}`;
}

/** An entry of the `log` topic, as it arrives: any JSON object with a `type`; its fields are not trusted. */
export type LogEntryFields = { type: string } & Record<string, unknown>;

/**
 * A log entry's subject and words (empty subject: a device event, which names its device in the words). The
 * decision's fields are read as the bridge wrote them; an entry of an unknown type is shown as JSON.
 */
export function logEntryView(entry: LogEntryFields, timeZone: string): { subject: string; text: string } {
  if (isDecisionType(entry.type)) return decisionView(entry as unknown as Decision, timeZone);
  if (entry.type === 'device' || (entry.type === 'fault' && 'family' in entry)) return { subject: '', text: describeDeviceEvent(entry as unknown as DeviceEvent) };
  if (entry.type === 'desk-action') {
    const action = entry as unknown as { desk: string; action: string; line?: string | null };
    return { subject: action.line ?? '', text: describeDeskAction(action) };
  }
  if (entry.type === 'input') return describeInput(inputOf(entry));
  return { subject: '', text: JSON.stringify(entry) };
}

/** An `input` entry's core event (what the bridge fed the rules core: a burst, a hook, a presence change...). */
type InputEvent = { type: string; line?: string; desk?: string; from?: string; state?: string };
const inputOf = (entry: LogEntryFields): InputEvent => (typeof entry.event === 'object' && entry.event !== null ? (entry.event as InputEvent) : { type: '?' });

/** `front  input ring on`, `anna  input hook off front`, `chloe  input takeover on from anna` */
function describeInput(event: InputEvent): { subject: string; text: string } {
  const rest = [event.state, event.desk !== undefined ? event.line : undefined, event.from !== undefined ? `from ${event.from}` : undefined];
  return { subject: event.desk ?? event.line ?? '?', text: `input ${[event.type, ...rest].filter((part) => part !== undefined).join(' ')}` };
}

/** `2026-11-23 17:30` in the zone, with Z for UTC. */
function localMinute(t: number, timeZone: string): string {
  const local = DateTime.fromMillis(t, { zone: timeZone });
  return local.toFormat('yyyy-MM-dd HH:mm') + (local.offset === 0 && timeZone === 'UTC' ? 'Z' : '');
}

/** The desks and line a refused request named (known to the office: requests are checked for names first). */
export interface RefusedNames {
  desk?: string;
  line?: string;
  from?: string;
  /** Who covers `from` now, for a refused takeover. */
  coveredBy?: string | null;
}

/** Why the core did not do what a request asked, in words for the response's `error`. */
export function refusal(ignored: IgnoredBecause, { desk, line, from, coveredBy }: RefusedNames): string {
  switch (ignored) {
    case 'own-desk':
      return 'a desk cannot take over its own calls';
    case 'not-covering':
      return `${from} is ${coveredBy ? `covered by ${coveredBy}` : 'not covered'}`;
    case 'cover-is-covered':
      return `${desk} is covered itself: a covered desk covers nobody`;
    case 'no-call':
      return line !== undefined ? `line "${line}" has no call` : `desk "${desk}" is not on a call`;
    case 'nothing-to-ack':
      return `desk "${desk}" has nothing to acknowledge`;
    default:
      return `ignored: ${ignored}`;
  }
}
