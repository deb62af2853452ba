import type { Decision } from './types.js';

// A Record over the union's types: a decision type added to `Decision` but not here fails to compile, so the
// runtime list (log filters, the wording test) cannot fall behind.
const LISTED: Record<Decision['type'], true> = {
  ring: true,
  assign: true,
  unassigned: true,
  escalate: true,
  answered: true,
  missed: true,
  outgoing: true,
  ended: true,
  'ring-stuck': true,
  alert: true,
  'callback-owed': true,
  'callback-overdue': true,
  'callback-closed': true,
  hold: true,
  'hold-reminder': true,
  takeover: true,
  schedule: true,
};

/** Every type of decision the core makes, in the order of the `Decision` union. */
export const DECISION_TYPES = Object.keys(LISTED) as readonly Decision['type'][];

export function isDecisionType(type: string): type is Decision['type'] {
  return Object.hasOwn(LISTED, type);
}
