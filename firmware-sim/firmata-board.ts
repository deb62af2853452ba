import { SerialPort } from 'serialport';

/**
 * A StandardFirmata-compatible (subset of protocol 2.5) Arduino Uno on the device side of a pty, for tests:
 * answers the handshake (version, firmware, capabilities, analog mapping, pin state), records every pin write
 * with its time, and can press a button (an INPUT_PULLUP pin, active LOW) by reporting digital port changes.
 * Bytes per https://github.com/firmata/protocol/blob/master/protocol.md.
 */

const DIGITAL_MESSAGE = 0x90; // 0x90 | port, LSB (pins 0-6), MSB (pin 7)
const ANALOG_MESSAGE = 0xe0; // 0xE0 | pin, LSB, MSB (PWM write for pins 0-15)
const REPORT_ANALOG = 0xc0;
const REPORT_DIGITAL = 0xd0; // 0xD0 | port, enable
const START_SYSEX = 0xf0;
const SET_PIN_MODE = 0xf4; // pin, mode
const SET_DIGITAL_PIN_VALUE = 0xf5; // pin, value
const END_SYSEX = 0xf7;
const REPORT_VERSION = 0xf9; // major, minor
const SYSTEM_RESET = 0xff;

const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const PIN_STATE_QUERY = 0x6d;
const PIN_STATE_RESPONSE = 0x6e;
const EXTENDED_ANALOG = 0x6f;
const REPORT_FIRMWARE = 0x79;

export const PIN_MODE = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04, INPUT_PULLUP: 0x0b } as const;

const PROTOCOL = [2, 5] as const;
const PIN_COUNT = 20; // Uno: D0-D13, A0-A5 = D14-D19
const PWM_PINS = new Set([3, 5, 6, 9, 10, 11]);
const FIRST_ANALOG = 14;

export interface PinWrite {
  /** ms since the board opened (performance.now based). */
  t: number;
  /** Wall-clock time of the write (Date.now), to compare with host-side timestamps. */
  at: number;
  pin: number;
  kind: 'digital' | 'pwm' | 'mode';
  value: number;
}

export interface PinState {
  mode: number;
  /** Last digital level written (outputs) or read (inputs). */
  digital: 0 | 1;
  /** Last PWM value written. */
  pwm: number;
  /** Pull-up on: INPUT_PULLUP mode, or HIGH written to an INPUT pin (the pre-2.5 way, which johnny-five uses). */
  pullup: boolean;
}

export interface FirmataBoardOptions {
  path: string;
  firmwareName?: string;
  baudRate?: number;
}

export class FirmataBoard {
  readonly writes: PinWrite[] = [];
  readonly pins: PinState[] = Array.from({ length: PIN_COUNT }, () => ({ mode: PIN_MODE.OUTPUT, digital: 0, pwm: 0, pullup: false }));
  readonly reportedPorts = new Set<number>();
  /** Every host→board message, decoded to its command byte, for debugging. */
  readonly received: number[] = [];

  private port: SerialPort | null = null;
  private readonly startedAt = performance.now();
  private pending: number[] = [];
  private sysex: number[] | null = null;
  private readonly firmwareName: string;
  /** External levels on input pins (a pulled-up button reads 1 when not pressed). */
  private readonly inputLevels = new Map<number, 0 | 1>();

  constructor(private readonly options: FirmataBoardOptions) {
    this.firmwareName = options.firmwareName ?? 'StandardFirmata.ino';
  }

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate ?? 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', () => {});
    // StandardFirmata announces itself on boot.
    this.sendVersion();
    this.sendFirmware();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Writes of one pin (optionally of one kind), in order. */
  writesTo(pin: number, kind?: PinWrite['kind']): PinWrite[] {
    return this.writes.filter((w) => w.pin === pin && (kind === undefined || w.kind === kind));
  }

  /** Output level as seen by an LED: digital HIGH or a PWM value above 0. */
  level(pin: number): 0 | 1 {
    const state = this.pins[pin];
    if (!state) return 0;
    return state.mode === PIN_MODE.PWM ? (state.pwm > 0 ? 1 : 0) : state.digital;
  }

