// Global items (HID 1.11, 6.2.2.7): each sets one entry of the global table, which stays until changed or popped.

import { cloneGlobal, type ItemHandler } from './descriptor-state.js';
import { DescriptorError, hex, MAX_FIELD_BITS } from './descriptor-types.js';

const usagePage: ItemHandler = (state, item) => {
  state.global.usagePage = item.unsigned & 0xffff;
  if (item.unsigned > 0xffff) state.warnings.push(`byte ${item.offset}: Usage Page ${hex(item.unsigned, 8)} truncated to 16 bits`);
};

const logicalMinimum: ItemHandler = (state, item) => {
  state.global.logicalMinimum = item.signed;
};

/** Kept both ways: whether the maximum is signed depends on the minimum, decided at the Main item. */
const logicalMaximum: ItemHandler = (state, item) => {
  state.global.logicalMaximumRaw = { signed: item.signed, unsigned: item.unsigned };
};

const physicalMinimum: ItemHandler = (state, item) => {
  state.global.physicalMinimum = item.signed;
  state.global.physicalSet = true;
};

const physicalMaximum: ItemHandler = (state, item) => {
  state.global.physicalMaximumRaw = { signed: item.signed, unsigned: item.unsigned };
  state.global.physicalSet = true;
};

/** The spec encodes -8..7 in a nibble; some descriptors use a plain signed byte. */
const unitExponent: ItemHandler = (state, item) => {
  state.global.unitExponent = item.unsigned <= 0x0f ? (item.unsigned >= 8 ? item.unsigned - 16 : item.unsigned) : item.signed;
};

const unit: ItemHandler = (state, item) => {
  state.global.unit = item.unsigned;
};

const reportSize: ItemHandler = (state, item) => {
  if (item.unsigned > MAX_FIELD_BITS) throw new DescriptorError(item.offset, `absurd Report Size ${item.unsigned}`);
  state.global.reportSize = item.unsigned;
};

const reportId: ItemHandler = (state, item) => {
  if (item.unsigned === 0 || item.unsigned > 0xff) {
    throw new DescriptorError(item.offset, `invalid Report ID ${item.unsigned} (must be 1..255)`);
  }
  state.global.reportId = item.unsigned;
  state.usesReportIds = true;
};

const reportCount: ItemHandler = (state, item) => {
  if (item.unsigned > MAX_FIELD_BITS) throw new DescriptorError(item.offset, `absurd Report Count ${item.unsigned}`);
  state.global.reportCount = item.unsigned;
};

const push: ItemHandler = (state, item) => {
  if (state.globalStack.length >= 256) throw new DescriptorError(item.offset, 'Push nested deeper than 256');
  state.globalStack.push(cloneGlobal(state.global));
};

const pop: ItemHandler = (state, item) => {
  const saved = state.globalStack.pop();
  if (saved === undefined) throw new DescriptorError(item.offset, 'Pop without a matching Push');
  state.global = saved;
};

/** By item tag. */
const GLOBAL_ITEMS: Readonly<Record<number, ItemHandler>> = {
  0x0: usagePage,
  0x1: logicalMinimum,
  0x2: logicalMaximum,
  0x3: physicalMinimum,
  0x4: physicalMaximum,
  0x5: unitExponent,
  0x6: unit,
  0x7: reportSize,
  0x8: reportId,
  0x9: reportCount,
  0xa: push,
  0xb: pop,
};

export const handleGlobalItem: ItemHandler = (state, item) => {
  const handler = GLOBAL_ITEMS[item.tag];
  if (handler === undefined) state.warnings.push(`byte ${item.offset}: unknown Global item tag ${hex(item.tag, 1)} ignored`);
  else handler(state, item);
};
