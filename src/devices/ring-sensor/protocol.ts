// Serial protocol v1 between the ring sensor and the bridge (README "The Arduino ring sensor", Serial protocol v1): ASCII lines of at
// most 80 bytes, each ending `*HH`, the XOR of every byte before the `*` as two upper-case hex digits.

export const MAX_LINE_BYTES = 80;

export type SensorMessage =
  | { kind: 'hello'; firmware: string; version: string; proto: number; channels: number }
  | { kind: 'ring'; channel: number; state: 'on' | 'off'; ms: number }
  | { kind: 'hook'; channel: number; state: 'off' | 'on'; ms: number }
  | { kind: 'hb'; seq: number; ms: number }
  | { kind: 'err'; code: string; text: string };

export type BadLineReason = 'too-long' | 'not-ascii' | 'no-checksum' | 'bad-checksum' | 'bad-shape';

export type ParsedLine = { ok: true; message: SensorMessage } | { ok: false; reason: BadLineReason; line: string };

export function checksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** `PING` → `PING*HH\n` */
export function frame(body: string): string {
  return `${body}*${checksum(body)}\n`;
}

const HELLO = /^HELLO (\S{1,24}) (\d+\.\d+\.\d+\S*) proto=(\d+) channels=([1-9]\d?)$/;
const HB = /^HB (\d{1,10}) (\d{1,10})$/;
const ERR = /^ERR (\S{1,16}) ?(.*)$/;

const HEX = '0123456789ABCDEF';

/**
 * One line without its `\n` (a trailing `\r` is tolerated) → a message, or why it was dropped.
 *
 * Ring and hook edges — the lines a ring's latency depends on — are read in one pass over the characters, with no
 * regular expression and no string made: on a machine that idles between rings, every page of code and heap the
 * first line after the pause touches costs tens of microseconds (README "Benchmark", ring → LED), and each regular
 * expression is code of its own.
 */
export function parseSensorLine(raw: string): ParsedLine {
  const end = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 0x0d ? raw.length - 1 : raw.length;
  if (end + 1 > MAX_LINE_BYTES) return bad('too-long', raw, end);
  // The XOR of everything before the last `*`, and printable ASCII throughout.
  let sum = 0;
  let star = -1;
  let sumAtStar = 0;
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return bad('not-ascii', raw, end);
    if (c === 0x2a) {
      star = i;
      sumAtStar = sum;
    }
    sum ^= c;
  }
  if (star < 0 || star !== end - 3) return bad('no-checksum', raw, end);
  if (raw[star + 1] !== HEX[sumAtStar >> 4] || raw[star + 2] !== HEX[sumAtStar & 15]) return bad('bad-checksum', raw, end);

  const edge = parseEdge(raw, star);
  if (edge) return { ok: true, message: edge };
  const body = raw.slice(0, star);
  const hb = HB.exec(body);
  if (hb) return { ok: true, message: { kind: 'hb', seq: Number(hb[1]), ms: Number(hb[2]) } };
  const hello = HELLO.exec(body);
  if (hello) {
    const [, firmware, version, proto, channels] = hello;
    return { ok: true, message: { kind: 'hello', firmware: firmware!, version: version!, proto: Number(proto), channels: Number(channels) } };
  }
  const err = ERR.exec(body);
  if (err) return { ok: true, message: { kind: 'err', code: err[1]!, text: err[2]! } };
  return bad('bad-shape', raw, end);
}

function bad(reason: BadLineReason, raw: string, end: number): ParsedLine {
  return { ok: false, reason, line: end === raw.length ? raw : raw.slice(0, end) };
}

/** `RING|HOOK <channel 1–99, no leading 0> ON|OFF <ms, 1–10 digits>` in line[0, end), or null. */
function parseEdge(line: string, end: number): SensorMessage | null {
  const kind = line.startsWith('RING ') ? 'ring' : line.startsWith('HOOK ') ? 'hook' : null;
  if (kind === null) return null;
  let i = 5;
  const channel = digitsAt(line, i, end, 2);
  if (channel === null || line.charCodeAt(i) === 0x30) return null;
  i += channel.length;
  let state: 'on' | 'off';
  if (line.startsWith(' ON ', i)) [state, i] = ['on', i + 4];
  else if (line.startsWith(' OFF ', i)) [state, i] = ['off', i + 5];
  else return null;
  const ms = digitsAt(line, i, end, 10);
  if (ms === null || i + ms.length !== end) return null;
  return { kind, channel: channel.value, state, ms: ms.value };
}

/** The run of 1…max decimal digits at line[from, end): its value and length, or null when there is none. */
function digitsAt(line: string, from: number, end: number, max: number): { value: number; length: number } | null {
  let value = 0;
  let i = from;
  while (i < end && i - from < max) {
    const c = line.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    i++;
  }
  if (i === from || (i < end && i - from === max && isDigit(line.charCodeAt(i)))) return null;
  return { value, length: i - from };
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

const MESSAGE_START = /(?:HELLO|RING|HOOK|HB|ERR) /g;

/**
 * Like parseSensorLine, but when line noise ran into the front of a line, tries again from each later
 * message keyword; the checksum guards against accepting a fragment by accident.
 */
export function parseWithResync(raw: string): ParsedLine & { resynced?: boolean } {
  const first = parseSensorLine(raw);
  if (first.ok) return first;
  for (const match of raw.matchAll(MESSAGE_START)) {
    if (match.index === 0) continue;
    const retry = parseSensorLine(raw.slice(match.index));
    if (retry.ok) return { ...retry, resynced: true };
  }
  return first;
}
