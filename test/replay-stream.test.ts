// The streaming pieces of `thirdring replay`, in process: reading events line by line from chunks, the hand-written
// check of well-formed lines against the schema, writing with backpressure, a reader going away, the progress line.
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../src/core/index.js';
import { eventParser, eventSchema, EventsFileError, MAX_EVENT_LINE, parseEvents, readEventBatches } from '../src/bridge/events-file.js';
import { createProgress, formatRate } from '../src/bridge/progress.js';
import { replay } from '../src/bridge/replay.js';
import { replayStream, ReplayOutputError } from '../src/bridge/replay-stream.js';
import { coreConfig, ringBursts } from './helpers.js';

const config = coreConfig(`
site: s
timezone: UTC
desks:
  - { id: anna, at: [0, 0] }
  - { id: bram, at: [3, 0] }
  - { id: chloe, at: [6, 0] }
lines:
  - { id: front, phone: { at: [1, 1] }, cadence: nl }
`);

/** A morning of calls on the front line, each rung out (3 rings) or answered at a desk. */
function morning(calls: number): CoreEvent[] {
  const events: CoreEvent[] = [];
  for (let i = 0; i < calls; i++) {
    const start = i * 60_000;
    if (i % 2) events.push(...ringBursts('front', [1000, 4000], start, 3));
    else events.push(...ringBursts('front', [1000, 4000], start, 2), { t: start + 9_000, type: 'hook', desk: 'bram', state: 'off' }, { t: start + 30_000, type: 'hook', desk: 'bram', state: 'on' });
  }
  return events;
}

const jsonl = (events: CoreEvent[]) => events.map((e) => JSON.stringify(e) + '\n').join('');
const expectedOutput = (events: CoreEvent[]) => [...replay(config, events)].map((item) => JSON.stringify(item) + '\n').join('');

/** A readable giving `text` in pieces of `size` bytes (cut anywhere: mid-line, mid-character). */
const pieces = (text: string, size: number) => {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
};

async function collect(input: Readable, name = 'e.jsonl'): Promise<CoreEvent[]> {
  const events: CoreEvent[] = [];
  for await (const batch of readEventBatches(input, name, config)) events.push(...batch);
  return events;
}

class Sink extends Writable {
  text = '';
  maxBuffered = 0;
  constructor(private readonly delayMs = 0) {
    super({ highWaterMark: 16 * 1024, decodeStrings: false });
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.text += chunk.toString();
    if (this.delayMs) setTimeout(done, this.delayMs);
    else done();
  }
}

