// The processes of bench/under-load.bench.ts, each on its own event loop (usage: node under-load-agents.js <role> ...):
//
//   probe <pty> <mqtt-url> <set-topic>    the timed path's two ends and nothing else: a ring sensor (protocol v1,
//                                          HELLO and a heartbeat a second) on the pty's device side, and a desk unit
//                                          subscribed to the desk's `set`. Times ring on → blue LED in this one
//                                          process, on one clock.
//   serial-flood <pty> <lines/s>           bad lines on the same pty: bad checksums, garbage bytes, ERR lines with
//                                          unknown codes and random text.
//   mqtt-flood <mqtt-url> <site> <msgs/s>  garbage to the bridge's input topics.
//
// Commands come on stdin, one a line; answers go to stdout, one a line. Both writers on the pty write whole lines
// with blocking write()s on their own descriptors: Linux holds the tty's write lock for a whole write() to a
// blocking descriptor, so lines never interleave mid-line (a real line can only come between two bad lines). A
// write blocks when the pty is full, which is the back-pressure of a bridge that reads too slowly.
import { closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openPty, probeSensor, writeAll } from './probe-sensor.js';
import { setArrivals } from './set-arrivals.js';
import mqtt from 'mqtt';
import { seededRandom } from '../firmware-sim/random.js';
import { checksum, frame } from '../src/devices/ring-sensor/protocol.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);
const commands = (run: (words: string[]) => void | Promise<void>) =>
  createInterface({ input: process.stdin }).on('line', (line) => void run(line.trim().split(' ')));
/**
 * The ring sensor and the desk unit. `calls <label> <warm-up> <n> <gap-min-ms> <gap-max-ms>` makes warm-up + n
 * calls, each a fresh one (ring on; then off-hook, ring off, on-hook; the LED goes off) and answers
 * `result <label> {"latencies":[ms...],"timeouts":k}` with the times from writing RING ON to the blue `set`.
 */
async function probe(ptyPath: string, url: string, setTopic: string): Promise<void> {
  const sensor = probeSensor(ptyPath);

  const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const arrivals = await setArrivals(client, setTopic);
  /** The arrival time of the next `set` that passes `accept`, or null after `timeoutMs`. */
  const next = (accept: (payload: string) => boolean, timeoutMs = 10_000) => arrivals(accept, timeoutMs);
  const random = seededRandom(7);

  commands(async ([command, label, ...numbers]) => {
    if (command === 'quit') {
      await client.endAsync();
      sensor.close();
      process.exit(0);
    }
    if (command !== 'calls') return;
    const [warmUp, samples, gapMin, gapMax] = numbers.map(Number) as [number, number, number, number];
    const latencies: number[] = [];
    let timeouts = 0;
    // A bridge that lost three rings is broken: stop there rather than wait 10 s for each of the rest.
    for (let i = -warmUp; i < samples && timeouts < 3; i++) {
      const lit = next((p) => p.includes('"blue"'));
      const { sentAt, litAt } = await sensor.ring(lit);
      if (litAt === null) timeouts++;
      else if (i >= 0) latencies.push(litAt - sentAt);
      const cleared = next((p) => p.includes('"color":"off"'));
      sensor.endCall();
      if ((await cleared) === null) timeouts++;
      await sleep(gapMin + random() * (gapMax - gapMin));
    }
    say(`result ${label} ${JSON.stringify({ latencies, timeouts })}`);
  });
  say('ready');
}

// ---- serial flood ------------------------------------------------------------------------------------------

const PRINTABLE = ' !"#$%&\'()+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
const KNOWN_ERR_CODES = new Set(['checksum', 'unknown', 'overflow', 'txfull']);

/** Bad lines of the three kinds, a third each; every one ends in `\n` (whole lines, so a real line stays whole). */
function badLine(random: () => number): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const text = (min: number, max: number, alphabet = PRINTABLE) =>
    Array.from({ length: min + int(max - min + 1) }, () => alphabet[int(alphabet.length)]).join('');
  const kind = int(3);
  if (kind === 0) {
    // A line of the right shape whose checksum is wrong (or not hex).
    const bodies = [`RING ${1 + int(4)} ON ${int(1e9)}`, `RING ${1 + int(4)} OFF ${int(1e9)}`, `HOOK ${1 + int(4)} OFF ${int(1e9)}`, `HB ${int(1e6)} ${int(1e9)}`, `HELLO x 1.0.0 proto=1 channels=4`];
    const body = bodies[int(bodies.length)]!;
    const good = checksum(body);
    let wrong = good;
    while (wrong === good) wrong = random() < 0.9 ? (int(256) + 256).toString(16).slice(1).toUpperCase() : text(2, 2);
    return Buffer.from(`${body}*${wrong}\n`, 'latin1');
  }
  if (kind === 1) {
    // Garbage bytes: anything but a newline, 1–120 of them (past 80 the line is too long).
    const bytes = Buffer.alloc(1 + int(120));
    for (let i = 0; i < bytes.length; i++) {
      let byte = int(256);
      while (byte === 0x0a) byte = int(256);
      bytes[i] = byte;
    }
    return Buffer.concat([bytes, Buffer.from('\n')]);
  }
  // ERR with a code protocol v1 does not have and random text, checksum right.
  let code = text(1, 16, 'abcdefghijklmnopqrstuvwxyz0123456789_-');
  if (KNOWN_ERR_CODES.has(code)) code += 'x';
  return Buffer.from(frame(`ERR ${code} ${text(0, 78 - 5 - code.length)}`), 'latin1');
}

