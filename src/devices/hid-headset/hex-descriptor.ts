// Report descriptors as text (two-digit hex bytes, `#` comments) and the summary `thirdring hid describe` prints.

import { readFileSync } from 'node:fs';
import { DescriptorError, parseReportDescriptor } from './report-descriptor.js';
import { findTelephonyFields } from './telephony-fields.js';
import type { ReportField } from './types.js';

/** A bad token in a hex descriptor. `byteOffset` is the index of the byte the token would have been. */
export class HexDescriptorError extends DescriptorError {
  readonly line: number;
  readonly column: number;
  constructor(byteIndex: number, line: number, column: number, detail: string) {
    super(byteIndex, detail);
    this.name = 'HexDescriptorError';
    this.line = line;
    this.column = column;
    this.message = `line ${line}:${column} (byte ${byteIndex}): ${detail}`;
  }
}

const BYTE_TOKEN = /^(?:0[xX])?([0-9a-fA-F]{2})$/;

/**
 * Parses whitespace- or comma-separated two-digit hex bytes (each optionally `0x`-prefixed); `#` starts a comment
 * that runs to the end of the line.
 */
export function parseHexDescriptor(text: string): Uint8Array {
  const out: number[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((rawLine, lineIndex) => {
    const hash = rawLine.indexOf('#');
    const line = hash >= 0 ? rawLine.slice(0, hash) : rawLine;
    const tokens = /[^\s,]+/g;
    for (let m = tokens.exec(line); m !== null; m = tokens.exec(line)) {
      const token = m[0];
      const digits = BYTE_TOKEN.exec(token)?.[1];
      if (digits === undefined) {
        const shown = token.length > 20 ? `${token.slice(0, 20)}...` : token;
        throw new HexDescriptorError(out.length, lineIndex + 1, m.index + 1, `bad token "${shown}" (expected a two-digit hex byte)`);
      }
      out.push(Number.parseInt(digits, 16));
    }
  });
  return Uint8Array.from(out);
}

/** A field as `thirdring hid describe` prints it. */
export interface DescribedField {
  reportId: number;
  bitOffset: number;
  bitSize: number;
  relative: boolean;
}

export interface DescriptorDescription {
  telephony: boolean;
  inputs: { hookSwitch: DescribedField | null; phoneMute: DescribedField | null; flash: DescribedField | null; hold: DescribedField | null };
  outputs: { ring: DescribedField | null; offHook: DescribedField | null; mute: DescribedField | null; hold: DescribedField | null };
  usesReportIds: boolean;
  descriptorBytes: number;
  /** Data bytes (without the report-ID byte) by report ID. */
  inputReportBytes: Record<number, number>;
  outputReportBytes: Record<number, number>;
  featureReportBytes: Record<number, number>;
  warnings: string[];
}

const described = (f: ReportField | null | undefined): DescribedField | null =>
  f ? { reportId: f.reportId, bitOffset: f.bitOffset, bitSize: f.bitSize, relative: f.relative } : null;

/** Parses a binary descriptor and summarises its telephony fields. Throws DescriptorError when malformed. */
export function describeDescriptor(bytes: Uint8Array): DescriptorDescription {
  const parsed = parseReportDescriptor(bytes);
  const t = findTelephonyFields(parsed);
  return {
    telephony: t.telephony,
    inputs: {
      hookSwitch: described(t.inputs.hookSwitch),
      phoneMute: described(t.inputs.phoneMute),
      flash: described(t.inputs.flash),
      hold: described(t.inputs.hold),
    },
    outputs: {
      ring: described(t.outputs.ring),
      offHook: described(t.outputs.offHook),
      mute: described(t.outputs.mute),
      hold: described(t.outputs.hold),
    },
    usesReportIds: parsed.usesReportIds,
    descriptorBytes: bytes.length,
    inputReportBytes: { ...parsed.reportBytes.input },
    outputReportBytes: { ...parsed.reportBytes.output },
    featureReportBytes: { ...parsed.reportBytes.feature },
    warnings: parsed.warnings,
  };
}

/** Whether file contents look like hex text rather than a raw binary descriptor (e.g. sysfs `report_descriptor`). */
function looksLikeText(data: Buffer): boolean {
  if (data.length === 0) return true;
  for (const b of data) {
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/**
 * Reads a descriptor file (hex text as `parseHexDescriptor` accepts, or raw binary bytes), parses it and returns
 * `describeDescriptor`'s summary. Errors keep their class and byte offset; the message names the file.
 */
export function describeDescriptorFile(path: string): DescriptorDescription {
  const data = readFileSync(path);
  try {
    const bytes = looksLikeText(data) ? parseHexDescriptor(data.toString('utf8')) : new Uint8Array(data);
    if (bytes.length === 0) throw new DescriptorError(0, 'empty descriptor');
    return describeDescriptor(bytes);
  } catch (error) {
    if (error instanceof DescriptorError) error.message = `${path}: ${error.message}`;
    throw error;
  }
}
