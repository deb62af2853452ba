// A USB HID report-descriptor parser (HID 1.11, section 6.2.2): walks the items and hands each to the handler of
// its kind over one parser state (descriptor-state.ts), which lays out every Input/Output/Feature field with its
// bit position inside its report.
//
//   main-items.ts    Input, Output, Feature, Collection, End Collection (and the late usage-page binding)
//   global-items.ts  Usage Page, Logical/Physical ranges, Unit, Report Size/ID/Count, Push, Pop
//   local-items.ts   Usage, Usage Minimum/Maximum, designator and string indexes, Delimiter
//   descriptor-types.ts  the parsed result, DescriptorError and the limits (re-exported here)

import { freshParserState, type Item, type ItemHandler, type ParserState } from './descriptor-state.js';
import { DescriptorError, hex, type ParsedDescriptor, type ReportKind } from './descriptor-types.js';
import { handleGlobalItem } from './global-items.js';
import { handleLocalItem } from './local-items.js';
import { handleMainItem } from './main-items.js';

export {
  DescriptorError,
  MAX_FIELD_BITS,
  MAX_USAGES,
  usageId,
  usagePage,
  type CollectionInfo,
  type MainItemFlags,
  type ParsedDescriptor,
  type ParsedField,
  type ReportKind,
} from './descriptor-types.js';

/** By item type: 0 Main, 1 Global, 2 Local (3 is reserved). */
const ITEM_HANDLERS: readonly ItemHandler[] = [handleMainItem, handleGlobalItem, handleLocalItem];

function readShortItem(bytes: Uint8Array, offset: number): Item {
  const prefix = bytes[offset] ?? 0;
  const size = [0, 1, 2, 4][prefix & 0x03] ?? 0;
  if (offset + 1 + size > bytes.length) {
    throw new DescriptorError(
      offset,
      `truncated item 0x${prefix.toString(16).padStart(2, '0')}: needs ${size} data byte(s), ${bytes.length - offset - 1} left`,
    );
  }
  let unsigned = 0;
  for (let i = 0; i < size; i++) unsigned += (bytes[offset + 1 + i] ?? 0) * 2 ** (8 * i);
  const signBit = size === 0 ? 0 : 2 ** (8 * size - 1);
  const signed = size !== 0 && unsigned >= signBit ? unsigned - 2 * signBit : unsigned;
  return { offset, type: (prefix >> 2) & 0x03, tag: prefix >> 4, size, unsigned, signed };
}

/** Long item: 0xFE, bDataSize, bLongItemTag, data. No long item tags are defined; it is skipped. Returns its length. */
function skipLongItem(state: ParserState, bytes: Uint8Array, offset: number): number {
  if (offset + 3 > bytes.length) throw new DescriptorError(offset, 'truncated long item header');
  const dataSize = bytes[offset + 1] ?? 0;
  if (offset + 3 + dataSize > bytes.length) {
    throw new DescriptorError(offset, `truncated long item: needs ${dataSize} data byte(s), ${bytes.length - offset - 3} left`);
  }
  state.warnings.push(`byte ${offset}: long item (tag ${hex(bytes[offset + 2] ?? 0)}, ${dataSize} bytes) skipped`);
  return 3 + dataSize;
}

/** The end of the descriptor: every collection closed, report lengths rounded up to bytes. */
function finish(state: ParserState, bytes: Uint8Array): ParsedDescriptor {
  const open = state.openCollections;
  if (open.length > 0) {
    throw new DescriptorError(
      open[open.length - 1]?.byteOffset ?? bytes.length,
      `Collection never closed (${open.length} open at the end of the descriptor)`,
    );
  }
  const { fields, usesReportIds, reportBits, topLevelCollections, allCollections, warnings } = state;
  const reportBytes: Record<ReportKind, Record<number, number>> = { input: {}, output: {}, feature: {} };
  for (const kind of ['input', 'output', 'feature'] as const) {
    for (const [id, bits] of Object.entries(reportBits[kind])) reportBytes[kind][Number(id)] = Math.ceil(bits / 8);
  }
  return { fields, usesReportIds, reportBytes, reportBits, topLevelCollections, allCollections, warnings };
}

/** Parses a HID report descriptor. Throws DescriptorError (with the offending item's byte offset) when malformed. */
export function parseReportDescriptor(bytes: Uint8Array): ParsedDescriptor {
  const state = freshParserState();
  let offset = 0;
  while (offset < bytes.length) {
    const prefix = bytes[offset] ?? 0;
    if (prefix === 0xfe) {
      offset += skipLongItem(state, bytes, offset);
      continue;
    }
    const item = readShortItem(bytes, offset);
    offset += 1 + item.size;
    const handler = ITEM_HANDLERS[item.type];
    if (handler === undefined) state.warnings.push(`byte ${item.offset}: reserved item type (prefix ${hex(prefix)}) ignored`);
    else handler(state, item);
  }
  return finish(state, bytes);
}
