import { EventEmitter } from 'node:events';
import { SerialPortStream } from '@serialport/stream';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle, quoteUntrusted } from '../../common/fault-throttle.js';
import { Reconnecting } from '../../common/reconnecting.js';
import { readLines } from './line-reader.js';
import { loopReadBinding } from './loop-read-binding.js';
import { frame, parseWithResync, type BadLineReason, type SensorMessage } from './protocol.js';
import { UptimeMap } from './uptime-map.js';

export interface SerialRingSensorOptions {
  path: string;
  baudRate?: number;
  /** Sensor channel (1-based) → the line id it watches. */
  lines: ReadonlyMap<number, string>;
  now: () => number;
  /** No heartbeat for this long (three missed at 1 per second) → offline. */
  offlineAfterMs?: number;
  /** Reconnect backoff after the port fails or closes. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface SerialRingSensorEvents {
  input: [input: DeviceInput, at: number];
  device: [event: DeviceEvent];
}

const PING_AFTER_SILENCE_MS = 1200;
/** The ERR codes of protocol v1 (README "Serial protocol v1"). */
const SENSOR_ERROR_CODES = new Set(['checksum', 'unknown', 'overflow', 'txfull']);

/**
 * An Arduino ring sensor on a serial port (protocol v1). Turns its lines into ring/hook input for the core,
 * drops and counts bad lines, watches heartbeats, and reopens the port with backoff when it goes away.
 */
export class SerialRingSensor extends EventEmitter<SerialRingSensorEvents> {
  readonly counters = { lines: 0, badLines: 0, resynced: 0, lostHeartbeats: 0, reconnects: 0 };
  readonly badLinesByReason: Partial<Record<BadLineReason, number>> = {};
  firmware: string | null = null;

  private port: SerialPortStream | null = null;
  private online = false;
  private readonly reconnecting: Reconnecting;
  private watchdog: NodeJS.Timeout | null = null;
  private lastLineAt = 0;
  private lastHeartbeatAt = 0;
  private lastSeq: number | null = null;
  private lastSensorMs = -1;
  private readonly uptime = new UptimeMap();
  private readonly ringing = new Set<number>();
  private readonly faults = new FaultThrottle();
  private readonly options: Required<SerialRingSensorOptions>;

  constructor(options: SerialRingSensorOptions) {
    super();
    this.options = { baudRate: 115200, offlineAfterMs: 3500, reconnectMinMs: 500, reconnectMaxMs: 10_000, ...options };
    this.reconnecting = new Reconnecting(() => this.open(), { minMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs });
  }

  get device(): string {
    return this.options.path;
  }

  start(): void {
    this.reconnecting.start();
    this.watchdog = setInterval(() => this.checkHeartbeat(), 250);
  }

