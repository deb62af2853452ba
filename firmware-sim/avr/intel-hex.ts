// Intel HEX (as written by `avr-objcopy -O ihex`) → a flash image.
// Record: `:LLAAAATT<data>CC` — LL byte count, AAAA address, TT type, CC two's-complement checksum of all bytes.

/** ATmega328P flash size in bytes. */
export const ATMEGA328P_FLASH_BYTES = 0x8000;

export class IntelHexError extends Error {}

/**
 * Parse Intel HEX text into a flash image of `size` bytes (unprogrammed bytes read 0xFF, like erased flash).
 * Supports data (00), end-of-file (01), extended segment (02) and extended linear (04) address records;
 * start-address records (03, 05) are accepted and ignored. Every record's checksum is verified.
 */
export function parseIntelHex(text: string, size = ATMEGA328P_FLASH_BYTES): Uint8Array {
  const image = new Uint8Array(size).fill(0xff);
  let base = 0;
  let sawEof = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    if (sawEof) throw new IntelHexError(`${where}: data after the end-of-file record`);
    if (!/^:([0-9A-Fa-f]{2}){5,}$/.test(line)) throw new IntelHexError(`${where}: not an Intel HEX record`);
    const bytes = new Uint8Array((line.length - 1) / 2);
    for (let j = 0; j < bytes.length; j++) bytes[j] = parseInt(line.slice(1 + 2 * j, 3 + 2 * j), 16);
    const count = bytes[0]!;
    if (bytes.length !== count + 5) throw new IntelHexError(`${where}: byte count ${count} does not match the record`);
    let sum = 0;
    for (const b of bytes) sum = (sum + b) & 0xff;
    if (sum !== 0) throw new IntelHexError(`${where}: bad checksum`);
    const address = (bytes[1]! << 8) | bytes[2]!;
    const type = bytes[3]!;
    const data = bytes.subarray(4, 4 + count);
    if ((type === 0x02 || type === 0x04) && count !== 2) throw new IntelHexError(`${where}: address record needs 2 bytes`);
    switch (type) {
      case 0x00: {
        const start = base + address;
        if (start + count > size) {
          throw new IntelHexError(`${where}: data at 0x${start.toString(16)} runs past the ${size}-byte flash`);
        }
        image.set(data, start);
        break;
      }
      case 0x01:
        sawEof = true;
        break;
      case 0x02:
        base = ((data[0]! << 8) | data[1]!) * 16;
        break;
      case 0x04:
        base = ((data[0]! << 8) | data[1]!) * 0x10000;
        break;
      case 0x03:
      case 0x05:
        break;
      default:
        throw new IntelHexError(`${where}: unknown record type ${type}`);
    }
  }
  if (!sawEof) throw new IntelHexError('no end-of-file record');
  return image;
}
