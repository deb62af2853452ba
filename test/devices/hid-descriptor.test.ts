import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeDescriptor,
  describeDescriptorFile,
  HexDescriptorError,
  parseHexDescriptor,
} from '../../src/devices/hid-headset/hex-descriptor.js';
import { DescriptorError, parseReportDescriptor } from '../../src/devices/hid-headset/report-descriptor.js';
import { findTelephonyFields } from '../../src/devices/hid-headset/telephony-fields.js';
import { tempDir } from '../helpers.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'hid', name);
const load = (name: string) => parseHexDescriptor(readFileSync(fixture(name), 'utf8'));
const bytes = (...b: number[]) => Uint8Array.from(b);
const tele = (b: Uint8Array) => findTelephonyFields(parseReportDescriptor(b));
const bit = (reportId: number, bitOffset: number, relative = false, bitSize = 1) => ({ reportId, bitOffset, bitSize, relative });

/** Expects a DescriptorError whose byteOffset and message name `offset`. */
function expectDescriptorError(b: Uint8Array, offset: number, text: RegExp) {
  let caught: unknown;
  try {
    parseReportDescriptor(b);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DescriptorError);
  const e = caught as DescriptorError;
  expect(e.byteOffset).toBe(offset);
  expect(e.message).toMatch(new RegExp(`^byte ${offset}: `));
  expect(e.message).toMatch(text);
}

// Item helpers for hand-built descriptors.
const USAGE_PAGE = (p: number) => (p > 0xff ? [0x06, p & 0xff, p >> 8] : [0x05, p]);
const USAGE = (u: number) => [0x09, u];
const COLLECTION = (t: number) => [0xa1, t];
const END = [0xc0];
const LMIN = (v: number) => [0x15, v];
const LMAX = (v: number) => [0x25, v];
const SIZE = (v: number) => [0x75, v];
const COUNT = (v: number) => [0x95, v];
const ID = (v: number) => [0x85, v];
const INPUT = (f: number) => [0x81, f];
const OUTPUT = (f: number) => [0x91, f];
const d = (...items: number[][]) => Uint8Array.from(items.flat());

describe('real descriptors', () => {
  it.each([
    ['jabra-link380c.hex', 356],
    ['apple-lightning-earbuds.hex', 36],
    ['logitech-h540.hex', 120],
  ])('%s parses (%i bytes)', (name, length) => {
    const b = load(name);
    expect(b.length).toBe(length);
    const parsed = parseReportDescriptor(b);
    expect(parsed.fields.length).toBeGreaterThan(0);
    expect(() => describeDescriptorFile(fixture(name))).not.toThrow();
  });

  it('Jabra Link 380c: Constant hook switch in the Telephony Headset collection, LEDs in output report 2', () => {
    const parsed = parseReportDescriptor(load('jabra-link380c.hex'));
    expect(parsed.usesReportIds).toBe(true);
    // Report 2 in: 3 const (hook, line busy, line) + 4 rel + 4-bit keypad + 1 + 4 pad = 16 bits. Out: 7 LEDs + ringer + 8 pad.
    // Report 4 (vendor mirror) in: 4 + 5 + 4 + 1 + 2 = 16; out 7 + 1 + 8 = 16; feature 1 + 7. Report 5: 62 bytes. Report 1: 9 + 7.
    expect(parsed.reportBytes).toEqual({
      input: { 1: 2, 2: 2, 4: 2, 5: 62 },
      output: { 2: 2, 4: 2, 5: 62 },
      feature: { 4: 1 },
    });
    const hook = parsed.fields.find((f) => f.usages.includes(0x0b0020));
    expect(hook?.flags).toMatchObject({ constant: true, variable: true, relative: false, noPreferredState: true, raw: 0x23 });
    expect(hook?.collections.map((c) => [c.usage, c.type])).toEqual([[0x0b0005, 1]]);
    const keypad = parsed.fields.find((f) => f.usages.includes(0x0b00b0));
    expect(keypad).toMatchObject({ reportId: 2, bitOffset: 7, bitSize: 4, count: 1, flags: { variable: false, nullState: true } });
    expect(keypad?.usages).toHaveLength(12);
    expect(keypad?.collections.map((c) => c.usage)).toEqual([0x0b0005, 0x0b0006]);

    const t = findTelephonyFields(parsed);
    expect(t.telephony).toBe(true);
    expect(t.inputs.hookSwitch).toEqual({ ...bit(2, 0), logicalMinimum: 0, logicalMaximum: 1 });
    expect(t.inputs.phoneMute).toMatchObject(bit(2, 3, true));
    expect(t.inputs.flash).toMatchObject(bit(2, 4, true));
    expect(t.inputs.hold).toBeNull();
    expect(t.outputs.offHook).toEqual({ ...bit(2, 0), logicalMinimum: 0, logicalMaximum: 1 });
    expect(t.outputs.mute).toMatchObject(bit(2, 2));
    expect(t.outputs.ring).toMatchObject(bit(2, 3));
    expect(t.outputs.hold).toMatchObject(bit(2, 4));
    expect(t.outputReportBytes).toEqual({ 2: 2, 4: 2, 5: 62 });
    expect(t.inputReportBytes).toEqual({ 1: 2, 2: 2, 4: 2, 5: 62 });
  });

  it('Apple Lightning EarPods: Flash (no hook switch), no report IDs', () => {
    const described = describeDescriptor(load('apple-lightning-earbuds.hex'));
    expect(described).toMatchObject({
      telephony: true,
      inputs: { hookSwitch: null, phoneMute: null, flash: bit(0, 0) },
      outputs: { ring: null, offHook: null, mute: null, hold: null },
      usesReportIds: false,
      inputReportBytes: { 0: 1 },
    });
    // Page binding: Flash stays on Telephony, Vol-/Vol+ on Consumer, 0x01 on the vendor page.
    const field = parseReportDescriptor(load('apple-lightning-earbuds.hex')).fields[0];
    expect(field?.usages).toEqual([0x0b0021, 0x0c00ea, 0x0c00e9, 0xff070001]);
  });

  it('Logitech H540: no telephony at all', () => {
    expect(describeDescriptorFile(fixture('logitech-h540.hex'))).toMatchObject({
      telephony: false,
      inputs: { hookSwitch: null, phoneMute: null, flash: null },
      outputs: { ring: null, offHook: null, mute: null, hold: null },
    });
  });
});