  /** Presses a pulled-up button on `pin` (pin goes LOW) for `ms`, then releases it (HIGH). */
  async pressButton(pin: number, ms = 100): Promise<void> {
    this.setInput(pin, 0);
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.setInput(pin, 1);
  }

  /** Sets the external level of an input pin and reports its port if reporting is on. */
  setInput(pin: number, level: 0 | 1): void {
    this.inputLevels.set(pin, level);
    const state = this.pins[pin];
    if (state && isInputMode(state.mode)) this.readInput(pin, state);
    const port = pin >> 3;
    if (this.reportedPorts.has(port)) this.sendPort(port);
  }

  private now(): number {
    return performance.now() - this.startedAt;
  }

  private record(pin: number, kind: PinWrite['kind'], value: number): void {
    this.writes.push({ t: this.now(), at: Date.now(), pin, kind, value });
  }

  private send(bytes: number[]): void {
    if (this.port?.isOpen) this.port.write(Buffer.from(bytes));
  }

  private sendVersion(): void {
    this.send([REPORT_VERSION, PROTOCOL[0], PROTOCOL[1]]);
  }

  private sendFirmware(): void {
    const name = [...Buffer.from(this.firmwareName, 'ascii')].flatMap((byte) => [byte & 0x7f, (byte >> 7) & 0x7f]);
    this.send([START_SYSEX, REPORT_FIRMWARE, PROTOCOL[0], PROTOCOL[1], ...name, END_SYSEX]);
  }

