import { describe, expect, it } from 'vitest';
import { IntelHexError, parseIntelHex } from '../../firmware-sim/avr/intel-hex.js';

function record(type: number, address: number, data: number[]): string {
  const bytes = [data.length, address >> 8, address & 0xff, type, ...data];
  const sum = (0x100 - (bytes.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
  return ':' + [...bytes, sum].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

describe('parseIntelHex', () => {
  it('places data records and leaves the rest erased (0xFF)', () => {
    const text = [record(0, 0x0000, [0x0c, 0x94, 0x34, 0x00]), record(0, 0x0010, [0xaa]), record(1, 0, [])].join('\n');
    const image = parseIntelHex(text, 64);
    expect([...image.subarray(0, 5)]).toEqual([0x0c, 0x94, 0x34, 0x00, 0xff]);
    expect(image[0x10]).toBe(0xaa);
    expect(image[0x11]).toBe(0xff);
  });

  it('follows extended linear and segment address records', () => {
    const text = [record(4, 0, [0x00, 0x01]), record(0, 0x0002, [1, 2]), record(2, 0, [0x10, 0x00]), record(0, 0x0001, [3]), record(1, 0, [])].join('\r\n');
    const image = parseIntelHex(text, 0x20000);
    expect([image[0x10002], image[0x10003]]).toEqual([1, 2]);
    expect(image[0x10001]).toBe(3);
  });

  it('parses a typical avr-objcopy record (a vector table of jmp instructions)', () => {
    const image = parseIntelHex(':100000000C9434000C943E000C943E000C943E0082\n:00000001FF\n', 32);
    expect([...image.subarray(0, 4)]).toEqual([0x0c, 0x94, 0x34, 0x00]);
  });

  it('rejects a bad checksum, a short record, data past the end and a missing EOF', () => {
    const good = record(0, 0, [1, 2, 3]);
    const badSum = good.slice(0, -2) + (good.endsWith('00') ? '01' : '00');
    expect(() => parseIntelHex(`${badSum}\n${record(1, 0, [])}`)).toThrow(/line 1: bad checksum/);
    expect(() => parseIntelHex(`:0300000001\n${record(1, 0, [])}`)).toThrow(IntelHexError);
    expect(() => parseIntelHex(`${record(0, 0x3e, [1, 2, 3])}\n${record(1, 0, [])}`, 64)).toThrow(/runs past/);
    expect(() => parseIntelHex(good)).toThrow(/no end-of-file/);
    expect(() => parseIntelHex(`hello\n${record(1, 0, [])}`)).toThrow(/not an Intel HEX record/);
  });
});
