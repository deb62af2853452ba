import { ReadlineParser } from '@serialport/parser-readline';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { MAX_LINE_BYTES } from './protocol.js';

/**
 * Breaks a run of bytes with no newline after a few line lengths, so line noise cannot grow the readline
 * parser's buffer without bound; the pieces then fail the protocol check and are counted as bad lines.
 */
export class LineLengthGuard extends Transform {
  private sinceNewline = 0;

  constructor(private readonly limit = MAX_LINE_BYTES * 4) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    const pieces: Buffer[] = [];
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 0x0a) {
        this.sinceNewline = 0;
      } else if (++this.sinceNewline > this.limit) {
        pieces.push(chunk.subarray(start, i), Buffer.from('\n'));
        start = i;
        this.sinceNewline = 1;
      }
    }
    pieces.push(chunk.subarray(start));
    done(null, pieces.length === 1 ? chunk : Buffer.concat(pieces));
  }
}

/** Serial bytes → text lines (latin1, so every byte stays one character and binary noise stays visible). */
export function readLines(source: Readable): Readable {
  return source.pipe(new LineLengthGuard()).pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
}
