// A USB HID report-descriptor parser (HID 1.11, section 6.2.2): walks the items, keeps the Global/Local state,
// and lays out every Input/Output/Feature field with its bit position inside its report.
//
// Usage-page binding: a 1- or 2-byte Usage takes the Usage Page current when the Usage item is read (what most
// real descriptors intend, e.g. Apple's EarPods declare Flash on the Telephony page and then switch pages before
// the Input item). Like the Linux kernel (hid_concatenate_last_usage_page), a Usage Page that follows the last
// usages and is used by none of them is applied to those trailing usages at the Main item. Extended (4-byte)
// usages always keep their own page.

export type ReportKind = 'input' | 'output' | 'feature';

/** A malformed descriptor. `byteOffset` is the offset of the offending item (or byte). */
export class DescriptorError extends Error {
  readonly byteOffset: number;
  constructor(byteOffset: number, detail: string) {
    super(`byte ${byteOffset}: ${detail}`);
    this.name = 'DescriptorError';
    this.byteOffset = byteOffset;
  }
}

export interface MainItemFlags {
  /** Constant (bit 0); otherwise Data. */
  constant: boolean;
  /** Variable (bit 1); otherwise Array. */
  variable: boolean;
  /** Relative (bit 2); otherwise Absolute. */
  relative: boolean;
  wrap: boolean;
  nonLinear: boolean;
  noPreferredState: boolean;
  nullState: boolean;
  /** Volatile (bit 7; Output/Feature only). */
  volatile: boolean;
  bufferedBytes: boolean;
  /** The raw flag bits. */
  raw: number;
}

export interface CollectionInfo {
  /** Full usage (page << 16 | id); 0 when the Collection had no Usage. */
  usage: number;
  /** 0 Physical, 1 Application, 2 Logical, 3 Report, 4 Named Array, 5 Usage Switch, 6 Usage Modifier. */
  type: number;
  /** Offset of the Collection item. */
  byteOffset: number;
}

export interface ParsedField {
  kind: ReportKind;
  /** 0 when no Report ID applies. */
  reportId: number;
  /** From the first data bit after the report-ID byte. */
  bitOffset: number;
  /** Report Size: bits per element. */
  bitSize: number;
  /** Report Count: number of elements. */
  count: number;
  /**
   * Full usages (page << 16 | id). Variable fields: one per element (the last declared usage repeats when fewer
   * were declared; empty when none were). Array fields: the declared usage list (ranges expanded).
   */
  usages: number[];
  flags: MainItemFlags;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
  unit: number;
  designatorIndexes: number[];
  stringIndexes: number[];
  /** Collections the field sits in, outermost first. */
  collections: CollectionInfo[];
  /** Offset of the Main item. */
  byteOffset: number;
}

export interface ParsedDescriptor {
  fields: ParsedField[];
  /** Whether any Report ID item occurs. */
  usesReportIds: boolean;
  /** Data length in bytes (without the report-ID byte) of every report, by kind then report ID. */
  reportBytes: Record<ReportKind, Record<number, number>>;
  /** Same in bits. */
  reportBits: Record<ReportKind, Record<number, number>>;
  /** Top-level (application) collections, in order. */
  topLevelCollections: CollectionInfo[];
  /** Every collection, nested ones included, in descriptor order. */
  allCollections: CollectionInfo[];
  /** Oddities that did not stop the parse (unknown items, fields before the first Report ID, ...). */
  warnings: string[];
}

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximumRaw: { signed: number; unsigned: number };
  physicalMinimum: number;
  physicalMaximumRaw: { signed: number; unsigned: number };
  physicalSet: boolean;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

interface LocalUsage {
  usage: number;
  extended: boolean;
}

interface LocalState {
  usages: LocalUsage[];
  usageMinimum: LocalUsage | null;
  designatorIndexes: number[];
  designatorMinimum: number | null;
  stringIndexes: number[];
  stringMinimum: number | null;
  delimiterOpen: boolean;
  /** Usages kept from the current delimited set (only its first usage counts). */
  delimiterUsages: number;
}

/** Most usages one Main item may carry, and the biggest field, in bits. */
export const MAX_USAGES = 0xffff;
export const MAX_FIELD_BITS = 0xffff;

