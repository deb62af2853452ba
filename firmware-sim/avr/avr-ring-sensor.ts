// The real ring-sensor firmware (hardware/ring-sensor, compiled to Intel HEX) running in avr8js: an ATmega328P at
// 16 MHz with timer0, USART0, the watchdog and ports B/C/D. Tests drive its input pins in simulated time and read
// its serial lines; pace() runs it against the wall clock, and bridge.ts puts it on a pseudo-terminal.
import { readFileSync } from 'node:fs';
import {
  AVRClock,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  AVRWatchdog,
  CPU,
  PinState,
  avrInstruction,
  clockConfig,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  usart0Config,
  watchdogConfig,
} from 'avr8js';
import { parseIntelHex } from './intel-hex.js';

export const CPU_HZ = 16_000_000;
export const CYCLES_PER_MS = CPU_HZ / 1000;
export const CHANNELS = 4;

const SRAM_BYTES = 0x800; // ATmega328P: 2 KB, RAMEND = 0x8FF
const UCSR0A_RXC = 0x80;
const RX_POLL_CYCLES = 160; // how often (10 µs) to check whether the firmware has taken the last received byte
const RING_PINS = [2, 3, 4, 5] as const; // PD2..PD5, channel 1..4
const HOOK_PINS = [0, 1, 2, 3] as const; // PC0..PC3, channel 1..4
const LED_PIN = 5; // PB5

/** One line the firmware sent, without its `\n`, and the simulated time (ms) its `\n` was written. */
export interface UsartLine {
  text: string;
  ms: number;
}

export interface PulseTrainOptions {
  /** Pulse rate: a ringing line gives 20–25 Hz through the optocoupler. */
  hz: number;
  /** Length of the train in ms: pulses fall at start, start + 1000/hz, ... while before start + durationMs. */
  durationMs: number;
  /** Simulated ms of the first pulse's falling edge; default: now. */
  startMs?: number;
  /** How long each pulse holds the input LOW; default 40 % of the period. */
  lowMs?: number;
  /**
   * Contact bounce after each falling edge: ms offsets at which the input flips, alternately HIGH then LOW
   * (e.g. [1, 2, 3, 4]: HIGH at +1, LOW at +2, HIGH at +3, LOW at +4). `true` = [1, 2, 3, 4].
   */
  bounce?: boolean | readonly number[];
  /** 0-based indexes of pulses that do not happen (a missed half-wave). */
  dropPulses?: readonly number[];
}

export interface ScheduledTrain {
  /** Simulated ms of every pulse's falling edge that happens (dropped ones excluded). */
  pulsesMs: number[];
  /** Simulated ms just after the last pulse has ended. */
  endMs: number;
}

export interface PaceOptions {
  /** Simulated ms per real ms (1 = real time). */
  speed?: number;
  /** Real ms between simulation slices. */
  sliceMs?: number;
}

export interface Pacer {
  stop(): void;
  /** Simulated ms the pacer could not keep up with (dropped to stay near the wall clock). */
  readonly lagMs: number;
}

interface Scheduled {
  cycle: number;
  seq: number;
  fn: () => void;
}

function checkChannel(channel: number): number {
  if (!Number.isInteger(channel) || channel < 1 || channel > CHANNELS) {
    throw new RangeError(`channel must be 1..${CHANNELS}, got ${channel}`);
  }
  return channel - 1;
}

/**
 * On silicon UDREn is a level: it stays set while UDRn is empty, so the data-register-empty interrupt keeps
 * firing until the ISR writes UDRn or clears UDRIEn. avr8js 0.21 clears the flag when it dispatches the
 * interrupt, so an ISR that runs once with nothing to send and clears UDRIEn would never be woken again.
 * Marking the interrupt `constant` (avr8js's name for level-triggered, as it does for RXC) restores the
 * hardware behaviour. The field is private in avr8js; if a later version renames it, this does nothing.
 */
function makeUdreLevelTriggered(usart: AVRUSART): void {
  const udre = (usart as unknown as { UDRE?: { constant?: boolean } }).UDRE;
  if (udre && typeof udre === 'object') udre.constant = true;
}

export class AvrRingSensor {
  readonly cpu: CPU;
  readonly timer0: AVRTimer;
  readonly usart: AVRUSART;
  readonly clock: AVRClock;
  readonly watchdog: AVRWatchdog;
  readonly portB: AVRIOPort;
  readonly portC: AVRIOPort;
  readonly portD: AVRIOPort;
  /** Every line the firmware has sent so far. */
  readonly lines: UsartLine[] = [];

