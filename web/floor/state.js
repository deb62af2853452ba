// What the page knows: the floor, the retained line and desk state, today's numbers, the calls it follows.

/** How long a line card keeps showing a finished call's outcome. */
export const OUTCOME_VISIBLE_MS = 10_000;

export const RECENT_KEEP = 20;

/** The alerts a desk can show (src/core/types.ts DeskAlert). */
const ALERTS = new Set(['yours', 'hold', 'nearby', 'everyone', 'callback', 'none']);
/** What the desk is asked to do, as the bridge says it in the desk's state (src/core/status.ts); else none. */
export const alertOf = (desk) => (ALERTS.has(desk?.alert) ? desk.alert : 'none');

// Maps keyed by ids from the bridge's messages have no prototype: a line or desk named "__proto__" is just a name.
export const page = {
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
  scheduleAway: Object.create(null),
  /** Open callbacks, oldest miss first: { line, missedAt, desk, dueAt, overdue } (from /api/callbacks). */
  callbacks: [],
  /** line id → what the log told about the current or last call: { level, outcome } */
  calls: Object.create(null),
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

/** Now, by the bridge's clock. */
export const now = () => Date.now() + page.clockOffset;

export function callInfo(line) {
  page.calls[line] ??= { level: null, outcome: null };
  return page.calls[line];
}
