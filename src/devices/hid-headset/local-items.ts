// Local items (HID 1.11, 6.2.2.8): usages, designator and string indexes, and delimiters, gathered for the next
// Main item only (main-items.ts starts a fresh local state after each).
//
// Usage-page binding: a 1- or 2-byte Usage takes the Usage Page current when the Usage item is read; extended
// (4-byte) usages always keep their own page. See main-items.ts for the late binding of trailing usages.

import type { Item, ItemHandler, LocalUsage, ParserState } from './descriptor-state.js';
import { DescriptorError, hex, MAX_USAGES } from './descriptor-types.js';

/** Local-time binding of a 1/2-byte usage; extended usages keep their page. */
export const fullUsage = (state: ParserState, item: Item): LocalUsage =>
  item.size === 4
    ? { usage: item.unsigned, extended: true }
    : { usage: state.global.usagePage * 0x10000 + item.unsigned, extended: false };

/** Whether a usage (or range) is an alternative after the first of an open delimited set: those are dropped. */
function isDelimitedAlternative(state: ParserState): boolean {
  if (!state.local.delimiterOpen) return false;
  state.local.delimiterUsages++;
  return state.local.delimiterUsages > 1;
}

const usage: ItemHandler = (state, item) => {
  if (isDelimitedAlternative(state)) return;
  if (state.local.usages.length >= MAX_USAGES) throw new DescriptorError(item.offset, `more than ${MAX_USAGES} usages before one Main item`);
  state.local.usages.push(fullUsage(state, item));
};

const usageMinimum: ItemHandler = (state, item) => {
  state.local.usageMinimum = fullUsage(state, item);
};

/** Closes a Usage Minimum..Maximum range: a 4-byte Usage Maximum names its own page, otherwise the range stays on
 * the minimum's page. */
const usageMaximum: ItemHandler = (state, item) => {
  const local = state.local;
  const min = local.usageMinimum;
  if (min === null) {
    state.warnings.push(`byte ${item.offset}: Usage Maximum without Usage Minimum ignored`);
    return;
  }
  const max = fullUsage(state, item);
  const page = Math.floor(min.usage / 0x10000);
  const lo = min.usage % 0x10000;
  const hi = max.extended ? max.usage - page * 0x10000 : max.usage % 0x10000;
  if (hi < lo || hi > 0xffff) throw new DescriptorError(item.offset, `Usage Maximum below Usage Minimum or on another page`);
  if (local.usages.length + (hi - lo + 1) > MAX_USAGES) {
    throw new DescriptorError(item.offset, `usage range ${hex(lo, 4)}..${hex(hi, 4)} makes more than ${MAX_USAGES} usages`);
  }
  local.usageMinimum = null;
  if (isDelimitedAlternative(state)) return;
  const extended = min.extended || max.extended;
  for (let u = lo; u <= hi; u++) local.usages.push({ usage: page * 0x10000 + u, extended });
};

const designatorIndex: ItemHandler = (state, item) => {
  state.local.designatorIndexes.push(item.unsigned);
};

const designatorMinimum: ItemHandler = (state, item) => {
  state.local.designatorMinimum = item.unsigned;
};

const designatorMaximum: ItemHandler = (state, item) => {
  const local = state.local;
  if (local.designatorMinimum !== null) appendRange(local.designatorIndexes, local.designatorMinimum, item.unsigned);
  local.designatorMinimum = null;
};

const stringIndex: ItemHandler = (state, item) => {
  state.local.stringIndexes.push(item.unsigned);
};

const stringMinimum: ItemHandler = (state, item) => {
  state.local.stringMinimum = item.unsigned;
};

const stringMaximum: ItemHandler = (state, item) => {
  const local = state.local;
  if (local.stringMinimum !== null) appendRange(local.stringIndexes, local.stringMinimum, item.unsigned);
  local.stringMinimum = null;
};

/** Delimiter 1 opens a set of alternative usages (only the first counts), 0 closes it. */
const delimiter: ItemHandler = (state, item) => {
  const local = state.local;
  if (item.unsigned === 1) {
    if (local.delimiterOpen) throw new DescriptorError(item.offset, 'nested Delimiter open');
    local.delimiterOpen = true;
    local.delimiterUsages = 0;
  } else if (item.unsigned === 0) {
    if (!local.delimiterOpen) throw new DescriptorError(item.offset, 'Delimiter close without an open Delimiter');
    local.delimiterOpen = false;
  } else {
    throw new DescriptorError(item.offset, `invalid Delimiter value ${item.unsigned}`);
  }
};

/** Designator/string index ranges (Minimum..Maximum), capped like usages. */
function appendRange(list: number[], minimum: number, maximum: number): void {
  for (let i = minimum; i <= maximum && list.length < MAX_USAGES; i++) list.push(i);
}

/** By item tag (0x6 is reserved). */
const LOCAL_ITEMS: Readonly<Record<number, ItemHandler>> = {
  0x0: usage,
  0x1: usageMinimum,
  0x2: usageMaximum,
  0x3: designatorIndex,
  0x4: designatorMinimum,
  0x5: designatorMaximum,
  0x7: stringIndex,
  0x8: stringMinimum,
  0x9: stringMaximum,
  0xa: delimiter,
};

export const handleLocalItem: ItemHandler = (state, item) => {
  const handler = LOCAL_ITEMS[item.tag];
  if (handler === undefined) state.warnings.push(`byte ${item.offset}: unknown Local item tag ${hex(item.tag, 1)} ignored`);
  else handler(state, item);
};
