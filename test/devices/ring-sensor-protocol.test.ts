import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/devices/ring-sensor/line-reader.js';
import { checksum, frame, parseSensorLine, parseWithResync } from '../../src/devices/ring-sensor/protocol.js';

const line = (body: string) => frame(body).slice(0, -1);

describe('protocol v1 codec', () => {
  it('computes NMEA-style checksums', () => {
    expect(frame('PING')).toBe('PING*10\n');
    expect(frame('HELLO?')).toBe('HELLO?*7D\n');
    expect(checksum('RING 1 ON 1234')).toBe('06');
    expect(checksum('')).toBe('00');
  });

  it.each([
    ['HELLO thirdring-ring-sensor 1.0.0 proto=1 channels=4', { kind: 'hello', firmware: 'thirdring-ring-sensor', version: '1.0.0', proto: 1, channels: 4 }],
    ['RING 1 ON 1234', { kind: 'ring', channel: 1, state: 'on', ms: 1234 }],
    ['RING 4 OFF 4294967295', { kind: 'ring', channel: 4, state: 'off', ms: 4294967295 }],
    ['HOOK 2 OFF 99', { kind: 'hook', channel: 2, state: 'off', ms: 99 }],
    ['HOOK 2 ON 100', { kind: 'hook', channel: 2, state: 'on', ms: 100 }],
    ['HB 17 17003', { kind: 'hb', seq: 17, ms: 17003 }],
    ['ERR checksum bad line from host', { kind: 'err', code: 'checksum', text: 'bad line from host' }],
  ])('parses %s', (body, message) => {
    expect(parseSensorLine(line(body))).toEqual({ ok: true, message });
    expect(parseSensorLine(line(body) + '\r')).toEqual({ ok: true, message });
  });

  it.each([
    ['RING 1 ON 1234*07', 'bad-checksum'],
    ['RING 1 ON 1234*6', 'no-checksum'],
    ['RING 1 ON 1234*06 ', 'no-checksum'],
    ['RING 1 ON 1234', 'no-checksum'],
    ['ring 1 on 1234*' + checksum('ring 1 on 1234'), 'bad-shape'],
    ['RING 0 ON 1*' + checksum('RING 0 ON 1'), 'bad-shape'],
    ['RING 1 BLINK 5*' + checksum('RING 1 BLINK 5'), 'bad-shape'],
    ['HB -1 5*' + checksum('HB -1 5'), 'bad-shape'],
    ['\u0000\u00ff\u0013RING*00', 'not-ascii'],
    ['ERR x ' + 'y'.repeat(80) + '*00', 'too-long'],
  ])('drops %j as %s', (text, reason) => {
    expect(parseSensorLine(text)).toMatchObject({ ok: false, reason });
  });

  it('accepts a line of exactly 80 bytes and rejects 81', () => {
    const body79 = 'ERR x ' + 'y'.repeat(79 - 6 - 3);
    expect((line(body79) + '\n').length).toBe(80);
    expect(parseSensorLine(line(body79)).ok).toBe(true);
    expect(parseSensorLine(line(body79 + 'y'))).toMatchObject({ ok: false, reason: 'too-long' });
  });
});

describe('resync after line noise', () => {
  it('finds a valid message behind noise, but never accepts a fragment with a wrong checksum', () => {
    expect(parseWithResync('x\u0007#RING 2 ON 50*' + checksum('RING 2 ON 50'))).toMatchObject({ ok: true, resynced: true, message: { channel: 2 } });
    expect(parseWithResync('noise RING 2 ON 50*00')).toMatchObject({ ok: false });
    expect(parseWithResync(line('HB 1 1000'))).toEqual({ ok: true, message: { kind: 'hb', seq: 1, ms: 1000 } });
  });
});

describe('line reader over a byte stream', () => {
  async function linesFrom(chunks: (string | Buffer)[]): Promise<string[]> {
    const source = new PassThrough();
    const lines: string[] = [];
    const reader = readLines(source);
    reader.on('data', (l: string) => lines.push(l));
    for (const chunk of chunks) source.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    source.end();
    await new Promise((resolve) => reader.on('end', resolve));
    return lines;
  }

  it('reassembles lines split across chunks and splits lines merged in one chunk', async () => {
    const ring = frame('RING 1 ON 10'), hb = frame('HB 0 1000'), off = frame('RING 1 OFF 1010');
    const lines = await linesFrom([ring.slice(0, 3), ring.slice(3, 9), ring.slice(9) + hb + off.slice(0, 5), off.slice(5)]);
    expect(lines.map((l) => parseSensorLine(l))).toEqual([
      { ok: true, message: { kind: 'ring', channel: 1, state: 'on', ms: 10 } },
      { ok: true, message: { kind: 'hb', seq: 0, ms: 1000 } },
      { ok: true, message: { kind: 'ring', channel: 1, state: 'off', ms: 1010 } },
    ]);
  });

  it('keeps binary garbage from hurting the good lines around it', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x80, 0x7f, 0x1b]);
    const lines = await linesFrom([frame('HB 1 2000'), garbage, Buffer.from('\n'), frame('HB 2 3000')]);
    const parsed = lines.map((l) => parseSensorLine(l));
    expect(parsed.filter((p) => p.ok).map((p) => p.ok && p.message)).toEqual([
      { kind: 'hb', seq: 1, ms: 2000 },
      { kind: 'hb', seq: 2, ms: 3000 },
    ]);
    expect(parsed.filter((p) => !p.ok)).toEqual([{ ok: false, reason: 'not-ascii', line: garbage.toString('latin1') }]);
  });

  it('bounds an endless run of bytes without a newline', async () => {
    const noise = Buffer.alloc(100_000, 0x41);
    const lines = await linesFrom([noise, frame('HB 3 4000')]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(320);
    // The noise ran into the front of the heartbeat line; resync finds the message behind it.
    expect(parseSensorLine(lines.at(-1)!).ok).toBe(false);
    expect(parseWithResync(lines.at(-1)!)).toEqual({ ok: true, message: { kind: 'hb', seq: 3, ms: 4000 }, resynced: true });
    expect(lines.slice(0, -1).every((l) => !parseSensorLine(l).ok)).toBe(true);
  });
});
