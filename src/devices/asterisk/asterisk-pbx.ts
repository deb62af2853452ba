import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle, quoteUntrusted } from '../../common/fault-throttle.js';
import { AmiCalls, type AmiCallMap } from './ami-calls.js';
import { AmiConnection, type AmiConnectionOptions } from './ami-connection.js';

export interface AsteriskPbxOptions extends AmiConnectionOptions {
  calls: AmiCallMap;
  now: () => number;
  /** Where the username and secret come from, named in the login fault (e.g. "asterisk.username / asterisk.secret"). */
  settings?: string;
}

export interface AsteriskPbxEvents {
  /** A call on `line` rings or stopped ringing (for whole-ring bursts). */
  ringing: [line: string, call: string, ringing: boolean];
  input: [input: DeviceInput, at: number];
  device: [event: DeviceEvent];
}

/**
 * An Asterisk (or FreePBX) PBX over AMI as a ring source: calls to a shared line ring it, answering at a desk's
 * extension is that desk off hook, the hangup puts it back on. Online once logged in; bad input is counted and
 * reported at most once a second per reason; a lost connection ends every call it was following and is opened
 * again with backoff.
 */
export class AsteriskPbx extends EventEmitter<AsteriskPbxEvents> {
  readonly counters = { events: 0, dropped: 0, refused: 0, reconnects: 0 };
  private readonly connection: AmiConnection;
  private readonly calls: AmiCalls;
  private readonly faults = new FaultThrottle();
  private online = false;
  private greeting: string | null = null;
  readonly device: string;

  constructor(private readonly options: AsteriskPbxOptions) {
    super();
    this.device = `${options.host}:${options.port}`;
    this.connection = new AmiConnection(options);
    this.calls = new AmiCalls(options.calls, {
      ringing: (line, call, ringing) => this.emit('ringing', line, call, ringing),
      input: (input) => this.emit('input', input, options.now()),
      dropped: (reason) => this.fault(reason, `more than the driver follows at once; this one is ignored`),
    });
    this.connection.on('up', (banner) => {
      this.online = true;
      this.greeting = banner;
      this.emit('device', { type: 'device', family: 'asterisk', device: this.device, state: 'online', detail: banner });
    });
    this.connection.on('down', (reason) => this.down(reason));
    this.connection.on('event', (message) => {
      this.counters.events++;
      this.calls.event(message);
    });
    this.connection.on('dropped', (reason, sample) => {
      this.counters.dropped++;
      this.fault(reason, () => `dropped an AMI message: ${quoteUntrusted(sample)}`);
    });
    this.connection.on('refused', (message) => {
      this.counters.refused++;
      const settings = options.settings ?? 'username / secret';
      this.fault('login-refused', () => `the PBX refused the AMI login of user ${JSON.stringify(options.username)} (${quoteUntrusted(message)}): check ${settings} against manager.conf`);
    });
    this.connection.on('notAmi', (banner) => this.fault('not-ami', () => `${this.device} greeted with ${quoteUntrusted(banner)}, not "Asterisk Call Manager/…": is this the AMI port?`));
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** The PBX's greeting at the last login ("Asterisk Call Manager/<AMI version>"). */
  get banner(): string | null {
    return this.greeting;
  }

  /** Calls followed now. */
  get activeCalls(): number {
    return this.calls.size;
  }

  start(): void {
    this.connection.start();
  }

  stop(): void {
    this.connection.stop();
  }

  private down(reason: string): void {
    // Calls in progress can no longer be followed: end them now, so a ringing line falls silent (a missed call
    // after the usual silence) and an answering desk is free again, instead of either lasting for ever.
    const ringing = this.calls.ringingLines();
    this.calls.endAll();
    if (reason === 'stopped') return;
    this.counters.reconnects++;
    if (!this.online) return;
    this.online = false;
    this.emit('device', { type: 'device', family: 'asterisk', device: this.device, state: 'offline', reason, ...(ringing.length ? { lines: ringing } : {}) });
  }

  private fault(reason: string, detail: string | (() => string)): void {
    const count = this.faults.count(reason, this.options.now());
    if (count === null) return;
    this.emit('device', { type: 'fault', family: 'asterisk', device: this.device, reason, detail: typeof detail === 'string' ? detail : detail(), count });
  }
}
