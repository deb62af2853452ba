import { describe, expect, it } from 'vitest';
import { DECISION_TYPES, type Decision } from '../src/core/index.js';
import { decisionView, logEntryView } from '../src/bridge/wording.js';

const AMSTERDAM = 'Europe/Amsterdam';
// 09:20 UTC is 10:20 in Amsterdam (CET, UTC+1) on these days.
const t = Date.parse('2026-11-24T09:20:00Z');
const nextDay = Date.parse('2026-11-25T09:20:00Z');

/** One decision of every type with what the bridge says of it, in Amsterdam. */
const SAMPLES: { [type in Decision['type']]: { decision: Extract<Decision, { type: type }>; subject: string; text: string; level?: number } } = {
  ring: { decision: { t, type: 'ring', line: 'front', ring: 2 }, subject: 'front', text: 'ring 2' },
  assign: { decision: { t, type: 'assign', line: 'front', desk: 'anna', reason: 'freed' }, subject: 'front', text: '→ anna answers instead (now free)' },
  unassigned: { decision: { t, type: 'unassigned', line: 'front' }, subject: 'front', text: '→ nobody free near this phone' },
  escalate: {
    decision: { t, type: 'escalate', line: 'front', level: 3, desks: ['anna', 'chloe'], everyone: { desks: 37, withinMetres: 20 } },
    subject: 'front',
    text: '↑ level 3: everyone within 20 m (37 desks); anna, chloe',
    level: 3,
  },
  answered: { decision: { t, type: 'answered', line: 'front', rings: 3, waitMs: 11_000, onTime: false, desk: 'bram' }, subject: 'front', text: 'answered at bram after 3 rings, 11.0 s — LATE' },
  missed: { decision: { t, type: 'missed', line: 'back', rings: 1, waitMs: 4000 }, subject: 'back', text: 'MISSED after 1 ring (4.0 s)' },
  outgoing: { decision: { t, type: 'outgoing', line: 'back', desk: 'eva' }, subject: 'back', text: 'outgoing call from eva' },
  ended: { decision: { t, type: 'ended', line: 'back', durationMs: 65_000 }, subject: 'back', text: 'hung up after 65.0 s' },
  'ring-stuck': { decision: { t, type: 'ring-stuck', line: 'front', burstMs: 9500 }, subject: 'front', text: 'FAULT ring burst still on after 9.5 s: its ring-off was lost; ended here' },
  alert: { decision: { t, type: 'alert', line: 'sales', reason: 'designated-unanswered', ring: 4, desks: [] }, subject: 'sales', text: 'ALERT designated line unanswered at ring 4 → fallback (none present)' },
  'callback-owed': { decision: { t, type: 'callback-owed', line: 'back', missedAt: t, desk: 'anna', dueAt: nextDay }, subject: 'back', text: 'callback owed by anna, due 2026-11-25 10:20' },
  'callback-overdue': { decision: { t: nextDay, type: 'callback-overdue', line: 'back', missedAt: t, desk: 'anna', dueAt: nextDay }, subject: 'back', text: 'callback OVERDUE at anna (missed 2026-11-24 10:20)' },
  'callback-closed': {
    decision: { t: nextDay, type: 'callback-closed', line: 'back', missedAt: t, desk: 'anna', by: 'ack', overdue: true },
    subject: 'back',
    text: 'callback for 2026-11-24 10:20 done at anna (ack, was overdue)',
  },
  hold: { decision: { t, type: 'hold', line: 'front', desk: 'anna', state: 'off', heldMs: 42_000 }, subject: 'front', text: 'off hold after 42.0 s' },
  'hold-reminder': { decision: { t, type: 'hold-reminder', line: 'front', desk: 'anna', heldMs: 60_000, reminder: 1 }, subject: 'front', text: 'on hold 60.0 s — check back with the caller (anna)' },
  takeover: { decision: { t, type: 'takeover', desk: 'chloe', from: 'anna', state: 'on' }, subject: 'chloe', text: "chloe takes anna's calls" },
  schedule: { decision: { t, type: 'schedule', desk: 'anna', state: 'away', schedule: 'lunch' }, subject: 'anna', text: 'anna away (schedule lunch)' },
};

describe('wording: every decision type in words, once', () => {
  it.each(DECISION_TYPES)('%s has a view and words, times of day in the office zone', (type) => {
    const sample = SAMPLES[type];
    expect(sample.decision.type).toBe(type);
    const view = decisionView(sample.decision, AMSTERDAM);
    expect(view).toEqual({ subject: sample.subject, text: sample.text, ...(sample.level === undefined ? {} : { level: sample.level }) });
    // A log entry read back from MQTT (extra fields, as JSON) is worded the same.
    const entry = JSON.parse(JSON.stringify({ ...sample.decision, ts: new Date(sample.decision.t).toISOString(), site: 's', seq: 1 }));
    expect(logEntryView(entry, AMSTERDAM)).toMatchObject({ subject: sample.subject, text: sample.text });
  });

  it('gives the level a call is at: 1 from its first ring', () => {
    expect(decisionView({ t, type: 'ring', line: 'front', ring: 1 }, AMSTERDAM)).toEqual({ subject: 'front', text: 'ring 1', level: 1 });
  });

  it('lists each decision type once, and nothing else', () => {
    expect(new Set(DECISION_TYPES).size).toBe(DECISION_TYPES.length);
    expect([...DECISION_TYPES].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('words device events, desk buttons and core inputs; an unknown entry as JSON', () => {
    expect(logEntryView({ type: 'device', family: 'desk-unit', device: 'anna', state: 'online' }, AMSTERDAM)).toEqual({ subject: '', text: 'desk-unit anna: online' });
    expect(logEntryView({ type: 'desk-action', desk: 'anna', action: 'ack', line: 'front' }, AMSTERDAM)).toEqual({ subject: 'front', text: 'anna: ack' });
    expect(logEntryView({ type: 'input', event: { type: 'hook', desk: 'anna', line: 'front', state: 'off' } }, AMSTERDAM)).toEqual({ subject: 'anna', text: 'input hook off front' });
    expect(logEntryView({ type: 'mystery', n: 1 }, AMSTERDAM)).toEqual({ subject: '', text: '{"type":"mystery","n":1}' });
  });
});
