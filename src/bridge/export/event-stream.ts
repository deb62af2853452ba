import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { CoreConfig, CoreEvent } from '../../core/index.js';
import { eventParser, EventsFileError, MAX_EVENT_LINE } from '../events-file.js';

const READ_BYTES = 1 << 20;

/** The period an export covers, written as its first line (a tick at `from`, so `thirdring replay` takes it as time passing). */
export interface ExportHeader {
  site: string;
  from: number;
  to: number;
  timeZone: string;
}

/** `{"t":from,"type":"tick","export":{"site","from","to","timeZone"}}`, times as ISO with the zone's offset. */
export function exportHeaderLine(header: ExportHeader, iso: (t: number, timeZone: string) => string): string {
  const { site, from, to, timeZone } = header;
  return JSON.stringify({ t: from, type: 'tick', export: { site, from: iso(from, timeZone), to: iso(to, timeZone), timeZone } });
}

/** The export header on the first line of an events file, or null (a hand-written file, or one from elsewhere). */
export function readExportHeader(file: string): ExportHeader | null {
  for (const line of fileLines(file)) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return null; // reading the events reports it, with its line
    }
    const fields = (value ?? {}) as { t?: unknown; type?: unknown; export?: Record<string, unknown> };
    const header = fields.export;
    if (fields.type !== 'tick' || typeof fields.t !== 'number' || typeof header !== 'object' || header === null) return null;
    const from = typeof header.from === 'string' ? Date.parse(header.from) : NaN;
    const to = typeof header.to === 'string' ? Date.parse(header.to) : NaN;
    if (typeof header.site !== 'string' || typeof header.timeZone !== 'string' || !(from < to)) return null;
    return { site: header.site, from, to, timeZone: header.timeZone };
  }
  return null;
}

/**
 * The events of a JSON Lines file, validated line by line as `thirdring replay` validates them (the same
 * eventParser: same messages, same line numbers), read a megabyte at a time: a year of events is never in memory
 * at once. Synchronous, for the what-if report, which runs the core in one go.
 */
export function* streamEvents(file: string, config: CoreConfig): Generator<CoreEvent> {
  const parse = eventParser(file, config);
  let lineNumber = 0;
  for (const line of fileLines(file)) {
    const event = parse(line, ++lineNumber);
    if (event) yield event;
  }
}

/** The first and last event times of a file, validating every line on the way. */
export function eventsSpan(file: string, config: CoreConfig): { first: number; last: number } | null {
  let first: number | null = null, last = 0;
  for (const event of streamEvents(file, config)) {
    first ??= event.t;
    last = event.t;
  }
  return first === null ? null : { first, last };
}

/** The lines of a file, without their \n; decoded as UTF-8 across reads. */
function* fileLines(file: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new EventsFileError(`${file}: cannot read events (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let lines = 0;
    const read = () => {
      try {
        return readSync(fd, buffer, 0, READ_BYTES, null);
      } catch (error) {
        throw new EventsFileError(`${file}: cannot read events (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    };
    for (let n = read(); n > 0; n = read()) {
      const parts = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = parts.pop()!;
      // As readEventBatches: an unending line is refused rather than buffered.
      if (rest.length > MAX_EVENT_LINE) throw new EventsFileError(`${file}:${lines + parts.length + 1}: line longer than ${MAX_EVENT_LINE} characters (an event is one JSON object on a line)`);
      lines += parts.length;
      yield* parts;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}
