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

const EDGE = /^(RING|HOOK) ([1-9]\d?) (ON|OFF) (\d{1,10})$/;
const HELLO = /^HELLO (\S{1,24}) (\d+\.\d+\.\d+\S*) proto=(\d+) channels=([1-9]\d?)$/;
const HB = /^HB (\d{1,10}) (\d{1,10})$/;
const ERR = /^ERR (\S{1,16}) ?(.*)$/;

/** One line without its `\n` (a trailing `\r` is tolerated) → a message, or why it was dropped. */
export function parseSensorLine(raw: string): ParsedLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const bad = (reason: BadLineReason): ParsedLine => ({ ok: false, reason, line });
  if (line.length + 1 > MAX_LINE_BYTES) return bad('too-long');
  if (!/^[\x20-\x7e]*$/.test(line)) return bad('not-ascii');
  const star = line.lastIndexOf('*');
  if (star < 0 || star !== line.length - 3) return bad('no-checksum');
  const body = line.slice(0, star);
  if (line.slice(star + 1) !== checksum(body)) return bad('bad-checksum');

  const edge = EDGE.exec(body);
  if (edge) {
    const [, what, channel, state, ms] = edge;
    const common = { channel: Number(channel), ms: Number(ms) };
    return what === 'RING'
      ? { ok: true, message: { kind: 'ring', state: state === 'ON' ? 'on' : 'off', ...common } }
      : { ok: true, message: { kind: 'hook', state: state === 'ON' ? 'on' : 'off', ...common } };
  }
  const hb = HB.exec(body);
  if (hb) return { ok: true, message: { kind: 'hb', seq: Number(hb[1]), ms: Number(hb[2]) } };
  const hello = HELLO.exec(body);
  if (hello) {
    const [, firmware, version, proto, channels] = hello;
    return { ok: true, message: { kind: 'hello', firmware: firmware!, version: version!, proto: Number(proto), channels: Number(channels) } };
  }
  const err = ERR.exec(body);
  if (err) return { ok: true, message: { kind: 'err', code: err[1]!, text: err[2]! } };
  return bad('bad-shape');
}


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
