import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventsFileError, parseEvents } from '../../src/bridge/events-file.js';
import { streamEvents } from '../../src/bridge/export/event-stream.js';
import { branchYaml, coreOf, writeFile } from './what-if-day.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-event-stream-');
const config = coreOf(branchYaml());
// Multi-byte characters in every line: 1.9 MB, so some fall across the 1 MiB reads.
const presence = (i: number) => JSON.stringify({ t: 1000 * i, type: 'presence', desk: 'anna', state: i % 2 ? 'present' : 'away', note: 'één ☎ '.repeat(15) });
/** 10,000 lines over two 1 MiB reads, with blank lines on the way. */
const lines = Array.from({ length: 10_000 }, (_, i) => (i % 997 === 5 ? '' : i % 1201 === 7 ? JSON.stringify({ t: 1000 * i, type: 'tick', note: 'één ☎' }) : presence(i)));

describe('streamEvents', () => {
  it('gives the same events as parseEvents on the whole file', () => {
    const file = writeFile(dir, 'big.jsonl', lines.join('\n'));
    expect(statSync(file).size).toBeGreaterThan(1.5 * 2 ** 20);
    expect([...streamEvents(file, config)]).toEqual(parseEvents(lines.join('\n'), file, config));
  });

  it.each([
    ['a bad line near the end', 9000, '{"t":9000000,"type":"presence","desk":"zoe","state":"away"}', ':9001: unknown desk "zoe"'],
    ['time going backwards', 4096, presence(10), ':4097: time goes backwards (t=10000 after t=4095000)'],
    ['broken JSON in the second read', 7000, '{"t":', ':7001: not valid JSON'],
  ])('names the line of %s, as thirdring replay does', (_what, index, line, message) => {
    const file = writeFile(dir, `bad-${index}.jsonl`, lines.map((l, i) => (i === index ? line : l)).join('\n'));
    expect(() => [...streamEvents(file, config)]).toThrow(EventsFileError);
    expect(() => [...streamEvents(file, config)]).toThrow(`${file}${message}`);
    expect(() => parseEvents(lines.map((l, i) => (i === index ? line : l)).join('\n'), file, config)).toThrow(`${file}${message}`);
  });

  it('refuses a line longer than an event can be, naming it', () => {
    const file = writeFile(dir, 'endless.jsonl', `${presence(1)}\n${'x'.repeat(3 * 2 ** 20)}`);
    expect(() => [...streamEvents(file, config)]).toThrow(`${file}:2: line longer than 1048576 characters`);
  });

  it('says when the file cannot be read', () => {
    expect(() => [...streamEvents(join(dir, 'none.jsonl'), config)]).toThrow(`${join(dir, 'none.jsonl')}: cannot read events (ENOENT)`);
    expect(() => [...streamEvents(dir, config)]).toThrow(`${dir}: cannot read events (EISDIR)`);
  });
});
