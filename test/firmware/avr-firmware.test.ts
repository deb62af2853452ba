// The compiled ring-sensor firmware (hardware/ring-sensor) running in avr8js, driven in simulated time.
import { describe, expect } from 'vitest';
import { AvrRingSensor, type UsartLine } from '../../firmware-sim/avr/avr-ring-sensor.js';
import { MAX_LINE_BYTES, checksum, parseSensorLine, type SensorMessage } from '../../src/devices/ring-sensor/protocol.js';
import { itWithTools } from '../system-tools.js';
import { buildFirmware } from './firmware-build.js';

const TOOLS = ['make', 'avr-gcc', 'avr-objcopy'];
const TIMEOUT = 60_000;

function boot(): AvrRingSensor {
  return AvrRingSensor.fromHexFile(buildFirmware().hexPath);
}

interface Parsed {
  line: UsartLine;
  message: SensorMessage;
}

/** Every line must be well-formed protocol v1 with a correct checksum; returns them parsed. */
function parseAll(lines: UsartLine[]): Parsed[] {
  return lines.map((line) => {
    expect(line.text.length + 1, `line too long: ${line.text}`).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const star = line.text.lastIndexOf('*');
    expect(star, `no checksum: ${line.text}`).toBe(line.text.length - 3);
    expect(line.text.slice(star + 1), `checksum of ${line.text}`).toBe(checksum(line.text.slice(0, star)));
    const parsed = parseSensorLine(line.text);
    if (!parsed.ok) throw new Error(`firmware sent a bad line (${parsed.reason}): ${JSON.stringify(line.text)}`);
    return { line, message: parsed.message };
  });
}

function rings(parsed: Parsed[], channel: number, state: 'on' | 'off') {
  return parsed.filter((p) => p.message.kind === 'ring' && p.message.channel === channel && p.message.state === state);
}

function msOf(p: Parsed | undefined): number {
  if (!p || !('ms' in p.message)) throw new Error('no such line');
  return p.message.ms;
}

