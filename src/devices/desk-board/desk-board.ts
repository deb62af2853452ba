import { EventEmitter } from 'node:events';
import firmataIo, { type Firmata } from 'firmata-io';
import five from 'johnny-five';
import { SerialPort } from 'serialport';
import type { Command, LedPattern } from '../../core/types.js';
import type { DeviceEvent } from '../../common/device-events.js';
import { Reconnecting } from '../../common/reconnecting.js';

export type LedPins = number | { red: number; green: number; blue: number };

/** One desk's indicator hardware on a board: an LED (single or RGB), an active buzzer, a push button. */
export interface DeskIndicator {
  desk: string;
  led?: LedPins;
  buzzer?: number;
  button?: number;
}

export interface DeskBoardOptions {
  /** Board id from the config (for logs). */
  id: string;
  path: string;
  desks: DeskIndicator[];
  baudRate?: number;
  /** Open → Firmata ready, else the board counts as failed and is reopened. */
  readyTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** A button held this long is a long press (`cover`) instead of a short one (`button`). */
  holdMs?: number;
}

export interface DeskBoardEvents {
  device: [event: DeviceEvent];
  /** A desk's button was pressed and let go before holdMs (the feature decides: ack or presence toggle). */
  button: [press: { desk: string }];
  /** A desk's button has been held for holdMs (still down): its cover button. Its release then does nothing. */
  cover: [press: { desk: string }];
}

/** Colour names the core uses → RGB hex. */
const COLORS: Record<string, string> = { blue: '#0000ff', amber: '#ffbf00', white: '#ffffff', red: '#ff0000', green: '#00ff00' };
const BLINK_MS: Partial<Record<LedPattern, number>> = { 'fast-blink': 125, 'slow-blink': 500, pulse: 1000 };
const BUZZER_CHIRP = { beeps: 2, onMs: 80, gapMs: 80, everyMs: 2000 };
const BUZZER_RING = { beeps: 2, onMs: 400, gapMs: 200, everyMs: 3000 };
const HANDSHAKE_FIRST_NUDGE_MS = 250;
const HANDSHAKE_NUDGE_MS = 1000;

const { Firmata: FirmataClass } = firmataIo;

interface DeskParts {
  led?: InstanceType<typeof five.Led> | InstanceType<typeof five.Led.RGB>;
  ledIsPwm: boolean;
  buzzer?: InstanceType<typeof five.Pin>;
  buzzerTimers: NodeJS.Timeout[];
  buzzerInterval?: NodeJS.Timeout;
  button?: InstanceType<typeof five.Button>;
}

/**
 * An Arduino running StandardFirmata that drives desk indicators through johnny-five (LED patterns, an active
 * buzzer, an acknowledge button). johnny-five gets an already-made Firmata IO over our serialport, with its REPL,
 * SIGINT handler and logging off, so it never takes over the process. Failing or closing ports are reported
 * offline and reopened with backoff; nothing here is fatal.
 */
export class DeskBoard extends EventEmitter<DeskBoardEvents> {
  readonly counters = { reconnects: 0, indications: 0 };
  firmware: string | null = null;

  private readonly options: Required<DeskBoardOptions>;
  private port: SerialPort | null = null;
  private io: Firmata | null = null;
  private board: InstanceType<typeof five.Board> | null = null;
  private parts = new Map<string, DeskParts>();
  private readonly current = new Map<string, Command>();
  private online = false;
  private readonly reconnecting: Reconnecting;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private readyTimer: NodeJS.Timeout | null = null;

  constructor(options: DeskBoardOptions) {
    super();
    this.options = { baudRate: 57600, readyTimeoutMs: 10_000, reconnectMinMs: 500, reconnectMaxMs: 10_000, holdMs: 1500, ...options };
    this.reconnecting = new Reconnecting(() => this.open(), { minMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs });
  }