describe('hand-built telephony layouts', () => {
  it('no report IDs: reportId 0, offsets from bit 0', () => {
    const t = tele(
      d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), LMIN(0), LMAX(1), SIZE(1), COUNT(2), USAGE(0x2f), USAGE(0x20), INPUT(0x02),
        COUNT(6), INPUT(0x01), USAGE_PAGE(0x08), USAGE(0x18), COUNT(1), OUTPUT(0x02), COUNT(7), OUTPUT(0x01), END),
    );
    expect(t.inputs.phoneMute).toMatchObject(bit(0, 0));
    expect(t.inputs.hookSwitch).toMatchObject(bit(0, 1));
    expect(t.outputs.ring).toMatchObject(bit(0, 0));
    expect(t.outputReportBytes).toEqual({ 0: 1 });
    expect(t.inputReportBytes).toEqual({ 0: 1 });
  });

  it('one output report per LED', () => {
    const led = (id: number, usage: number) => [...ID(id), ...USAGE(usage), ...COUNT(1), ...OUTPUT(0x02), ...COUNT(7), ...OUTPUT(0x03)];
    const t = tele(
      d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), LMIN(0), LMAX(1), SIZE(1), USAGE_PAGE(0x08),
        led(0x17, 0x17), led(0x18, 0x18), led(0x09, 0x09), led(0x20, 0x20), END),
    );
    expect(t.outputs).toMatchObject({ offHook: bit(0x17, 0), ring: bit(0x18, 0), mute: bit(0x09, 0), hold: bit(0x20, 0) });
    expect(t.outputReportBytes).toEqual({ 0x17: 1, 0x18: 1, 0x09: 1, 0x20: 1 });
  });

  it('relative (toggle) hook switch, flags 0x06', () => {
    const t = tele(d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), ID(3), LMIN(0), LMAX(1), SIZE(1), COUNT(1), USAGE(0x20), INPUT(0x06), COUNT(7), INPUT(0x03), END));
    expect(t.inputs.hookSwitch).toMatchObject(bit(3, 0, true));
  });

  it('hook switch inside a Consumer collection still counts', () => {
    const t = tele(
      d(USAGE_PAGE(0x0c), USAGE(0x01), COLLECTION(1), ID(1), LMIN(0), LMAX(1), SIZE(1), COUNT(2), USAGE(0xe9), USAGE(0xea), INPUT(0x02),
        USAGE_PAGE(0x0b), USAGE(0x20), COUNT(1), INPUT(0x02), COUNT(5), INPUT(0x01), END),
    );
    expect(t.telephony).toBe(true);
    expect(t.inputs.hookSwitch).toMatchObject(bit(1, 2));
  });

  it('prefers the Telephony collection when a usage appears in several reports', () => {
    const t = tele(
      d(USAGE_PAGE(0x0c), USAGE(0x01), COLLECTION(1), ID(1), LMIN(0), LMAX(1), SIZE(1), COUNT(1), USAGE_PAGE(0x0b), USAGE(0x20), INPUT(0x06),
        COUNT(7), INPUT(0x01), END,
        USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), ID(2), COUNT(3), INPUT(0x01), COUNT(1), USAGE(0x20), INPUT(0x02), COUNT(4), INPUT(0x01), END),
    );
    expect(t.inputs.hookSwitch).toMatchObject(bit(2, 3));
  });

  it('usage ranges over the Telephony page expand to the right bit', () => {
    const parsed = parseReportDescriptor(
      d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), LMIN(0), LMAX(1), SIZE(1), COUNT(4), [0x19, 0x20], [0x29, 0x23], INPUT(0x02), COUNT(4), INPUT(0x01), END),
    );
    expect(parsed.fields[0]?.usages).toEqual([0x0b0020, 0x0b0021, 0x0b0022, 0x0b0023]);
    const t = findTelephonyFields(parsed);
    expect(t.inputs).toMatchObject({ hookSwitch: bit(0, 0), flash: bit(0, 1), hold: bit(0, 3), phoneMute: null });
  });

  it('a usage only in an array field reports the array element', () => {
    const t = tele(d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), LMIN(1), LMAX(4), SIZE(3), COUNT(1), [0x19, 0x20], [0x29, 0x23], INPUT(0x00), END));
    expect(t.inputs.hookSwitch).toEqual({ ...bit(0, 0, false, 3), logicalMinimum: 1, logicalMaximum: 4 });
  });

  it('Var fields with fewer usages than elements repeat the last usage', () => {
    const f = parseReportDescriptor(d(USAGE_PAGE(0x08), USAGE(0x09), USAGE(0x18), SIZE(2), COUNT(4), OUTPUT(0x02))).fields[0];
    expect(f?.usages).toEqual([0x080009, 0x080018, 0x080018, 0x080018]);
  });
});