describe('ring-sensor firmware in avr8js', () => {
  itWithTools(TOOLS, 'builds cleanly (no warnings) into a hex that avr8js loads', () => {
    const build = buildFirmware();
    expect(build.warnings).toEqual([]);
    const sensor = boot();
    expect(sensor.cpu.progMem[0]! & 0xfe0e).toBe(0x940c); // reset vector: jmp
  }, TIMEOUT);

  itWithTools(TOOLS, '25 Hz for 1 s on channel 1: HELLO first, one RING ON within 100 ms, one RING OFF, heartbeats', () => {
    const sensor = boot();
    const train = sensor.schedulePulseTrain(1, { hz: 25, durationMs: 1000, startMs: 300 });
    const first = train.pulsesMs[0]!;
    const last = train.pulsesMs.at(-1)!;
    expect(train.pulsesMs).toHaveLength(25);

    sensor.runUntilMs(first + 200);
    expect(sensor.ledOn, 'LED lit during the burst').toBe(true);
    sensor.runUntilMs(3_150);
    expect(sensor.ledOn, 'LED off after the burst').toBe(false);

    const parsed = parseAll(sensor.lines);
    expect(parsed[0]!.message).toEqual({ kind: 'hello', firmware: 'thirdring-ring-sensor', version: '1.0.0', proto: 1, channels: 4 });
    expect(parsed.filter((p) => p.message.kind === 'hello'), 'one HELLO: no watchdog reset').toHaveLength(1);

    const on = rings(parsed, 1, 'on');
    const off = rings(parsed, 1, 'off');
    expect(on).toHaveLength(1);
    expect(off).toHaveLength(1);
    // stamped at the first pulse (the firmware's ms counter may be one tick behind the simulator's clock)
    expect(Math.abs(msOf(on[0]) - first)).toBeLessThanOrEqual(1);
    const onLatency = on[0]!.line.ms - first;
    expect(onLatency).toBeGreaterThanOrEqual(40); // needs the second pulse, 40 ms later at 25 Hz
    expect(onLatency).toBeLessThanOrEqual(100);
    // OFF: stamped with the last pulse, sent ~150 ms after it
    expect(Math.abs(msOf(off[0]) - last)).toBeLessThanOrEqual(1);
    const offDelay = off[0]!.line.ms - last;
    expect(offDelay).toBeGreaterThanOrEqual(150);
    expect(offDelay).toBeLessThanOrEqual(160);

    expect(parsed.filter((p) => p.message.kind === 'ring')).toHaveLength(2);
    expect(parsed.filter((p) => p.message.kind === 'err' || p.message.kind === 'hook')).toEqual([]);

    const hb = parsed.filter((p) => p.message.kind === 'hb');
    expect(hb.map((p) => (p.message.kind === 'hb' ? p.message.seq : -1))).toEqual([0, 1, 2]);
    expect(hb.map(msOf)).toEqual([1000, 2000, 3000]);
    for (let i = 1; i < hb.length; i++) {
      expect(Math.abs(hb[i]!.line.ms - hb[i - 1]!.line.ms - 1000)).toBeLessThan(5);
    }
  }, TIMEOUT);

  itWithTools(TOOLS, '20 Hz with contact bounce and a dropped pulse is still one burst; a bouncy lone spike is none', () => {
    const sensor = boot();
    const train = sensor.schedulePulseTrain(2, { hz: 20, durationMs: 1000, startMs: 200, bounce: true, dropPulses: [7] });
    expect(train.pulsesMs).toHaveLength(19);
    sensor.runUntilMs(1_600);
    const spike = sensor.schedulePulseTrain(2, { hz: 20, durationMs: 1, startMs: 1_700, bounce: [1, 2, 3, 4, 5, 6] });
    expect(spike.pulsesMs).toHaveLength(1);
    sensor.runUntilMs(2_200);

    const parsed = parseAll(sensor.lines);
    const on = rings(parsed, 2, 'on');
    const off = rings(parsed, 2, 'off');
    expect(on).toHaveLength(1);
    expect(off).toHaveLength(1);
    expect(Math.abs(msOf(on[0]) - train.pulsesMs[0]!)).toBeLessThanOrEqual(1);
    expect(on[0]!.line.ms - train.pulsesMs[0]!).toBeLessThanOrEqual(100);
    expect(Math.abs(msOf(off[0]) - train.pulsesMs.at(-1)!)).toBeLessThanOrEqual(1);
    expect(off[0]!.line.ms).toBeLessThan(1_700); // the pair ended before the spike
    expect(parsed.filter((p) => p.message.kind === 'ring')).toHaveLength(2);
  }, TIMEOUT);

  itWithTools(TOOLS, 'PING answers HB with the next seq, HELLO? answers HELLO, bad lines answer ERR', () => {
    const sensor = boot();
    sensor.runUntilMs(100);
    sensor.writeRx('PING*10\n');
    const hb = sensor.runUntilLine(/^HB /, 20);
    expect(hb, 'HB after PING').toBeDefined();
    expect(hb!.ms).toBeLessThan(102); // 8 bytes in + 13 out at 115200 baud: ~2 ms
    expect(parseSensorLine(hb!.text)).toMatchObject({ ok: true, message: { kind: 'hb', seq: 0 } });
    const hbMs = msOf(parseAll([hb!])[0]);
    expect(hbMs).toBeGreaterThanOrEqual(100);
    expect(hbMs).toBeLessThanOrEqual(102);

    sensor.writeRx('HELLO?*7D\r\n');
    const hello = sensor.runUntilLine(/^HELLO /, 20);
    expect(hello).toBeDefined();
    expect(parseSensorLine(hello!.text)).toMatchObject({ ok: true, message: { kind: 'hello', proto: 1, channels: 4 } });

    sensor.writeRx('PING*11\n');
    expect(sensor.runUntilLine(/^ERR /, 20)?.text).toMatch(/^ERR checksum /);
    sensor.writeRx('RESET*' + checksum('RESET') + '\n');
    expect(sensor.runUntilLine(/^ERR /, 20)?.text).toMatch(/^ERR unknown /);
    sensor.writeRx('X'.repeat(120) + '\n');
    expect(sensor.runUntilLine(/^ERR /, 40)?.text).toMatch(/^ERR overflow /);

    sensor.runUntilMs(1_050);
    const parsed = parseAll(sensor.lines);
    const seqs = parsed.flatMap((p) => (p.message.kind === 'hb' ? [p.message.seq] : []));
    expect(seqs).toEqual([0, 1]); // the 1000 ms heartbeat follows the PING's
    expect(parsed.filter((p) => p.message.kind === 'hello')).toHaveLength(2);
  }, TIMEOUT);

  itWithTools(TOOLS, 'hook held low for 100 ms: one HOOK OFF, then HOOK ON after release', () => {
    const sensor = boot();
    sensor.scheduleOffHook(3, 100, 500);
    sensor.schedulePulseTrain(4, { hz: 25, durationMs: 1, startMs: 300 }); // unrelated noise on another input
    // a 20 ms glitch on channel 3 is not a hook change
    sensor.at(800, () => sensor.setOffHook(3, true));
    sensor.at(820, () => sensor.setOffHook(3, false));
    sensor.runUntilMs(900);

    const parsed = parseAll(sensor.lines);
    const hooks = parsed.filter((p) => p.message.kind === 'hook');
    expect(hooks.map((p) => p.message)).toEqual([
      { kind: 'hook', channel: 3, state: 'off', ms: expect.any(Number) },
      { kind: 'hook', channel: 3, state: 'on', ms: expect.any(Number) },
    ]);
    expect(Math.abs(msOf(hooks[0]) - 500)).toBeLessThanOrEqual(1);
    expect(Math.abs(msOf(hooks[1]) - 600)).toBeLessThanOrEqual(1);
    // debounced: reported once the level has been stable for 30 ms
    expect(hooks[0]!.line.ms - 500).toBeGreaterThanOrEqual(30);
    expect(hooks[0]!.line.ms - 500).toBeLessThan(35);
    expect(hooks[1]!.line.ms - 600).toBeGreaterThanOrEqual(30);
    expect(parsed.filter((p) => p.message.kind === 'ring')).toEqual([]);
  }, TIMEOUT);

  itWithTools(TOOLS, 'a flood of PINGs overflows the transmit buffer: lost lines are counted and seq gaps match', () => {
    const sensor = boot();
    sensor.runUntilMs(50);
    const pings = 150;
    sensor.writeRx('PING*10\n'.repeat(pings));
    sensor.runUntilMs(400);
    expect(sensor.rxPending).toBe(0);

    const parsed = parseAll(sensor.lines);
    const seqs = parsed.flatMap((p) => (p.message.kind === 'hb' ? [p.message.seq] : []));
    const lost = parsed.flatMap((p) => {
      if (p.message.kind !== 'err' || p.message.code !== 'txfull') return [];
      const n = /^(\d+) lines? lost$/.exec(p.message.text);
      expect(n, p.message.text).not.toBeNull();
      return [Number(n![1])];
    });
    expect(lost.length).toBeGreaterThan(0);
    const totalLost = lost.reduce((a, b) => a + b, 0);
    expect(seqs.length + totalLost).toBe(pings);
    expect(Math.max(...seqs)).toBe(pings - 1); // the last PING's answer got through once the buffer drained
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // every gap in seq is a lost line
    let gaps = 0;
    for (let i = 1; i < seqs.length; i++) gaps += seqs[i]! - seqs[i - 1]! - 1;
    expect(gaps + seqs[0]!).toBe(totalLost);
  }, TIMEOUT);
});