const freshGlobal = (): GlobalState => ({
  usagePage: 0,
  logicalMinimum: 0,
  logicalMaximumRaw: { signed: 0, unsigned: 0 },
  physicalMinimum: 0,
  physicalMaximumRaw: { signed: 0, unsigned: 0 },
  physicalSet: false,
  unitExponent: 0,
  unit: 0,
  reportSize: 0,
  reportId: 0,
  reportCount: 0,
});

const freshLocal = (): LocalState => ({
  usages: [],
  usageMinimum: null,
  designatorIndexes: [],
  designatorMinimum: null,
  stringIndexes: [],
  stringMinimum: null,
  delimiterOpen: false,
  delimiterUsages: 0,
});

const cloneGlobal = (g: GlobalState): GlobalState => ({
  ...g,
  logicalMaximumRaw: { ...g.logicalMaximumRaw },
  physicalMaximumRaw: { ...g.physicalMaximumRaw },
});

function decodeFlags(raw: number): MainItemFlags {
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

/** One short item as read from the bytes. */
interface Item {
  offset: number;
  /** 0 Main, 1 Global, 2 Local, 3 Reserved. */
  type: number;
  tag: number;
  size: number;
  unsigned: number;
  signed: number;
}

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

const hex = (n: number, width = 2) => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;

/** Parses a HID report descriptor. Throws DescriptorError (with the offending item's byte offset) when malformed. */
export function parseReportDescriptor(bytes: Uint8Array): ParsedDescriptor {
  const fields: ParsedField[] = [];
  const warnings: string[] = [];
  const reportBits: Record<ReportKind, Record<number, number>> = { input: {}, output: {}, feature: {} };
  const topLevelCollections: CollectionInfo[] = [];
  const allCollections: CollectionInfo[] = [];
  const collections: CollectionInfo[] = [];
  const globalStack: GlobalState[] = [];
  let global = freshGlobal();
  let local = freshLocal();
  let usesReportIds = false;
  let warnedNoId = false;

  /** Local-time binding of a 1/2-byte usage; extended usages keep their page. */
  const fullUsage = (item: Item): LocalUsage =>
    item.size === 4 ? { usage: item.unsigned, extended: true } : { usage: global.usagePage * 0x10000 + item.unsigned, extended: false };

  const addUsage = (item: Item, u: LocalUsage) => {
    if (local.delimiterOpen) {
      local.delimiterUsages++;
      if (local.delimiterUsages > 1) return; // alternative usages of a delimited set: the first one counts
    }
    if (local.usages.length >= MAX_USAGES) throw new DescriptorError(item.offset, `more than ${MAX_USAGES} usages before one Main item`);
    local.usages.push(u);
  };

  /** Linux-style late binding: trailing usages get the last Usage Page when none of them uses it. */
  const bindLastUsagePage = () => {
    const page = global.usagePage;
    for (let i = local.usages.length - 1; i >= 0; i--) {
      const u = local.usages[i];
      if (u === undefined || u.extended) continue;
      if (Math.floor(u.usage / 0x10000) === page) break;
      u.usage = page * 0x10000 + (u.usage % 0x10000);
    }
  };

  let offset = 0;
  while (offset < bytes.length) {
    const prefix = bytes[offset] ?? 0;
    if (prefix === 0xfe) {
      // Long item: 0xFE, bDataSize, bLongItemTag, data. No long item tags are defined; skip it.
      if (offset + 3 > bytes.length) throw new DescriptorError(offset, 'truncated long item header');
      const dataSize = bytes[offset + 1] ?? 0;
      if (offset + 3 + dataSize > bytes.length) {
        throw new DescriptorError(offset, `truncated long item: needs ${dataSize} data byte(s), ${bytes.length - offset - 3} left`);
      }
      warnings.push(`byte ${offset}: long item (tag ${hex(bytes[offset + 2] ?? 0)}, ${dataSize} bytes) skipped`);
      offset += 3 + dataSize;
      continue;
    }
    const item = readShortItem(bytes, offset);
    offset += 1 + item.size;

    if (item.type === 0) {
      // ---- Main items
      switch (item.tag) {
        case 0x8:
        case 0x9:
        case 0xb: {
          const kind: ReportKind = item.tag === 0x8 ? 'input' : item.tag === 0x9 ? 'output' : 'feature';
          if (local.delimiterOpen) throw new DescriptorError(item.offset, 'Main item inside an open Delimiter set');
          const bitSize = global.reportSize;
          const count = global.reportCount;
          if (bitSize * count > MAX_FIELD_BITS) {
            throw new DescriptorError(item.offset, `field of Report Size ${bitSize} x Report Count ${count} exceeds ${MAX_FIELD_BITS} bits`);
          }
          if (usesReportIds && global.reportId === 0 && !warnedNoId) {
            warnedNoId = true;
            warnings.push(`byte ${item.offset}: ${kind} field without a Report ID in a descriptor that uses Report IDs`);
          }
          bindLastUsagePage();
          const usageRange = local.usages.map((u) => u.usage);
          const flags = decodeFlags(item.unsigned);
          let usages: number[];
          if (flags.variable) {
            usages = [];
            if (usageRange.length > 0) {
              for (let i = 0; i < count; i++) usages.push(usageRange[Math.min(i, usageRange.length - 1)] ?? 0);
            }
          } else {
            usages = usageRange;
          }
          const logicalMinimum = global.logicalMinimum;
          // Linux/Windows convention: a non-negative minimum makes the maximum unsigned (25 FF = 255).
          const logicalMaximum = logicalMinimum >= 0 ? global.logicalMaximumRaw.unsigned : global.logicalMaximumRaw.signed;
          const physicalMinimum = global.physicalSet ? global.physicalMinimum : logicalMinimum;
          const physicalMaximum = global.physicalSet
            ? global.physicalMinimum >= 0
              ? global.physicalMaximumRaw.unsigned
              : global.physicalMaximumRaw.signed
            : logicalMaximum;
          const perKind = reportBits[kind];
          const start = perKind[global.reportId] ?? 0;
          perKind[global.reportId] = start + bitSize * count;
          fields.push({
            kind,
            reportId: global.reportId,
            bitOffset: start,
            bitSize,
            count,
            usages,
            flags,
            logicalMinimum,
            logicalMaximum,
            physicalMinimum,
            physicalMaximum,
            unitExponent: global.unitExponent,
            unit: global.unit,
            designatorIndexes: [...local.designatorIndexes],
            stringIndexes: [...local.stringIndexes],
            collections: collections.map((c) => ({ ...c })),
            byteOffset: item.offset,
          });
          break;
        }
        case 0xa: {
          if (local.delimiterOpen) throw new DescriptorError(item.offset, 'Collection inside an open Delimiter set');
          bindLastUsagePage();
          const c: CollectionInfo = { usage: local.usages[0]?.usage ?? 0, type: item.unsigned, byteOffset: item.offset };
          if (collections.length === 0) topLevelCollections.push({ ...c });
          allCollections.push({ ...c });
          collections.push(c);
          break;
        }
        case 0xc:
          if (collections.length === 0) throw new DescriptorError(item.offset, 'End Collection without an open Collection');
          collections.pop();
          break;
        default:
          warnings.push(`byte ${item.offset}: unknown Main item tag ${hex(item.tag, 1)} ignored`);
      }
      local = freshLocal();
      continue;
    }

    if (item.type === 1) {
      // ---- Global items
      switch (item.tag) {
        case 0x0:
          global.usagePage = item.unsigned & 0xffff;
          if (item.unsigned > 0xffff) warnings.push(`byte ${item.offset}: Usage Page ${hex(item.unsigned, 8)} truncated to 16 bits`);
          break;
        case 0x1:
          global.logicalMinimum = item.signed;
          break;
        case 0x2:
          global.logicalMaximumRaw = { signed: item.signed, unsigned: item.unsigned };
          break;
        case 0x3:
          global.physicalMinimum = item.signed;
          global.physicalSet = true;
          break;
        case 0x4:
          global.physicalMaximumRaw = { signed: item.signed, unsigned: item.unsigned };
          global.physicalSet = true;
          break;
        case 0x5:
          // The spec encodes -8..7 in a nibble; some descriptors use a plain signed byte.
          global.unitExponent = item.unsigned <= 0x0f ? (item.unsigned >= 8 ? item.unsigned - 16 : item.unsigned) : item.signed;
          break;
        case 0x6:
          global.unit = item.unsigned;
          break;
        case 0x7:
          if (item.unsigned > MAX_FIELD_BITS) throw new DescriptorError(item.offset, `absurd Report Size ${item.unsigned}`);
          global.reportSize = item.unsigned;
          break;
        case 0x8:
          if (item.unsigned === 0 || item.unsigned > 0xff) {
            throw new DescriptorError(item.offset, `invalid Report ID ${item.unsigned} (must be 1..255)`);
          }
          global.reportId = item.unsigned;
          usesReportIds = true;
          break;
        case 0x9:
          if (item.unsigned > MAX_FIELD_BITS) throw new DescriptorError(item.offset, `absurd Report Count ${item.unsigned}`);
          global.reportCount = item.unsigned;
          break;
        case 0xa:
          if (globalStack.length >= 256) throw new DescriptorError(item.offset, 'Push nested deeper than 256');
          globalStack.push(cloneGlobal(global));
          break;
        case 0xb: {
          const saved = globalStack.pop();
          if (saved === undefined) throw new DescriptorError(item.offset, 'Pop without a matching Push');
          global = saved;
          break;
        }
        default:
          warnings.push(`byte ${item.offset}: unknown Global item tag ${hex(item.tag, 1)} ignored`);
      }
      continue;
    }

    if (item.type === 2) {
      // ---- Local items
      switch (item.tag) {
        case 0x0:
          addUsage(item, fullUsage(item));
          break;
        case 0x1:
          local.usageMinimum = fullUsage(item);
          break;
        case 0x2: {
          const min = local.usageMinimum;
          if (min === null) {
            warnings.push(`byte ${item.offset}: Usage Maximum without Usage Minimum ignored`);
            break;
          }
          const max = fullUsage(item);
          // A 4-byte Usage Maximum names its own page; otherwise the range stays on the minimum's page.
          const page = Math.floor(min.usage / 0x10000);
          const lo = min.usage % 0x10000;
          const hi = max.extended ? max.usage - page * 0x10000 : max.usage % 0x10000;
          if (hi < lo || hi > 0xffff) throw new DescriptorError(item.offset, `Usage Maximum below Usage Minimum or on another page`);
          if (local.usages.length + (hi - lo + 1) > MAX_USAGES) {
            throw new DescriptorError(item.offset, `usage range ${hex(lo, 4)}..${hex(hi, 4)} makes more than ${MAX_USAGES} usages`);
          }
          const extended = min.extended || max.extended;
          const inDelimiter = local.delimiterOpen;
          if (inDelimiter && ++local.delimiterUsages > 1) {
            local.usageMinimum = null;
            break;
          }
          for (let u = lo; u <= hi; u++) local.usages.push({ usage: page * 0x10000 + u, extended });
          local.usageMinimum = null;
          break;
        }
        case 0x3:
          local.designatorIndexes.push(item.unsigned);
          break;
        case 0x4:
          local.designatorMinimum = item.unsigned;
          break;
        case 0x5:
          if (local.designatorMinimum !== null) appendRange(local.designatorIndexes, local.designatorMinimum, item.unsigned);
          local.designatorMinimum = null;
          break;
        case 0x7:
          local.stringIndexes.push(item.unsigned);
          break;
        case 0x8:
          local.stringMinimum = item.unsigned;
          break;
        case 0x9:
          if (local.stringMinimum !== null) appendRange(local.stringIndexes, local.stringMinimum, item.unsigned);
          local.stringMinimum = null;
          break;
        case 0xa:
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
          break;
        default:
          warnings.push(`byte ${item.offset}: unknown Local item tag ${hex(item.tag, 1)} ignored`);
      }
      continue;
    }

    warnings.push(`byte ${item.offset}: reserved item type (prefix ${hex(prefix)}) ignored`);
  }

  if (collections.length > 0) {
    const open = collections[collections.length - 1];
    throw new DescriptorError(
      open?.byteOffset ?? bytes.length,
      `Collection never closed (${collections.length} open at the end of the descriptor)`,
    );
  }

  const reportBytes: Record<ReportKind, Record<number, number>> = { input: {}, output: {}, feature: {} };
  for (const kind of ['input', 'output', 'feature'] as const) {
    for (const [id, bits] of Object.entries(reportBits[kind])) reportBytes[kind][Number(id)] = Math.ceil(bits / 8);
  }
  return { fields, usesReportIds, reportBytes, reportBits, topLevelCollections, allCollections, warnings };
}

/** Page of a full usage. */
export const usagePage = (usage: number): number => Math.floor(usage / 0x10000);
/** ID of a full usage. */
export const usageId = (usage: number): number => usage % 0x10000;

/** Designator/string index ranges (Minimum..Maximum), capped like usages. */
function appendRange(list: number[], minimum: number, maximum: number): void {
  for (let i = minimum; i <= maximum && list.length < MAX_USAGES; i++) list.push(i);
}