describe('parser state', () => {
  it('Push/Pop restore report size and report ID', () => {
    const parsed = parseReportDescriptor(
      d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), ID(1), SIZE(1), COUNT(1), [0xa4], ID(2), SIZE(8), USAGE(0x2f), INPUT(0x02), [0xb4],
        USAGE(0x20), INPUT(0x02), END),
    );
    expect(parsed.fields.map((f) => [f.reportId, f.bitOffset, f.bitSize])).toEqual([
      [2, 0, 8],
      [1, 0, 1],
    ]);
    expect(findTelephonyFields(parsed).inputs.hookSwitch).toMatchObject(bit(1, 0));
  });

  it('extended 4-byte usage keeps its own page', () => {
    const parsed = parseReportDescriptor(
      d(USAGE_PAGE(0x0c), USAGE(0x01), COLLECTION(1), SIZE(1), COUNT(1), [0x0b, 0x20, 0x00, 0x0b, 0x00], INPUT(0x02), COUNT(7), INPUT(0x01), END),
    );
    expect(parsed.fields[0]?.usages).toEqual([0x0b0020]);
    expect(findTelephonyFields(parsed).inputs.hookSwitch).toMatchObject(bit(0, 0));
  });

  it('long items are skipped', () => {
    const parsed = parseReportDescriptor(
      d(USAGE_PAGE(0x0b), [0xfe, 0x03, 0xf1, 0xaa, 0xbb, 0xcc], USAGE(0x20), SIZE(1), COUNT(1), INPUT(0x02), [0xfe, 0x00, 0x10]),
    );
    expect(parsed.fields).toHaveLength(1);
    expect(parsed.fields[0]?.usages).toEqual([0x0b0020]);
    expect(parsed.warnings.filter((w) => w.includes('long item'))).toHaveLength(2);
  });

  it('signed and unsigned data: 1/2/4-byte logical ranges', () => {
    const parsed = parseReportDescriptor(
      d([0x15, 0x81], [0x25, 0x7f], SIZE(8), COUNT(1), INPUT(0x02),
        LMIN(0), [0x26, 0xff, 0x00], INPUT(0x02),
        LMIN(0), [0x25, 0xff], INPUT(0x02),
        [0x17, 0x00, 0x00, 0x00, 0x80], [0x27, 0xff, 0xff, 0xff, 0x7f], SIZE(32), INPUT(0x02)),
    );
    expect(parsed.fields.map((f) => [f.logicalMinimum, f.logicalMaximum])).toEqual([
      [-127, 127],
      [0, 255],
      [0, 255],
      [-0x80000000, 0x7fffffff],
    ]);
    expect(parsed.fields.map((f) => f.bitOffset)).toEqual([0, 8, 16, 24]);
  });

  it('locals are cleared after every Main item and delimiters keep the first usage', () => {
    const parsed = parseReportDescriptor(
      d(USAGE_PAGE(0x0b), SIZE(1), COUNT(1), USAGE(0x20), INPUT(0x02), INPUT(0x02),
        [0xa9, 0x01], USAGE(0x21), USAGE(0x22), [0xa9, 0x00], INPUT(0x02)),
    );
    expect(parsed.fields.map((f) => f.usages)).toEqual([[0x0b0020], [], [0x0b0021]]);
  });
});

