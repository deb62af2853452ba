// What a parsed HID report descriptor looks like (the parser's output), its error, and its limits.
// The parser itself is report-descriptor.ts; the state it walks with is descriptor-state.ts.

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

/** Most usages one Main item may carry, and the biggest field, in bits. */
export const MAX_USAGES = 0xffff;
export const MAX_FIELD_BITS = 0xffff;

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

/** Page of a full usage. */
export const usagePage = (usage: number): number => Math.floor(usage / 0x10000);
/** ID of a full usage. */
export const usageId = (usage: number): number => usage % 0x10000;

/** `0x0A`-style hex for messages. */
export const hex = (n: number, width = 2): string => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;
