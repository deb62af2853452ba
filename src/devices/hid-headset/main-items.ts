// Main items (HID 1.11, 6.2.2.4-6): Input, Output and Feature lay out a field from the current global and local
// state; Collection and End Collection open and close collections. Every Main item ends the local state.
//
// Late usage-page binding: like the Linux kernel (hid_concatenate_last_usage_page), a Usage Page that follows the
// last usages and is used by none of them is applied to those trailing usages at the Main item (e.g. Apple's EarPods
// declare Flash on the Telephony page and then switch pages before the Input item).

import { freshLocal, type Item, type ItemHandler, type ParserState } from './descriptor-state.js';
import { DescriptorError, hex, MAX_FIELD_BITS, type MainItemFlags, type ReportKind } from './descriptor-types.js';

export function decodeFlags(raw: number): MainItemFlags {
  const bit = (n: number) => (raw & (1 << n)) !== 0;
  return {
    constant: bit(0),
    variable: bit(1),
    relative: bit(2),
    wrap: bit(3),
    nonLinear: bit(4),
    noPreferredState: bit(5),
    nullState: bit(6),
    volatile: bit(7),
    bufferedBytes: bit(8),
    raw,
  };
}

/** Linux-style late binding: trailing usages get the last Usage Page when none of them uses it. */
function bindLastUsagePage(state: ParserState): void {
  const page = state.global.usagePage;
  const usages = state.local.usages;
  for (let i = usages.length - 1; i >= 0; i--) {
    const u = usages[i];
    if (u === undefined || u.extended) continue;
    if (Math.floor(u.usage / 0x10000) === page) break;
    u.usage = page * 0x10000 + (u.usage % 0x10000);
  }
}

/** Variable fields: one usage per element, the last declared one repeating (none when none were declared). Array
 * fields: the declared list. */
function fieldUsages(declared: number[], variable: boolean, count: number): number[] {
  if (!variable) return declared;
  const usages: number[] = [];
  if (declared.length > 0) {
    for (let i = 0; i < count; i++) usages.push(declared[Math.min(i, declared.length - 1)] ?? 0);
  }
  return usages;
}

/** Logical and physical ranges. Linux/Windows convention: a non-negative minimum makes the maximum unsigned (25 FF =
 * 255); without Physical items the physical range is the logical one. */
function valueRanges(state: ParserState) {
  const g = state.global;
  const logicalMinimum = g.logicalMinimum;
  const logicalMaximum = logicalMinimum >= 0 ? g.logicalMaximumRaw.unsigned : g.logicalMaximumRaw.signed;
  if (!g.physicalSet) return { logicalMinimum, logicalMaximum, physicalMinimum: logicalMinimum, physicalMaximum: logicalMaximum };
  const physicalMaximum = g.physicalMinimum >= 0 ? g.physicalMaximumRaw.unsigned : g.physicalMaximumRaw.signed;
  return { logicalMinimum, logicalMaximum, physicalMinimum: g.physicalMinimum, physicalMaximum };
}

/** Input, Output or Feature: the field goes after the bits already laid out in its report. */
function dataField(state: ParserState, item: Item, kind: ReportKind): void {
  const { global, local } = state;
  if (local.delimiterOpen) throw new DescriptorError(item.offset, 'Main item inside an open Delimiter set');
  const bitSize = global.reportSize;
  const count = global.reportCount;
  if (bitSize * count > MAX_FIELD_BITS) {
    throw new DescriptorError(item.offset, `field of Report Size ${bitSize} x Report Count ${count} exceeds ${MAX_FIELD_BITS} bits`);
  }
  if (state.usesReportIds && global.reportId === 0 && !state.warnedNoReportId) {
    state.warnedNoReportId = true;
    state.warnings.push(`byte ${item.offset}: ${kind} field without a Report ID in a descriptor that uses Report IDs`);
  }
  bindLastUsagePage(state);
  const flags = decodeFlags(item.unsigned);
  const usages = fieldUsages(
    local.usages.map((u) => u.usage),
    flags.variable,
    count,
  );
  const perKind = state.reportBits[kind];
  const bitOffset = perKind[global.reportId] ?? 0;
  perKind[global.reportId] = bitOffset + bitSize * count;
  state.fields.push({
    kind,
    reportId: global.reportId,
    bitOffset,
    bitSize,
    count,
    usages,
    flags,
    ...valueRanges(state),
    unitExponent: global.unitExponent,
    unit: global.unit,
    designatorIndexes: [...local.designatorIndexes],
    stringIndexes: [...local.stringIndexes],
    collections: state.openCollections.map((c) => ({ ...c })),
    byteOffset: item.offset,
  });
}

/** Collection: named by its first usage. */
const collection: ItemHandler = (state, item) => {
  if (state.local.delimiterOpen) throw new DescriptorError(item.offset, 'Collection inside an open Delimiter set');
  bindLastUsagePage(state);
  const c = { usage: state.local.usages[0]?.usage ?? 0, type: item.unsigned, byteOffset: item.offset };
  if (state.openCollections.length === 0) state.topLevelCollections.push({ ...c });
  state.allCollections.push({ ...c });
  state.openCollections.push(c);
};

const endCollection: ItemHandler = (state, item) => {
  if (state.openCollections.length === 0) throw new DescriptorError(item.offset, 'End Collection without an open Collection');
  state.openCollections.pop();
};

/** By item tag. */
const MAIN_ITEMS: Readonly<Record<number, ItemHandler>> = {
  0x8: (state, item) => dataField(state, item, 'input'),
  0x9: (state, item) => dataField(state, item, 'output'),
  0xa: collection,
  0xb: (state, item) => dataField(state, item, 'feature'),
  0xc: endCollection,
};

export const handleMainItem: ItemHandler = (state, item) => {
  const handler = MAIN_ITEMS[item.tag];
  if (handler === undefined) state.warnings.push(`byte ${item.offset}: unknown Main item tag ${hex(item.tag, 1)} ignored`);
  else handler(state, item);
  state.local = freshLocal();
};
