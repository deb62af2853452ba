import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle } from '../../common/fault-throttle.js';
import type { Cadence } from '../../core/cadence.js';
import type { HidBackend, HidConnection, HidDeviceInfo } from '../hid-headset/types.js';
import { systemClock, type Clock } from '../../common/clock.js';
import { WholeRing } from '../whole-ring.js';
import { boxActivity, boxKeepAlive, KUANDO_BOX_PRODUCT_ID, KUANDO_BOX_VENDOR_ID, type BoxSettings } from './kuando-box-protocol.js';
import { closeQuietly, errorText } from '../hid-headset/hid-connection-kit.js';

export interface KuandoBoxOptions {
  backend: HidBackend;
  line: string;
  cadence: Cadence;
  /** One Box of several: by serial number or HID path. */
  serialNumber?: string;
  path?: string;
  settings: BoxSettings;
  /** Looks for the Box, and sends it a keep-alive, this often. */
  pollMs?: number;
  clock?: Clock;
}

const POLL_MS = 1000;

/**
 * A Kuando Busylight Box as the ring sensor of one line: while it reports line activity the line rings at its
 * cadence (WholeRing), and stops at once when activity ends. Found by USB id (hot-plug: looked for every poll);
 * unplugged or failing, it is reported offline and the line stops ringing.
 */
export class KuandoBox extends EventEmitter<{ input: [DeviceInput, number]; device: [DeviceEvent] }> {
  readonly counters = { reports: 0, dropped: 0, opens: 0 };
  private open: { conn: HidConnection; info: HidDeviceInfo } | null = null;
  private readonly ring: WholeRing;
  private readonly faults = new FaultThrottle(10_000);
  private cancelPoll: () => void = () => {};
  private stopped = true;

  constructor(private readonly options: KuandoBoxOptions) {
    super();
    this.ring = new WholeRing({ cadence: () => options.cadence, emit: (burst, at) => this.emit('input', burst, at), ...(options.clock ? { clock: options.clock } : {}) });
  }

  get name(): string {
    return `kuando-box:${this.options.line}`;
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  start(): void {
    this.stopped = false;
    this.poll();
  }

  stop(): void {
    this.stopped = true;
    this.cancelPoll();
    this.ring.stopAll();
    const open = this.open;
    this.open = null;
    if (open) closeQuietly(open.conn);
  }

  /** Opens the Box when it is listed, checks it is still there, and sends the keep-alive that carries its settings. */
  poll(): void {
    this.cancelPoll();
    if (this.stopped) return;
    this.cancelPoll = this.clock.wakeAt(this.clock.now() + (this.options.pollMs ?? POLL_MS), () => this.poll());
    let listed: HidDeviceInfo[];
    try {
      listed = this.options.backend.list();
    } catch (error) {
      return this.fault('list-failed', errorText(error));
    }
    if (this.open) {
      if (!listed.some((d) => d.path === this.open!.info.path)) return this.lose('unplugged');
      return this.keepAlive(this.open.conn);
    }
    const info = listed.find((d) => this.matches(d));
    if (info) this.tryOpen(info);
  }

  private matches(d: HidDeviceInfo): boolean {
    const { serialNumber, path } = this.options;
    return (
      d.vendorId === KUANDO_BOX_VENDOR_ID &&
      d.productId === KUANDO_BOX_PRODUCT_ID &&
      (serialNumber === undefined || d.serialNumber === serialNumber) &&
      (path === undefined || d.path === path)
    );
  }

  private tryOpen(info: HidDeviceInfo): void {
    let conn: HidConnection;
    try {
      conn = this.options.backend.open(info.path);
    } catch (error) {
      return this.fault('open-failed', `${info.path}: ${errorText(error)}`);
    }
    const open = { conn, info };
    this.open = open;
    this.counters.opens++;
    conn.onReport((report) => {
      if (this.open === open) this.report(report);
    });
    conn.onError((error) => {
      if (this.open === open) this.lose(`device error: ${error.message}`);
    });
    this.emit('device', { type: 'device', family: 'kuando-box', device: this.name, state: 'online', detail: `Kuando Busylight Box at ${info.path}` });
    this.keepAlive(conn);
  }

  private keepAlive(conn: HidConnection): void {
    try {
      conn.write(boxKeepAlive(this.options.settings));
    } catch (error) {
      this.lose(`write failed: ${errorText(error)}`);
    }
  }

  private report(report: Buffer): void {
    this.counters.reports++;
    const active = boxActivity(report);
    if (typeof active !== 'boolean') {
      this.counters.dropped++;
      return this.fault(active.refused, `dropped a ${report.length}-byte report starting ${report.subarray(0, 4).toString('hex')}`);
    }
    this.ring.set(this.options.line, 'box', active);
  }

  private lose(reason: string): void {
    const open = this.open;
    this.open = null;
    if (open) closeQuietly(open.conn);
    const ringing = this.ring.isRinging(this.options.line);
    this.ring.stopAll();
    this.emit('device', { type: 'device', family: 'kuando-box', device: this.name, state: 'offline', reason, ...(ringing ? { lines: [this.options.line] } : {}) });
  }

  private fault(reason: string, detail: string): void {
    const count = this.faults.count(reason, this.clock.now());
    if (count !== null) this.emit('device', { type: 'fault', family: 'kuando-box', device: this.name, reason, detail, count });
  }
}