  private sendCapabilities(): void {
    const bytes = [START_SYSEX, CAPABILITY_RESPONSE];
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      if (pin > 1) {
        bytes.push(PIN_MODE.INPUT, 1, PIN_MODE.OUTPUT, 1, PIN_MODE.INPUT_PULLUP, 1);
        if (pin >= FIRST_ANALOG) bytes.push(PIN_MODE.ANALOG, 10);
        if (PWM_PINS.has(pin)) bytes.push(PIN_MODE.PWM, 8);
        bytes.push(PIN_MODE.SERVO, 14);
      }
      bytes.push(0x7f);
    }
    bytes.push(END_SYSEX);
    this.send(bytes);
  }

  private sendAnalogMapping(): void {
    const bytes = [START_SYSEX, ANALOG_MAPPING_RESPONSE];
    for (let pin = 0; pin < PIN_COUNT; pin++) bytes.push(pin >= FIRST_ANALOG ? pin - FIRST_ANALOG : 0x7f);
    bytes.push(END_SYSEX);
    this.send(bytes);
  }

  private sendPinState(pin: number): void {
    const state = this.pins[pin];
    if (!state) return;
    let value = state.mode === PIN_MODE.PWM ? state.pwm : state.digital;
    const bytes = [START_SYSEX, PIN_STATE_RESPONSE, pin, state.mode, value & 0x7f];
    for (value >>= 7; value > 0; value >>= 7) bytes.push(value & 0x7f);
    bytes.push(END_SYSEX);
    this.send(bytes);
  }

  private sendPort(port: number): void {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const state = this.pins[port * 8 + bit];
      if (state && isInputMode(state.mode) && state.digital) value |= 1 << bit;
    }
    this.send([DIGITAL_MESSAGE | port, value & 0x7f, (value >> 7) & 0x7f]);
  }

  private onData(chunk: Buffer): void {
    for (const byte of chunk) {
      if (this.sysex) {
        if (byte === END_SYSEX) {
          const message = this.sysex;
          this.sysex = null;
          this.onSysex(message);
        } else if (byte & 0x80) {
          this.sysex = null; // broken sysex: resync on this command
          this.onCommandByte(byte);
        } else {
          this.sysex.push(byte);
        }
        continue;
      }
      if (byte & 0x80) this.onCommandByte(byte);
      else if (this.pending.length > 0) {
        this.pending.push(byte);
        this.tryMessage();
      }
    }
  }

  private onCommandByte(byte: number): void {
    this.pending = [];
    if (byte === START_SYSEX) {
      this.sysex = [];
      return;
    }
    if (byte === REPORT_VERSION) {
      this.received.push(byte);
      this.sendVersion();
      return;
    }
    if (byte === SYSTEM_RESET) {
      this.received.push(byte);
      this.reportedPorts.clear();
      return;
    }
    this.pending = [byte];
  }

  private tryMessage(): void {
    const [command, a = 0, b = 0] = this.pending;
    if (command === undefined) return;
    const type = command < 0xf0 ? command & 0xf0 : command;
    const length = type === REPORT_ANALOG || type === REPORT_DIGITAL ? 2 : 3;
    if (this.pending.length < length) return;
    this.pending = [];
    this.received.push(command);
    switch (type) {
      case DIGITAL_MESSAGE:
        return this.writePort(command & 0x0f, a | (b << 7));
      case ANALOG_MESSAGE:
        return this.writePwm(command & 0x0f, a | (b << 7));
      case REPORT_DIGITAL:
        if (a) {
          this.reportedPorts.add(command & 0x0f);
          this.sendPort(command & 0x0f);
        } else this.reportedPorts.delete(command & 0x0f);
        return;
      case REPORT_ANALOG:
        return;
      case SET_PIN_MODE:
        return this.setMode(a, b);
      case SET_DIGITAL_PIN_VALUE:
        if (this.pins[a]?.mode === PIN_MODE.INPUT) return this.setPullup(a, b !== 0);
        return this.writeDigital(a, b ? 1 : 0);
    }
  }

  private onSysex(message: number[]): void {
    const [command, ...data] = message;
    if (command === undefined) return;
    this.received.push(START_SYSEX, command);
    switch (command) {
      case REPORT_FIRMWARE:
        return this.sendFirmware();
      case CAPABILITY_QUERY:
        return this.sendCapabilities();
      case ANALOG_MAPPING_QUERY:
        return this.sendAnalogMapping();
      case PIN_STATE_QUERY:
        if (data[0] !== undefined) this.sendPinState(data[0]);
        return;
      case EXTENDED_ANALOG: {
        const [pin, ...bits] = data;
        if (pin === undefined) return;
        const value = bits.reduce((sum, part, i) => sum | (part << (7 * i)), 0);
        return this.writePwm(pin, value);
      }
    }
  }

  private setMode(pin: number, mode: number): void {
    const state = this.pins[pin];
    if (!state) return;
    state.mode = mode;
    state.pullup = mode === PIN_MODE.INPUT_PULLUP;
    if (isInputMode(mode)) this.readInput(pin, state);
    this.record(pin, 'mode', mode);
  }

  /** What an input pin reads: the external level if something drives it, else its pull-up. */
  private readInput(pin: number, state: PinState): void {
    state.digital = this.inputLevels.get(pin) ?? (state.pullup ? 1 : 0);
  }

  private setPullup(pin: number, on: boolean): void {
    const state = this.pins[pin];
    if (!state || state.mode !== PIN_MODE.INPUT || state.pullup === on) return;
    state.pullup = on;
    this.readInput(pin, state);
  }

  private writePort(port: number, value: number): void {
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      const state = this.pins[pin];
      if (!state) continue;
      if (state.mode === PIN_MODE.INPUT) this.setPullup(pin, ((value >> bit) & 1) === 1);
      else if (state.mode === PIN_MODE.OUTPUT) this.writeDigital(pin, (value >> bit) & 1 ? 1 : 0);
    }
  }

  private writeDigital(pin: number, level: 0 | 1): void {
    const state = this.pins[pin];
    if (!state || isInputMode(state.mode) || state.digital === level) return;
    state.digital = level;
    this.record(pin, 'digital', level);
  }

  private writePwm(pin: number, value: number): void {
    const state = this.pins[pin];
    if (!state || state.pwm === value) return;
    state.pwm = value;
    this.record(pin, 'pwm', value);
  }
}

function isInputMode(mode: number): boolean {
  return mode === PIN_MODE.INPUT || mode === PIN_MODE.INPUT_PULLUP;
}