describe('descriptor errors carry byte offsets', () => {
  it('truncated item', () => {
    expectDescriptorError(bytes(0x05, 0x0b, 0x26, 0xff), 2, /truncated item/);
    expectDescriptorError(bytes(0x05, 0x0b, 0x27, 0xff, 0xff), 2, /truncated item/);
    expectDescriptorError(bytes(0xfe, 0x05, 0x00, 0x01), 0, /truncated long item/);
  });

  it('End Collection without a Collection', () => {
    expectDescriptorError(d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), END, END), 7, /End Collection without an open Collection/);
  });

  it('Collection never closed', () => {
    expectDescriptorError(d(USAGE_PAGE(0x0b), USAGE(0x05), COLLECTION(1), COLLECTION(2), END), 4, /never closed/);
  });

  it('Pop without Push', () => {
    expectDescriptorError(d(USAGE_PAGE(0x0b), [0xa4], [0xb4], [0xb4]), 4, /Pop without a matching Push/);
  });

  it('absurd report sizes and invalid report IDs', () => {
    expectDescriptorError(d([0x77, 0x00, 0x00, 0x01, 0x00]), 0, /absurd Report Size/);
    expectDescriptorError(d(SIZE(0xff), [0x96, 0x00, 0x02], INPUT(0x02)), 5, /exceeds 65535 bits/);
    expectDescriptorError(d(ID(0)), 0, /invalid Report ID 0/);
  });

  it('the Jabra descriptor cut short fails with an offset', () => {
    const b = load('jabra-link380c.hex');
    expect(() => parseReportDescriptor(b.subarray(0, 100))).toThrow(DescriptorError);
  });

  it('random bytes either parse or throw DescriptorError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          parseReportDescriptor(b);
        } catch (error) {
          if (!(error instanceof DescriptorError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('random sequences of well-formed items either parse or throw DescriptorError', () => {
    const prefixes = [0x04, 0x08, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0xb4, 0x80, 0x90, 0xb0, 0xa0, 0xc0, 0x08, 0x18, 0x28, 0x38, 0x48, 0x58, 0x78, 0x88, 0x98, 0xa8];
    const item = fc
      .tuple(fc.constantFrom(...prefixes), fc.constantFrom(0, 1, 2, 3), fc.uint8Array({ minLength: 4, maxLength: 4 }))
      .map(([p, s, data]) => [p | s, ...data.subarray(0, [0, 1, 2, 4][s])]);
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), (items) => {
        try {
          const parsed = parseReportDescriptor(Uint8Array.from(items.flat()));
          findTelephonyFields(parsed);
        } catch (error) {
          if (!(error instanceof DescriptorError)) throw error;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hex descriptor text', () => {
  it('accepts comments, commas, 0x prefixes and mixed case', () => {
    expect(Array.from(parseHexDescriptor('# header\n05 0B, 0x09 0X20 # trailing\n\n\t0xa1,01,\r\nC0\n'))).toEqual([
      0x05, 0x0b, 0x09, 0x20, 0xa1, 0x01, 0xc0,
    ]);
    expect(parseHexDescriptor('# only a comment\n')).toHaveLength(0);
  });

  it('names the line, column and byte index of a bad token', () => {
    for (const [text, line, column, index] of [
      ['05 0b\n09 2x 01', 2, 4, 3],
      ['05 0b 5', 1, 7, 2],
      ['0x123', 1, 1, 0],
      ['05,,0b, zz', 1, 9, 2],
    ] as const) {
      let caught: unknown;
      try {
        parseHexDescriptor(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HexDescriptorError);
      expect(caught).toBeInstanceOf(DescriptorError);
      expect(caught).toMatchObject({ line, column, byteOffset: index });
      expect((caught as Error).message).toContain(`line ${line}:${column} (byte ${index})`);
    }
  });

  it('describeDescriptorFile reads binary descriptors and names the file in errors', () => {
    const dir = tempDir('thirdring-hid-');
    const bin = join(dir, 'report_descriptor');
    writeFileSync(bin, load('jabra-link380c.hex'));
    expect(describeDescriptorFile(bin).inputs.hookSwitch).toEqual(bit(2, 0));
    const bad = join(dir, 'bad.hex');
    writeFileSync(bad, '05 0b a1 01 c0 c0\n');
    expect(() => describeDescriptorFile(bad)).toThrow(`${bad}: byte 5: End Collection without an open Collection`);
  });
});