  async stop(): Promise<void> {
    this.reconnecting.stop();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Sends a command line (`PING`, `HELLO?`) with its checksum. */
  send(body: string): void {
    if (this.port?.isOpen) this.port.write(frame(body));
  }

  private open(): void {
    const port = new SerialPortStream({ binding: loopReadBinding(), path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    this.port = port;
    readLines(port).on('data', (line: string) => this.onLine(line));
    port.on('close', () => this.onPortGone(port, 'port closed (unplugged?)'));
    port.on('error', (error) => this.onPortGone(port, error.message));
    port.open((error) => {
      if (error) return this.onPortGone(port, error.message);
      this.lastLineAt = this.lastHeartbeatAt = this.options.now();
      this.send('HELLO?');
    });
  }

  private onPortGone(port: SerialPortStream, reason: string): void {
    if (port !== this.port) return;
    this.port = null;
    if (port.isOpen) port.close(() => {});
    this.goOffline(reason);
    if (this.reconnecting.lost()) this.counters.reconnects++;
  }

  private onLine(raw: string): void {
    const arrivedAt = this.options.now();
    this.lastLineAt = arrivedAt;
    const parsed = parseWithResync(raw);
    if (!parsed.ok) {
      this.counters.badLines++;
      this.badLinesByReason[parsed.reason] = (this.badLinesByReason[parsed.reason] ?? 0) + 1;
      this.reportFault(`bad-line:${parsed.reason}`, () => JSON.stringify(parsed.line.slice(0, 100)), arrivedAt);
      return;
    }
    this.counters.lines++;
    if (parsed.resynced) this.counters.resynced++;
    this.onMessage(parsed.message, arrivedAt);
  }

  private onMessage(message: SensorMessage, arrivedAt: number): void {
    if ('ms' in message) {
      if (message.ms < this.lastSensorMs) this.sensorRebooted(arrivedAt);
      this.lastSensorMs = message.ms;
    }
    switch (message.kind) {
      case 'hello':
        this.firmware = `${message.firmware} ${message.version}`;
        if (message.proto !== 1) {
          this.reportFault('protocol', `sensor speaks proto=${message.proto}, bridge speaks 1`, arrivedAt);
        }
        return this.heard(arrivedAt);
      case 'hb':
        if (this.lastSeq !== null && message.seq > this.lastSeq + 1) {
          this.counters.lostHeartbeats += message.seq - this.lastSeq - 1;
          this.reportFault('lost-lines', `heartbeat ${this.lastSeq} → ${message.seq}: ${message.seq - this.lastSeq - 1} lost`, arrivedAt);
        }
        this.lastSeq = message.seq;
        this.uptime.toBridgeTime(message.ms, arrivedAt);
        return this.heard(arrivedAt);
      case 'err':
        // The code is the sensor's word: only the documented ones get a reason of their own (bounded keys).
        if (SENSOR_ERROR_CODES.has(message.code)) this.reportFault(`sensor:${message.code}`, message.text, arrivedAt);
        else this.reportFault('sensor:other', () => `${quoteUntrusted(message.code, 16)} ${message.text}`, arrivedAt);
        return;
      case 'ring':
      case 'hook': {
        this.heard(arrivedAt);
        const line = this.options.lines.get(message.channel);
        if (line === undefined) return;
        if (message.kind === 'ring') {
          if (message.state === 'on') this.ringing.add(message.channel);
          else this.ringing.delete(message.channel);
        }
        this.emit('input', { type: message.kind, line, state: message.state }, this.uptime.toBridgeTime(message.ms, arrivedAt));
      }
    }
  }

  /** `detail` may be a function: a flood of bad lines is counted, but only the reported one is described. */
  private reportFault(reason: string, detail: string | (() => string), at: number): void {
    const count = this.faults.count(reason, at);
    if (count === null) return;
    this.emit('device', { type: 'fault', family: 'ring-sensor', device: this.device, reason, detail: typeof detail === 'string' ? detail : detail(), count });
  }

  private heard(at: number): void {
    this.lastHeartbeatAt = at;
    this.reconnecting.answered();
    if (this.online) return;
    this.online = true;
    this.emit('device', { type: 'device', family: 'ring-sensor', device: this.device, state: 'online', ...(this.firmware ? { detail: this.firmware } : {}) });
  }

  private checkHeartbeat(): void {
    if (!this.port?.isOpen) return;
    const now = this.options.now();
    if (now - this.lastLineAt >= PING_AFTER_SILENCE_MS) this.send('PING');
    if (this.online && now - this.lastHeartbeatAt > this.options.offlineAfterMs) this.goOffline('no heartbeat for 3 s');
  }

  /** The sensor restarted (uptime went back): forget its clock, and end bursts it can no longer end. */
  private sensorRebooted(at: number): void {
    this.uptime.reset();
    this.lastSeq = null;
    this.endOpenBursts(at);
  }

  private goOffline(reason: string): void {
    const affected = [...this.ringing].map((ch) => this.options.lines.get(ch)).filter((l): l is string => l !== undefined);
    // A burst the sensor can no longer end would keep its call ringing forever: end it where it was last heard,
    // so the core closes the call (missed after the usual silence) instead of losing it.
    this.endOpenBursts(this.lastHeartbeatAt);
    if (!this.online) return;
    this.online = false;
    this.emit('device', { type: 'device', family: 'ring-sensor', device: this.device, state: 'offline', reason, ...(affected.length ? { lines: affected } : {}) });
  }

  private endOpenBursts(at: number): void {
    for (const channel of this.ringing) {
      const line = this.options.lines.get(channel);
      if (line !== undefined) this.emit('input', { type: 'ring', line, state: 'off' }, at);
    }
    this.ringing.clear();
  }
}
