import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CoreConfig, CoreEvent } from './core/index.js';

/** A problem with one line of an events file; the message names the file and line. */
export class EventsFileError extends Error {
  override name = 'EventsFileError';
}

const time = z.number({ error: 't: expected milliseconds (a number)' }).finite().min(0, 't: expected ≥ 0');
const eventSchema = z.discriminatedUnion(
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
    throw new EventsFileError(`${file}: cannot read events (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseEvents(text, file, config);
}

/** JSON Lines → validated core events; blank lines are skipped, anything else wrong stops at its line. */
export function parseEvents(text: string, file: string, config: CoreConfig): CoreEvent[] {
  const lineIds = new Set(config.lines.map((l) => l.id));
  const deskIds = new Set(config.desks.map((d) => d.id));
  const events: CoreEvent[] = [];
  let previousT = -Infinity;
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new EventsFileError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
      throw new EventsFileError(`${where}: ${issue.message.startsWith(field) ? issue.message : field + issue.message}`);
    }
    const event = parsed.data as CoreEvent & { line?: string; desk?: string; from?: string };
    if (event.line !== undefined && !lineIds.has(event.line)) throw new EventsFileError(`${where}: unknown line "${event.line}"`);
    for (const desk of [event.desk, event.from]) {
      if (desk !== undefined && !deskIds.has(desk)) throw new EventsFileError(`${where}: unknown desk "${desk}"`);
    }
    if ((event.type === 'hook' || event.type === 'hold') && event.line === undefined && event.desk === undefined) {
      throw new EventsFileError(`${where}: a ${event.type} event needs "line" or "desk"`);
    }
    if (event.t < previousT) throw new EventsFileError(`${where}: time goes backwards (t=${event.t} after t=${previousT})`);
    previousT = event.t;
    events.push(event);
  });
  return events;
}