  get device(): string {
    return this.options.path;
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** Desks this board drives. */
  get desks(): string[] {
    return this.options.desks.map((d) => d.desk);
  }

  start(): void {
    this.reconnecting.start();
  }

  async stop(): Promise<void> {
    this.reconnecting.stop();
    for (const parts of this.parts.values()) this.quiet(parts);
    const port = this.teardown();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Shows a core `indicate` command on the desk's LED and buzzer (remembered, and re-shown after a reconnect). */
  indicate(command: Command): void {
    if (!this.options.desks.some((d) => d.desk === command.desk)) return;
    this.current.set(command.desk, command);
    const parts = this.parts.get(command.desk);
    if (parts) this.show(parts, command);
  }

  private open(): void {
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    this.port = port;
    const io = new FirmataClass(port, { reportVersionTimeout: 60_000 });
    this.io = io;
    io.on('error', (error: Error) => this.onGone(port, error.message));
    port.on('close', () => this.onGone(port, 'port closed (unplugged?)'));
    port.on('error', (error) => this.onGone(port, error.message));
    io.once('ready', () => this.onFirmataReady(port, io));
    port.open((error) => {
      if (error) return this.onGone(port, error.message);
      // StandardFirmata announces itself (version, firmware) after its boot; if that went by before we listened
      // (or the board does not reset on open), ask: soon, then every second until the handshake is done.
      const nudge = (delay: number) => {
        this.handshakeTimer = setTimeout(() => {
          if (!io.versionReceived) io.reportVersion(() => {});
          nudge(HANDSHAKE_NUDGE_MS);
        }, delay);
      };
      nudge(HANDSHAKE_FIRST_NUDGE_MS);
      io.once('reportversion', () => setImmediate(() => {
        if (port === this.port && !io.firmware.name) io.queryFirmware(() => {});
      }));
      this.readyTimer = setTimeout(() => this.onGone(port, `no Firmata handshake within ${this.options.readyTimeoutMs} ms`), this.options.readyTimeoutMs);
    });
  }

  private onFirmataReady(port: SerialPort, io: Firmata): void {
    if (port !== this.port) return;
    this.clearHandshake();
    const { name, version } = io.firmware;
    this.firmware = name ? `${name}${version ? ` ${version.major}.${version.minor}` : ''}` : null;
    const board = new five.Board({ id: this.options.id, io, repl: false, debug: false, sigint: false, timeout: this.options.readyTimeoutMs });
    this.board = board;
    board.on('error', (error: Error) => this.onGone(port, error.message));
    board.once('ready', () => {
      if (port !== this.port) return;
      try {
        for (const desk of this.options.desks) this.parts.set(desk.desk, this.makeParts(board, io, desk));
      } catch (error) {
        return this.onGone(port, `pin setup failed: ${(error as Error).message}`);
      }
      this.reconnecting.answered();
      this.online = true;
      this.emit('device', { type: 'device', family: 'desk-board', device: this.device, state: 'online', ...(this.firmware ? { detail: this.firmware } : {}) });
      for (const [desk, command] of this.current) {
        const parts = this.parts.get(desk);
        if (parts) this.show(parts, command);
      }
    });
  }

  private makeParts(board: InstanceType<typeof five.Board>, io: Firmata, desk: DeskIndicator): DeskParts {
    const parts: DeskParts = { ledIsPwm: false, buzzerTimers: [] };
    if (typeof desk.led === 'number') {
      parts.led = new five.Led({ pin: desk.led, board });
      parts.ledIsPwm = io.pins[desk.led]?.supportedModes.includes(io.MODES.PWM) ?? false;
    } else if (desk.led) {
      parts.led = new five.Led.RGB({ pins: desk.led, board });
    }
    if (desk.buzzer !== undefined) {
      parts.buzzer = new five.Pin({ pin: desk.buzzer, board, type: 'digital', mode: io.MODES.OUTPUT });
      parts.buzzer.low();
    }
    if (desk.button !== undefined) {
      const button = new five.Button({ pin: desk.button, board, isPullup: true, holdtime: this.options.holdMs });
      parts.button = button;
      // A short press counts on release; a long one as soon as johnny-five says 'hold' (it repeats that every
      // holdtime while held: only the first counts), and then its release does nothing. A release without a
      // press (the pin's first report) is not a press.
      let down = false;
      let held = false;
      button.on('press', () => {
        down = true;
        held = false;
      });
      button.on('hold', () => {
        if (!down || held) return;
        held = true;
        this.emit('cover', { desk: desk.desk });
      });
      button.on('release', () => {
        if (down && !held) this.emit('button', { desk: desk.desk });
        down = held = false;
      });
    }
    return parts;
  }

  private show(parts: DeskParts, command: Command): void {
    this.counters.indications++;
    this.showLed(parts, command);
    this.showBuzzer(parts, command.buzzer.pattern);
  }

  private showLed(parts: DeskParts, command: Command): void {
    const led = parts.led;
    if (!led) return;
    const pattern = command.led.pattern;
    led.stop();
    if (pattern === 'off') {
      led.off();
      return;
    }
    if (led instanceof five.Led.RGB) led.color(COLORS[command.led.color] ?? command.led.color);
    led.on();
    if (pattern === 'solid') return;
    if (pattern === 'pulse' && led instanceof five.Led && parts.ledIsPwm) led.pulse(BLINK_MS.pulse ?? 1000);
    else led.blink(BLINK_MS[pattern] ?? 500);
  }

  /** Active buzzer (it makes its own tone): beeps are just HIGH for a while. */
  private showBuzzer(parts: DeskParts, pattern: Command['buzzer']['pattern']): void {
    const buzzer = parts.buzzer;
    if (!buzzer) return;
    this.quietBuzzer(parts);
    if (pattern === 'off') return;
    const { beeps, onMs, gapMs, everyMs } = pattern === 'ring' ? BUZZER_RING : BUZZER_CHIRP;
    const burst = () => {
      // The previous burst has ended by now (bursts are shorter than their period): keep only this one's timers.
      parts.buzzerTimers = [];
      for (let i = 0; i < beeps; i++) {
        const at = i * (onMs + gapMs);
        parts.buzzerTimers.push(
          setTimeout(() => buzzer.high(), at),
          setTimeout(() => buzzer.low(), at + onMs),
        );
      }
    };
    burst();
    parts.buzzerInterval = setInterval(burst, everyMs);
  }

  private quietBuzzer(parts: DeskParts): void {
    clearInterval(parts.buzzerInterval);
    for (const timer of parts.buzzerTimers) clearTimeout(timer);
    parts.buzzerTimers = [];
    parts.buzzerInterval = undefined;
    if (this.online) parts.buzzer?.low();
  }

  private quiet(parts: DeskParts): void {
    clearInterval(parts.buzzerInterval);
    for (const timer of parts.buzzerTimers) clearTimeout(timer);
    parts.buzzerTimers = [];
    parts.buzzerInterval = undefined;
    parts.led?.stop();
    // johnny-five keeps a held button's 'hold' timer until it reads a release: a board gone mid-hold must not
    // fire it at a desk later.
    parts.button?.removeAllListeners();
  }

  private clearHandshake(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.handshakeTimer = this.readyTimer = null;
  }

  /** Drops the current connection (timers, johnny-five board, Firmata listeners); returns its port. */
  private teardown(): SerialPort | null {
    this.clearHandshake();
    for (const parts of this.parts.values()) this.quiet(parts);
    this.parts.clear();
    if (this.board) {
      const cache = five.Board.cache;
      const index = cache.indexOf(this.board);
      if (index >= 0) cache.splice(index, 1);
      // An error being emitted right now still reaches johnny-five's io → board forwarder: keep a sink for it.
      this.board.removeAllListeners();
      this.board.on('error', () => {});
      this.board = null;
    }
    this.io?.removeAllListeners();
    this.io?.on('error', () => {});
    this.io = null;
    const port = this.port;
    this.port = null;
    return port;
  }

  private onGone(port: SerialPort, reason: string): void {
    if (port !== this.port) return;
    this.teardown();
    if (port.isOpen) port.close(() => {});
    if (this.online) {
      this.online = false;
      this.emit('device', { type: 'device', family: 'desk-board', device: this.device, state: 'offline', reason });
    } else if (this.counters.reconnects === 0) {
      // Never came up: say so once, so a wrong port shows in the log.
      this.emit('device', { type: 'device', family: 'desk-board', device: this.device, state: 'offline', reason });
    }
    if (this.reconnecting.lost()) this.counters.reconnects++;
  }
}
