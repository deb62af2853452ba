import { ReadlineParser } from '@serialport/parser-readline';
import type { Readable, TransformCallback } from 'node:stream';
import { MAX_LINE_BYTES } from './protocol.js';

/**
 * The readline parser (latin1, so every byte stays one character and binary noise stays visible), with a run of
 * bytes that has no newline broken after a few line lengths, so line noise cannot grow its buffer without bound;
 * the pieces then fail the protocol check and are counted as bad lines. One stream stage, not a guard in front of
 * the parser: each stage is code a ring's first line touches after an idle pause (README "Benchmark").
 */
export class BoundedLineParser extends ReadlineParser {
  private sinceNewline = 0;

  constructor(private readonly limit = MAX_LINE_BYTES * 4) {
    super({ delimiter: '\n', encoding: 'latin1' });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    super._transform(this.breakLongRuns(chunk), encoding, done);
  }

  private breakLongRuns(chunk: Buffer): Buffer {
    let start = 0;
    let pieces: Buffer[] | null = null;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 0x0a) {
        this.sinceNewline = 0;
      } else if (++this.sinceNewline > this.limit) {
        (pieces ??= []).push(chunk.subarray(start, i), Buffer.from('\n'));
        start = i;
        this.sinceNewline = 1;
      }
    }
    return pieces === null ? chunk : Buffer.concat([...pieces, chunk.subarray(start)]);
  }
}

/** Serial bytes → text lines. */
export function readLines(source: Readable): Readable {
  return source.pipe(new BoundedLineParser());
}