/** One bad line for each reason the bridge counts (for exact totals in its next fault reports). */
function oneOfEachReason(): Buffer {
  return Buffer.from(
    [
      `${'x'.repeat(100)}\n`, // too-long
      'RING 1 ON \xff\xfe*00\n', // not-ascii
      'RING 1 ON 5\n', // no-checksum
      'RING 1 ON 5*00\n', // bad-checksum
      frame('RING 1 MAYBE 5'), // bad-shape
      frame('ERR bench-probe counting'), // sensor:other
    ].join(''),
    'latin1',
  );
}

/**
 * `start` floods the pty at `rate` lines/s (paced every ms, in whole lines; a pty or bridge that cannot keep up
 * shows as a lower rate), `stop` answers
 * `stopped {"lines","bytes","ms","blockedMs","minLinesPerSecond"}`, `probe` writes one line per bad-line reason.
 */
function serialFlood(ptyPath: string, rate: number): void {
  const fd = openPty(ptyPath);
  const random = seededRandom(13);
  // A pool of 65,536 lines (1.3 s at 50,000/s) in one buffer; a chunk is a slice of it, no copying.
  const lines = Array.from({ length: 65_536 }, () => badLine(random));
  const pool = Buffer.concat(lines);
  const offsets = [0];
  for (const line of lines) offsets.push(offsets.at(-1)! + line.length);
  let next = 0;
  const writeLines = (count: number) => {
    let blocked = 0;
    let bytes = 0;
    while (count > 0) {
      const take = Math.min(count, 256, lines.length - next);
      const chunk = pool.subarray(offsets[next]!, offsets[next + take]!);
      blocked += writeAll(fd, chunk);
      bytes += chunk.length;
      next = (next + take) % lines.length;
      count -= take;
    }
    return { blocked, bytes };
  };

  let running: NodeJS.Timeout | null = null;
  let stats = { lines: 0, bytes: 0, blockedMs: 0, startedAt: 0, secondStartedAt: 0, thisSecond: 0, minLinesPerSecond: Infinity };
  commands(([command]) => {
    if (command === 'start' && !running) {
      const startedAt = performance.now();
      stats = { lines: 0, bytes: 0, blockedMs: 0, startedAt, secondStartedAt: startedAt, thisSecond: 0, minLinesPerSecond: Infinity };
      let paceFrom = startedAt;
      let pacedLines = 0;
      const tick = () => {
        const now = performance.now();
        let owed = Math.floor(((now - paceFrom) * rate) / 1000) - pacedLines;
        // After a stall (a write blocked on a full pty, a busy machine) the lines owed are made up, as fast as
        // the pty takes them, up to 250 ms of them; anything beyond is not, and the achieved rate says so.
        const most = Math.ceil(rate / 4);
        if (owed > most) {
          paceFrom = now;
          pacedLines = 0;
          owed = most;
        }
        if (owed > 0) {
          const { blocked, bytes } = writeLines(owed);
          pacedLines += owed;
          stats.lines += owed;
          stats.thisSecond += owed;
          stats.bytes += bytes;
          stats.blockedMs += blocked;
        }
        const after = performance.now();
        if (after - stats.secondStartedAt >= 1000) {
          stats.minLinesPerSecond = Math.min(stats.minLinesPerSecond, (stats.thisSecond * 1000) / (after - stats.secondStartedAt));
          stats.secondStartedAt = after;
          stats.thisSecond = 0;
        }
        running = setTimeout(tick, 1);
      };
      running = setTimeout(tick, 1);
    } else if (command === 'stop' && running) {
      clearTimeout(running);
      running = null;
      const { lines, bytes, blockedMs, startedAt, minLinesPerSecond } = stats;
      say(`stopped ${JSON.stringify({ lines, bytes, ms: performance.now() - startedAt, blockedMs, minLinesPerSecond })}`);
    } else if (command === 'probe') {
      writeAll(fd, oneOfEachReason());
      say('probed');
    } else if (command === 'quit') {
      closeSync(fd);
      process.exit(0);
    }
  });
  say('ready');
}

// ---- MQTT flood --------------------------------------------------------------------------------------------