  private readonly lineListeners = new Set<(line: UsartLine) => void>();
  private readonly byteListeners = new Set<(byte: number) => void>();
  private partial = '';
  private readonly rxQueue: number[] = [];
  private schedule: Scheduled[] = [];
  private seq = 0;

  /** Load a flash image (see parseIntelHex) or Intel HEX text. */
  constructor(program: Uint8Array | string) {
    const image = typeof program === 'string' ? parseIntelHex(program) : program;
    const flash = new Uint16Array(0x4000);
    new Uint8Array(flash.buffer).set(image.subarray(0, flash.byteLength));
    this.cpu = new CPU(flash, SRAM_BYTES);
    this.clock = new AVRClock(this.cpu, CPU_HZ, clockConfig);
    this.timer0 = new AVRTimer(this.cpu, timer0Config);
    this.usart = new AVRUSART(this.cpu, usart0Config, CPU_HZ);
    this.watchdog = new AVRWatchdog(this.cpu, watchdogConfig, this.clock);
    this.portB = new AVRIOPort(this.cpu, portBConfig);
    this.portC = new AVRIOPort(this.cpu, portCConfig);
    this.portD = new AVRIOPort(this.cpu, portDConfig);

    // Idle inputs: avr8js does not model pull-ups, so drive what the pull-ups would give with the
    // optocouplers dark: ring inputs HIGH (no ring), hook inputs HIGH (on-hook), RXD HIGH (idle line).
    for (let pin = 0; pin < 8; pin++) this.portD.setPin(pin, true);
    for (let pin = 0; pin < 6; pin++) this.portC.setPin(pin, true);

    this.usart.onByteTransmit = (byte) => this.transmitted(byte);
    makeUdreLevelTriggered(this.usart);
  }

  static fromHexFile(path: string): AvrRingSensor {
    return new AvrRingSensor(readFileSync(path, 'utf8'));
  }

  /** Simulated time since reset, in ms (fractional). */
  get uptimeMs(): number {
    return this.cpu.cycles / CYCLES_PER_MS;
  }

  /** The status LED (PB5, D13). */
  get ledOn(): boolean {
    return this.portB.pinState(LED_PIN) === PinState.High;
  }

  // ---- inputs ----

  /** Ring-detect input of a channel: HIGH = idle, LOW = optocoupler conducting. */
  setRingLevel(channel: number, high: boolean): void {
    this.portD.setPin(RING_PINS[checkChannel(channel)]!, high);
  }

  /** Hook-detect input of a channel: HIGH = on-hook, LOW = off-hook (loop current). */
  setHookLevel(channel: number, high: boolean): void {
    this.portC.setPin(HOOK_PINS[checkChannel(channel)]!, high);
  }

  setOffHook(channel: number, offHook: boolean): void {
    this.setHookLevel(channel, !offHook);
  }

