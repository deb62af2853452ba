import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { frame } from '../src/devices/ring-sensor/protocol.js';

export interface SensorEdge {
  /** ms after the timeline starts */
  at: number;
  channel: number;
  kind: 'ring' | 'hook';
  /** ring: on/off (burst); hook: off (off-hook) / on (on-hook) */
  state: 'on' | 'off';
}

/** The ring edges of `rings` full periods of a cadence on one channel, from `start`. */
export function cadenceEdges(channel: number, cadence: readonly number[], rings: number, start = 0): SensorEdge[] {
  const edges: SensorEdge[] = [];
  let t = start;
  for (let ring = 0; ring < rings; ring++) {
    for (let i = 0; i < cadence.length; i += 2) {
      edges.push({ at: t, channel, kind: 'ring', state: 'on' });
      edges.push({ at: t + cadence[i]!, channel, kind: 'ring', state: 'off' });
      t += cadence[i]! + cadence[i + 1]!;
    }
  }
  return edges;
}

/**
 * A ring sensor that speaks protocol v1 on the device side of a pseudo-terminal, like the Arduino firmware:
 * HELLO at start, a heartbeat every second, answers to PING and HELLO?, and ring/hook edges from a timeline.
 */
export class RingSensorEmulator {
  private port: SerialPort | null = null;
  private readonly bootedAt = performance.now();
  private seq = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private timers = new Set<NodeJS.Timeout>();
  /** A hung sensor: no heartbeats, no answers. */
  muted = false;
  readonly received: string[] = [];

  constructor(
    private readonly path: string,
    private readonly channels = 4,
  ) {}

  uptime(): number {
    return Math.floor(performance.now() - this.bootedAt);
  }

  async start(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.port = port;
    port.on('error', () => {});
    port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' })).on('data', (line: string) => this.onCommand(line.trim()));
    this.line(`HELLO thirdring-emulator 1.0.0 proto=1 channels=${this.channels}`);
    this.heartbeat = setInterval(() => {
      if (!this.muted) this.sendHeartbeat();
    }, 1000);
  }

  /** Plays edges at their times (relative to now); resolves after the last one. */
  play(edges: readonly SensorEdge[]): Promise<void> {
    const last = Math.max(0, ...edges.map((e) => e.at));
    for (const edge of edges) this.later(edge.at, () => this.edge(edge.channel, edge.kind, edge.state));
    return new Promise((resolve) => this.later(last + 1, resolve));
  }

  edge(channel: number, kind: 'ring' | 'hook', state: 'on' | 'off'): void {
    this.line(`${kind.toUpperCase()} ${channel} ${state.toUpperCase()} ${this.uptime()}`);
  }

  /** A protocol line with its checksum. */
  line(body: string): void {
    this.raw(frame(body));
  }

  /** Bytes as they are: for line noise and malformed input. */
  raw(data: string | Buffer): void {
    this.port?.write(data);
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.drain(() => port.close(() => resolve())));
  }

  private sendHeartbeat(): void {
    this.line(`HB ${this.seq++} ${this.uptime()}`);
  }

  private onCommand(line: string): void {
    this.received.push(line);
    if (this.muted) return;
    if (line === frame('PING').trim()) return this.sendHeartbeat();
    if (line === frame('HELLO?').trim()) return this.line(`HELLO thirdring-emulator 1.0.0 proto=1 channels=${this.channels}`);
    this.line(`ERR unknown ${line.slice(0, 40).replace(/\*/g, '')}`);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