/** Topic levels a publisher may use (no wildcards, no `/`), with a few that once reached an object's prototype. */
function randomName(random: () => number): string {
  const odd = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'ännä', '桌子', '💥', ' ', '..'];
  if (random() < 0.1) return odd[Math.floor(random() * odd.length)]!;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

function malformedJson(random: () => number): string {
  const broken = ['{', '{"action":', '{"action":"present"', 'nul', '[1,2', '{"desk":"d1",}', "{'action':'ack'}", '\u0000\u0001', '{"a":"\\x"}', ''];
  const pick = broken[Math.floor(random() * broken.length)]!;
  return pick === '' ? Array.from({ length: 1 + Math.floor(random() * 60) }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join('') + '}' : pick;
}

/** Garbage for the bridge's inputs: [topic, payload], a quarter of each kind. */
function garbageMessage(base: string, random: () => number): [string, string] {
  switch (Math.floor(random() * 4)) {
    case 0: // malformed JSON, unknown desk
      return [`${base}/desk/${randomName(random)}/action`, malformedJson(random)];
    case 1: // a well-formed action for a desk that does not exist
      return [`${base}/desk/${randomName(random)}/action`, JSON.stringify({ action: ['present', 'away', 'ack', 'cover'][Math.floor(random() * 4)], from: randomName(random) })];
    case 2: // malformed JSON from a desk that does exist (not the timed one): the JSON check itself
      return [`${base}/desk/d2/action`, malformedJson(random)];
    default: // a command the bridge does not have
      return [`${base}/bridge/request/${randomName(random)}`, random() < 0.5 ? malformedJson(random) : JSON.stringify({ desk: randomName(random), transaction: randomName(random) })];
  }
}

/**
 * `start` publishes garbage at `rate` messages/s (QoS 0, paced every 5 ms), `stop` answers
 * `stopped {"messages","ms","minMessagesPerSecond"}`, `probe` publishes one message per fault reason.
 */
async function mqttFlood(url: string, site: string, rate: number): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
  const base = `thirdring/${site}`;
  const random = seededRandom(17);
  const pool = Array.from({ length: 20_000 }, () => garbageMessage(base, random));
  let next = 0;
  let running: NodeJS.Timeout | null = null;
  let stats = { messages: 0, startedAt: 0, secondStartedAt: 0, thisSecond: 0, minMessagesPerSecond: Infinity };
  commands(async ([command]) => {
    if (command === 'start' && !running) {
      const startedAt = performance.now();
      stats = { messages: 0, startedAt, secondStartedAt: startedAt, thisSecond: 0, minMessagesPerSecond: Infinity };
      let paceFrom = startedAt;
      let paced = 0;
      const tick = () => {
        const now = performance.now();
        let owed = Math.floor(((now - paceFrom) * rate) / 1000) - paced;
        const most = Math.ceil(rate / 4);
        if (owed > most) {
          paceFrom = now;
          paced = 0;
          owed = most;
        }
        for (let i = 0; i < owed; i++) {
          const [topic, payload] = pool[next]!;
          next = (next + 1) % pool.length;
          client.publish(topic, payload, { qos: 0 });
        }
        if (owed > 0) {
          paced += owed;
          stats.messages += owed;
          stats.thisSecond += owed;
        }
        if (now - stats.secondStartedAt >= 1000) {
          stats.minMessagesPerSecond = Math.min(stats.minMessagesPerSecond, (stats.thisSecond * 1000) / (now - stats.secondStartedAt));
          stats.secondStartedAt = now;
          stats.thisSecond = 0;
        }
        running = setTimeout(tick, 5);
      };
      running = setTimeout(tick, 5);
    } else if (command === 'stop' && running) {
      clearTimeout(running);
      running = null;
      const { messages, startedAt, minMessagesPerSecond } = stats;
      say(`stopped ${JSON.stringify({ messages, ms: performance.now() - startedAt, minMessagesPerSecond })}`);
    } else if (command === 'probe') {
      await client.publishAsync(`${base}/desk/no-such-desk/action`, '{"action":"present"}', { qos: 1 }); // bad-message:unknown-desk
      await client.publishAsync(`${base}/desk/d2/action`, '{', { qos: 1 }); // bad-message:desk-action
      await client.publishAsync(`${base}/bridge/request/no-such-command`, '{}', { qos: 1 }); // bad-message:request
      say('probed');
    } else if (command === 'quit') {
      await client.endAsync();
      process.exit(0);
    }
  });
  say('ready');
}

const [role, ...args] = process.argv.slice(2);
if (role === 'probe') await probe(args[0]!, args[1]!, args[2]!);
else if (role === 'serial-flood') serialFlood(args[0]!, Number(args[1]));
else if (role === 'mqtt-flood') await mqttFlood(args[0]!, args[1]!, Number(args[2]));
else throw new Error(`unknown role ${role}`);
