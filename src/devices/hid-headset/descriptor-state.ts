// The one state object the report-descriptor parser walks with (HID 1.11, 6.2.2.7 and 6.2.2.8): the Global items'
// table and its Push/Pop stack, the Local items gathered for the next Main item, the open collections, and the
// output gathered so far. Each item handler (main-items.ts, global-items.ts, local-items.ts) reads and changes it.

import type { CollectionInfo, ParsedField, ReportKind } from './descriptor-types.js';

/** One short item as read from the bytes. */
export interface Item {
  offset: number;
  /** 0 Main, 1 Global, 2 Local, 3 Reserved. */
  type: number;
  tag: number;
  /** Data bytes: 0, 1, 2 or 4. */
  size: number;
  unsigned: number;
  signed: number;
}

/** Global items: they stay until the next item of the same tag (or a Pop). */
export interface GlobalState {
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

export interface LocalUsage {
  /** Full usage (page << 16 | id). */
  usage: number;
  /** Declared as a 4-byte (extended) usage: it keeps its own page. */
  extended: boolean;
}

/** Local items: they apply to the next Main item only. */
export interface LocalState {
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

export interface ParserState {
  global: GlobalState;
  /** Saved by Push, restored by Pop. */
  globalStack: GlobalState[];
  local: LocalState;
  /** Collections open at the current item, outermost first. */
  openCollections: CollectionInfo[];
  // Output so far.
  fields: ParsedField[];
  warnings: string[];
  /** Bits laid out so far in every report, by kind then report ID. */
  reportBits: Record<ReportKind, Record<number, number>>;
  topLevelCollections: CollectionInfo[];
  allCollections: CollectionInfo[];
  usesReportIds: boolean;
  /** The "field without a Report ID" warning is given once. */
  warnedNoReportId: boolean;
}

export const freshGlobal = (): GlobalState => ({
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

export const freshLocal = (): LocalState => ({
  usages: [],
  usageMinimum: null,
  designatorIndexes: [],
  designatorMinimum: null,
  stringIndexes: [],
  stringMinimum: null,
  delimiterOpen: false,
  delimiterUsages: 0,
});

export const cloneGlobal = (g: GlobalState): GlobalState => ({
  ...g,
  logicalMaximumRaw: { ...g.logicalMaximumRaw },
  physicalMaximumRaw: { ...g.physicalMaximumRaw },
});

export const freshParserState = (): ParserState => ({
  global: freshGlobal(),
  globalStack: [],
  local: freshLocal(),
  openCollections: [],
  fields: [],
  warnings: [],
  reportBits: { input: {}, output: {}, feature: {} },
  topLevelCollections: [],
  allCollections: [],
  usesReportIds: false,
  warnedNoReportId: false,
});

/** An item handler: reads one item into the state. */
export type ItemHandler = (state: ParserState, item: Item) => void;