  /** Run `fn` at simulated ms `ms` (now if in the past), in the order scheduled for equal times. */
  at(ms: number, fn: () => void): void {
    const cycle = Math.max(Math.round(ms * CYCLES_PER_MS), this.cpu.cycles);
    const item: Scheduled = { cycle, seq: this.seq++, fn };
    let lo = 0;
    let hi = this.schedule.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.schedule[mid]!;
      if (other.cycle < cycle || (other.cycle === cycle && other.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.schedule.splice(lo, 0, item);
  }

  /** Schedule a pulse train on a ring-detect input. */
  schedulePulseTrain(channel: number, options: PulseTrainOptions): ScheduledTrain {
    checkChannel(channel);
    const { hz, durationMs } = options;
    if (!(hz > 0) || !(durationMs > 0)) throw new RangeError('hz and durationMs must be positive');
    const period = 1000 / hz;
    const start = options.startMs ?? this.uptimeMs;
    const lowMs = options.lowMs ?? period * 0.4;
    const bounce = options.bounce === true ? [1, 2, 3, 4] : options.bounce === false ? [] : (options.bounce ?? []);
    const drop = new Set(options.dropPulses ?? []);
    const pulsesMs: number[] = [];
    let endMs = start;
    for (let k = 0; k * period < durationMs; k++) {
      if (drop.has(k)) continue;
      const t = start + k * period;
      pulsesMs.push(t);
      this.at(t, () => this.setRingLevel(channel, false));
      bounce.forEach((offset, i) => {
        if (offset < lowMs) this.at(t + offset, () => this.setRingLevel(channel, i % 2 === 1));
      });
      this.at(t + lowMs, () => this.setRingLevel(channel, true));
      endMs = t + lowMs;
    }
    return { pulsesMs, endMs };
  }

  /** Hold a channel off-hook (input LOW) from `startMs` (default now) for `durationMs`. */
  scheduleOffHook(channel: number, durationMs: number, startMs = this.uptimeMs): void {
    checkChannel(channel);
    this.at(startMs, () => this.setOffHook(channel, true));
    this.at(startMs + durationMs, () => this.setOffHook(channel, false));
  }

  // ---- serial ----

  /** Queue bytes for the firmware's USART RX. Each is delivered one byte time (at the firmware's baud rate)
   *  after the previous one has been read from UDR0, as a paced sender would. */
  writeRx(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    for (const b of bytes) this.rxQueue.push(b);
    this.feedRx();
  }

  /** Bytes queued for RX and not yet delivered. */
  get rxPending(): number {
    return this.rxQueue.length;
  }

  onLine(listener: (line: UsartLine) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  onByte(listener: (byte: number) => void): () => void {
    this.byteListeners.add(listener);
    return () => this.byteListeners.delete(listener);
  }

  // ---- running ----

  /** Run `ms` of simulated time as fast as possible; returns the lines sent meanwhile. */
  runFor(ms: number): UsartLine[] {
    return this.runUntilMs(this.uptimeMs + ms);
  }

  /** Run until simulated time `ms`; returns the lines sent meanwhile. */
  runUntilMs(ms: number): UsartLine[] {
    const first = this.lines.length;
    const target = Math.round(ms * CYCLES_PER_MS);
    const cpu = this.cpu;
    while (cpu.cycles < target) {
      let stop = target;
      const next = this.schedule[0];
      if (next && next.cycle < stop) stop = next.cycle;
      if (this.rxQueue.length > 0 && stop > cpu.cycles + RX_POLL_CYCLES) stop = cpu.cycles + RX_POLL_CYCLES;
      while (cpu.cycles < stop) {
        avrInstruction(cpu);
        cpu.tick();
      }
      while (this.schedule.length > 0 && this.schedule[0]!.cycle <= cpu.cycles) this.schedule.shift()!.fn();
      this.feedRx();
    }
    return this.lines.slice(first);
  }

  /** Run until a line matching `pattern` arrives (checked every ms) or `maxMs` pass; returns it or undefined. */
  runUntilLine(pattern: RegExp, maxMs: number): UsartLine | undefined {
    const deadline = this.uptimeMs + maxMs;
    let seen = this.lines.length;
    while (this.uptimeMs < deadline) {
      this.runFor(Math.min(1, deadline - this.uptimeMs));
      for (; seen < this.lines.length; seen++) {
        const line = this.lines[seen]!;
        if (pattern.test(line.text)) return line;
      }
    }
    return undefined;
  }

  /**
   * Run against the wall clock, `speed` simulated ms per real ms, in slices between which the event loop runs
   * (serial I/O, timers). If the host cannot keep up, the missing simulated time is skipped (see lagMs).
   */
  pace(options: PaceOptions = {}): Pacer {
    const speed = options.speed ?? 1;
    const sliceMs = options.sliceMs ?? 5;
    const maxStepMs = 100 * speed;
    const anchorReal = performance.now();
    let anchorSim = this.uptimeMs;
    let lagMs = 0;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const step = () => {
      if (stopped) return;
      const target = anchorSim + (performance.now() - anchorReal) * speed;
      let behind = target - this.uptimeMs;
      if (behind > maxStepMs) {
        lagMs += behind - maxStepMs;
        anchorSim -= behind - maxStepMs;
        behind = maxStepMs;
      }
      if (behind > 0) this.runFor(behind);
      timer = setTimeout(step, sliceMs);
    };
    timer = setTimeout(step, 0);
    return {
      stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
      get lagMs() {
        return lagMs;
      },
    };
  }

  private feedRx(): void {
    if (this.rxQueue.length === 0) return;
    const consumed = (this.cpu.data[usart0Config.UCSRA]! & UCSR0A_RXC) === 0;
    if (!this.usart.rxBusy && consumed && this.usart.writeByte(this.rxQueue[0]!)) this.rxQueue.shift();
  }

  private transmitted(byte: number): void {
    for (const listener of this.byteListeners) listener(byte);
    if (byte === 0x0a) {
      const line: UsartLine = { text: this.partial, ms: this.uptimeMs };
      this.partial = '';
      this.lines.push(line);
      for (const listener of this.lineListeners) listener(line);
    } else {
      this.partial += String.fromCharCode(byte);
    }
  }
}
