import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import type { CoreConfig, CoreEvent } from '../core/index.js';

/** A problem with one line of an events file; the message names the file and line. */
export class EventsFileError extends Error {
  override name = 'EventsFileError';
}

const time = z.number({ error: 't: expected milliseconds (a number)' }).finite().min(0, 't: expected ≥ 0');
/** The events file format; eventParser checks well-formed lines by hand and asks this only for the wording of a problem. */
export const eventSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ t: time, type: z.literal('ring'), line: z.string(), state: z.enum(['on', 'off']) }),
    z.looseObject({
      t: time,
      type: z.literal('hook'),
      line: z.string().optional(),
      desk: z.string().optional(),
      state: z.enum(['off', 'on']),
    }),
    z.looseObject({ t: time, type: z.literal('presence'), desk: z.string(), state: z.enum(['present', 'away']) }),
    z.looseObject({ t: time, type: z.literal('hold'), line: z.string().optional(), desk: z.string().optional(), state: z.enum(['on', 'off']) }),
    z.looseObject({ t: time, type: z.literal('ack'), desk: z.string(), line: z.string().optional() }),
    z.looseObject({ t: time, type: z.literal('takeover'), desk: z.string(), from: z.string(), state: z.enum(['on', 'off']) }),
    // Nothing happens but time: lets a file run the clock on (callbacks falling due, hold reminders).
    z.looseObject({ t: time, type: z.literal('tick') }),
  ],
  { error: 'type: expected "ring", "hook", "presence", "hold", "ack", "takeover" or "tick"' },
);

export function readEventsFile(file: string, config: CoreConfig): CoreEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw cannotRead(file, error);
  }
  return parseEvents(text, file, config);
}

/** JSON Lines → validated core events; blank lines are skipped, anything else wrong stops at its line. */
export function parseEvents(text: string, file: string, config: CoreConfig): CoreEvent[] {
  const parse = eventParser(file, config);
  const events: CoreEvent[] = [];
  text.split('\n').forEach((raw, i) => {
    const event = parse(raw, i + 1);
    if (event) events.push(event);
  });
  return events;
}

/**
 * A validator for the lines of one events file, in order: returns the line's event, null for a blank line, or
 * throws an EventsFileError naming `file:line`. It remembers the previous line's time (events come in time order).
 */
export function eventParser(file: string, config: CoreConfig): (raw: string, lineNumber: number) => CoreEvent | null {
  const lineIds = new Set(config.lines.map((l) => l.id));
  const deskIds = new Set(config.desks.map((d) => d.id));
  let previousT = -Infinity;
  return (raw, lineNumber) => {
    // Cheap blank test first: almost every line starts with "{".
    if (raw.charCodeAt(0) !== 123 /* { */ && raw.trim() === '') return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new EventsFileError(`${file}:${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    let event: CoreEvent & { line?: string; desk?: string; from?: string };
    if (isWellFormed(json)) event = json;
    else {
      // The schema only for what the quick check refuses: it words the message.
      const parsed = eventSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
        throw new EventsFileError(`${file}:${lineNumber}: ${issue.message.startsWith(field) ? issue.message : field + issue.message}`);
      }
      event = parsed.data as typeof event;
    }
    if (event.line !== undefined && !lineIds.has(event.line)) throw new EventsFileError(`${file}:${lineNumber}: unknown line "${event.line}"`);
    if (event.desk !== undefined && !deskIds.has(event.desk)) throw new EventsFileError(`${file}:${lineNumber}: unknown desk "${event.desk}"`);
    if (event.from !== undefined && !deskIds.has(event.from)) throw new EventsFileError(`${file}:${lineNumber}: unknown desk "${event.from}"`);
    if ((event.type === 'hook' || event.type === 'hold') && event.line === undefined && event.desk === undefined) {
      throw new EventsFileError(`${file}:${lineNumber}: a ${event.type} event needs "line" or "desk"`);
    }
    if (event.t < previousT) throw new EventsFileError(`${file}:${lineNumber}: time goes backwards (t=${event.t} after t=${previousT})`);
    previousT = event.t;
    return event;
  };
}

type WellFormed = CoreEvent & { line?: string; desk?: string; from?: string };
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * What eventSchema accepts, checked by hand (a schema parse per line costs more than the core's step): true only
 * for objects the schema would accept as they are (extra fields allowed). Anything else goes to the schema.
 */
function isWellFormed(json: unknown): json is WellFormed {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const e = json as Record<string, unknown>;
  const t = e.t;
  if (typeof t !== 'number' || !(t >= 0) || t === Infinity) return false;
  switch (e.type) {
    case 'ring':
      return typeof e.line === 'string' && (e.state === 'on' || e.state === 'off');
    case 'hook':
      return optionalString(e.line) && optionalString(e.desk) && (e.state === 'off' || e.state === 'on');
    case 'presence':
      return typeof e.desk === 'string' && (e.state === 'present' || e.state === 'away');
    case 'hold':
      return optionalString(e.line) && optionalString(e.desk) && (e.state === 'on' || e.state === 'off');
    case 'ack':
      return typeof e.desk === 'string' && optionalString(e.line);
    case 'takeover':
      return typeof e.desk === 'string' && typeof e.from === 'string' && (e.state === 'on' || e.state === 'off');
    case 'tick':
      return true;
    default:
      return false;
  }
}

/** A line longer than this is refused (an event is a short JSON object): memory stays flat on any input. */
export const MAX_EVENT_LINE = 1024 * 1024;

/**
 * The events file, or stdin for "-". Opening errors surface when it is read (readEventBatches). 64 KiB reads, as a
 * pipe gives them: a chunk's events die young; with 1 MiB chunks the same run took 80-180 MB more RSS, no faster.
 */
export function openEventsInput(file: string): Readable {
  return file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 64 * 1024 });
}

/**
 * Reads events as they come, line by line, from a stream (a file, stdin): yields the events of each chunk read,
 * validated and in time order; memory stays proportional to a chunk, not to the input. A bad line throws its
 * EventsFileError (`file:line`) after the events before it have been yielded.
 */
export async function* readEventBatches(input: Readable, file: string, config: CoreConfig): AsyncGenerator<CoreEvent[], void, undefined> {
  const parse = eventParser(file, config);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNumber = 0;
  let batch: CoreEvent[] = [];
  let failure: unknown = null;
  const take = (text: string, last: boolean) => {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const event = parse(text.slice(start, nl), ++lineNumber);
      if (event) batch.push(event);
      start = nl + 1;
    }
    carry = start === 0 ? text : text.slice(start);
    if (last && carry !== '') {
      const event = parse(carry, ++lineNumber);
      if (event) batch.push(event);
    } else if (carry.length > MAX_EVENT_LINE) {
      throw new EventsFileError(`${file}:${lineNumber + 1}: line longer than ${MAX_EVENT_LINE} characters (an event is one JSON object on a line)`);
    }
  };
  try {
    for await (const chunk of input) {
      try {
        take(carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)), false);
      } catch (error) {
        failure = error;
      }
      if (batch.length) {
        const events = batch;
        batch = [];
        yield events;
      }
      if (failure) throw failure;
    }
  } catch (error) {
    if (error === failure) throw error;
    throw cannotRead(file, error);
  }
  try {
    take(carry + decoder.end(), true);
  } catch (error) {
    failure = error;
  }
  if (batch.length) yield batch;
  if (failure) throw failure;
}

function cannotRead(file: string, error: unknown): EventsFileError {
  return new EventsFileError(`${file}: cannot read events (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
}