describe('reading events as they come', () => {
  it('splits lines across chunks of any size, multi-byte characters and CRLF included, the last line without a newline', async () => {
    const events = morning(20).map((e, i) => (i % 7 ? e : { ...e, note: 'café ☕' })) as CoreEvent[];
    const text = jsonl(events).replace(/\n/g, (nl, at: number) => (at % 3 ? nl : '\r\n')).replace(/\n$/, '') + '\n\n  \n' + JSON.stringify({ t: 200_000_000, type: 'tick' });
    const expected = parseEvents(text, 'e.jsonl', config);
    expect(expected).toHaveLength(events.length + 1);
    for (const size of [1, 7, 64, 4096, 1 << 20]) expect(await collect(pieces(text, size))).toEqual(expected);
  });

  it('names the line of a problem counted across chunks, after yielding the events before it', async () => {
    const events = morning(30);
    const text = jsonl(events) + '{"t":1,"type":"ring","line":"front","state":"on"}\n' + jsonl(events);
    const read: CoreEvent[] = [];
    const run = async () => {
      for await (const batch of readEventBatches(pieces(text, 100), '-', config)) read.push(...batch);
    };
    await expect(run()).rejects.toThrow(new EventsFileError(`-:${events.length + 1}: time goes backwards (t=1 after t=${events.at(-1)!.t})`));
    expect(read).toEqual(events);
  });

  it('refuses a line longer than MAX_EVENT_LINE without reading on for its end', async () => {
    let served = 0;
    const endless = new Readable({
      read() {
        served += 65_536;
        this.push(served === 65_536 ? '{"t":0,"type":"tick"}\n{"t":1,"type":"tick","pad":"' : 'x'.repeat(65_536));
      },
    });
    await expect(collect(endless)).rejects.toThrow(`e.jsonl:2: line longer than ${MAX_EVENT_LINE} characters`);
    expect(served).toBeLessThan(MAX_EVENT_LINE + 4 * 65_536);
  });

  it('says why a file cannot be read', async () => {
    const { openEventsInput } = await import('../src/bridge/events-file.js');
    await expect(collect(openEventsInput('/nonexistent/e.jsonl'), '/nonexistent/e.jsonl')).rejects.toThrow('/nonexistent/e.jsonl: cannot read events (ENOENT)');
  });

  it('accepts and refuses exactly what the schema does, with the same message (the quick check is only a shortcut)', () => {
    const odd = fc.constantFrom(null, true, [], {}, 5, '', 'side', 'zed');
    const pick = (...valid: string[]) => fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, odd);
    const time = fc.oneof({ weight: 12, arbitrary: fc.nat({ max: 1e6 }) }, fc.constantFrom(-1, 0.5, 1e308, '5', null));
    const event = fc.record(
      {
        t: time,
        type: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('ring', 'hook', 'presence', 'hold', 'ack', 'takeover', 'tick') }, fc.constantFrom('ding', 'constructor', '__proto__', 5)),
        line: pick('front'),
        desk: pick('anna', 'bram', 'chloe'),
        from: pick('anna', 'bram'),
        state: pick('on', 'off', 'present', 'away'),
        extra: odd,
      },
      { requiredKeys: [] },
    );
    const value = fc.oneof({ weight: 20, arbitrary: event }, { weight: 1, arbitrary: fc.jsonValue() });
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3 }), (values) => {
        const lines = values.map((v) => JSON.stringify(v) ?? 'null');
        const outcome = (parse: (raw: string, n: number) => unknown) =>
          lines.map((raw, i) => {
            try {
              return { event: parse(raw, i + 1) };
            } catch (error) {
              return { error: (error as Error).message };
            }
          });
        const quick = outcome(eventParser('f', config));
        expect(quick).toEqual(outcome(schemaOnlyParser('f')));
        accepted += quick.filter((o) => 'event' in o && (o.event as CoreEvent | null)?.type !== 'tick').length;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100); // not only refusals
  });
});

/** The events file reader before the quick check: every line through the schema (a separate copy, as it was). */
function schemaOnlyParser(file: string): (raw: string, lineNumber: number) => CoreEvent | null {
  const lineIds = new Set(config.lines.map((l) => l.id));
  const deskIds = new Set(config.desks.map((d) => d.id));
  let previousT = -Infinity;
  return (raw, lineNumber) => {
    const where = `${file}:${lineNumber}`;
    if (raw.trim() === '') return null;
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
    return event;
  };
}

describe('writing decisions', () => {
  it('gives the same bytes as replay(), in chunks, waiting for a slow reader instead of piling up', async () => {
    const events = morning(400);
    const sink = new Sink(1);
    const result = await replayStream(config, pieces(jsonl(events), 4096), 'e.jsonl', sink, { chunkSize: 8 * 1024 });
    expect(result).toEqual({ events: events.length, outputClosed: false });
    expect(sink.text.length).toBeGreaterThan(100_000);
    expect(sink.text).toBe(expectedOutput(events));
    expect(sink.maxBuffered).toBeLessThan(3 * 8 * 1024); // one chunk waiting, another being built: not the whole output
  });

  it('stops reading when the reader goes away (EPIPE), without an error', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        this.push(jsonl(ringBursts('front', [1000, 4000], pulled++ * 60_000, 3)));
      },
    });
    let writes = 0;
    const closing = new Writable({
      write(_chunk, _encoding, done) {
        if (++writes < 3) return done();
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const result = await replayStream(config, endless, '-', closing, { chunkSize: 1024 });
    expect(result.outputClosed).toBe(true);
    expect(endless.destroyed).toBe(true);
  });

  it('fails with ReplayOutputError on any other write error (a full disk)', async () => {
    const full = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
      },
    });
    await expect(replayStream(config, pieces(jsonl(morning(50)), 4096), 'e.jsonl', full, { chunkSize: 1024 })).rejects.toThrow(
      new ReplayOutputError('cannot write the decisions (ENOSPC)'),
    );
  });

  it('writes the decisions of the lines before a bad one, then rejects naming it', async () => {
    const good = morning(3);
    const sink = new Sink();
    const text = jsonl(good) + '{"t":0,"type":"ring","line":"side","state":"on"}\n' + jsonl(morning(3));
    await expect(replayStream(config, pieces(text, 50), 'e.jsonl', sink)).rejects.toThrow(`e.jsonl:${good.length + 1}: unknown line "side"`);
    expect(sink.text).toBe([...replay(config, good, { until: good.at(-1)!.t })].map((item) => JSON.stringify(item) + '\n').join(''));
  });
});

describe('progress line', () => {
  const terminal = () => {
    const stream = { isTTY: true, columns: 40, text: '', write: (s: string) => void (stream.text += s) };
    return stream;
  };

  it('is silent when stderr is not a terminal', () => {
    const stream = { isTTY: false, text: '', write: (s: string) => void (stream.text += s) };
    const progress = createProgress({ stream, delayMs: 0 });
    progress.update(() => 'x');
    progress.done();
    expect(progress.enabled).toBe(false);
    expect(stream.text).toBe('');
  });

  it('starts after the delay, redraws in place at most once per interval, fits the terminal, and is cleared at the end', () => {
    let now = 0;
    const stream = terminal();
    const progress = createProgress({ stream, now: () => now, delayMs: 1000, intervalMs: 250 });
    let built = 0;
    const describe = (elapsedMs: number) => `${++built} at ${elapsedMs} ms ${'.'.repeat(built * 20)}`;
    progress.update(describe);
    now = 999;
    progress.update(describe);
    expect(stream.text).toBe(''); // quick runs say nothing
    now = 1000;
    progress.update(describe);
    now = 1100;
    progress.update(describe); // too soon: not even built
    now = 1250;
    progress.update(describe);
    expect(built).toBe(2);
    const second = `2 at 1250 ms ${'.'.repeat(40)}`.slice(0, 38) + '…'; // 40 columns: 39 characters at most
    expect(stream.text).toBe(`\r1 at 1000 ms ${'.'.repeat(20)}\x1b[K\r${second}\x1b[K`);
    progress.done();
    expect(stream.text.endsWith('\r\x1b[K')).toBe(true);
    now = 5000;
    progress.update(describe);
    expect(built).toBe(2);
  });

  it('shows replay\'s events read, their rate and the simulated time reached', async () => {
    const stream = terminal();
    stream.columns = 200;
    const events = morning(50);
    const progress = createProgress({ stream, delayMs: 0, intervalMs: 0 });
    await replayStream(config, pieces(jsonl(events), 2048), 'e.jsonl', new Sink(), { progress });
    const lines = stream.text.split('\r').filter(Boolean);
    expect(lines.at(-2)).toMatch(new RegExp(`^replay: ${events.length.toLocaleString('en-US')} events read, [\\d,]+/s, simulated time 1970-01-01 00:49:\\d\\d UTC\\x1b\\[K$`));
    expect(lines.at(-1)).toBe('\x1b[K'); // cleared at the end
  });

  it('formats rates', () => {
    expect(formatRate(1_234_567, 2000)).toBe('617,284/s');
    expect(formatRate(5, 0)).toBe('–/s');
  });
});
