// A busylight on the HID seam: finds it by USB id (one of two identical lights by serial or path), writes each
// indication's plan (plans.ts), runs what the hardware cannot time itself (software blinks, the Kuando keep-alive,
// the blink(1) server tickle), reports online / offline / faults, and comes back after an unplug.
import { EventEmitter } from 'node:events';
import { Backoff } from '../../common/backoff.js';
import type { DeviceEvent } from '../../common/device-events.js';
import { FaultThrottle } from '../../common/fault-throttle.js';
import type { HidConnection, HidDeviceInfo } from '../hid-headset/types.js';
import { luxaforButton } from './luxafor.js';
import { modelNamed, modelOf, MODEL_NAMES, type BusylightModel } from './models.js';
import type { LightPlan, Report } from './plan.js';
import { planFor } from './plans.js';
import type { Busylight, BusylightEvents, BusylightIndication, BusylightTimers, OpenBusylightOptions } from './types.js';
import { closeQuietly, errorText } from '../hid-headset/hid-connection-kit.js';

const OFF: BusylightIndication = { alert: 'none', led: { color: 'off', pattern: 'off' }, buzzer: { pattern: 'off' } };

/** After a loss or while no light is found: look again after 1 s, doubling up to 8 s. */
const RESCAN = { minMs: 1000, maxMs: 8000 };

const globalTimers: BusylightTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Open {
  conn: HidConnection;
  info: HidDeviceInfo;
  model: BusylightModel;
}

export class BusylightDevice extends EventEmitter<BusylightEvents> implements Busylight {
  readonly counters = { writes: 0, writeErrors: 0, opens: 0, reports: 0, unknownReports: 0, keepAlives: 0 };

  private readonly timers: BusylightTimers;
  private readonly pollMs: number;
  private readonly backoff = new Backoff(RESCAN.minMs, RESCAN.maxMs);
  private readonly faults = new FaultThrottle(60_000);
  private open: Open | null = null;
  private indication: BusylightIndication = OFF;
  private stopped = false;
  private scanTimer: unknown = null;
  private cycleTimer: unknown = null;
  private keepAliveTimer: unknown = null;

  constructor(private readonly options: OpenBusylightOptions) {
    super();
    if (options.model !== undefined && !modelNamed(options.model)) {
      throw new Error(`unknown busylight model "${options.model}" (known: ${MODEL_NAMES.join(', ')})`);
    }
    this.timers = options.timers ?? globalTimers;
    this.pollMs = options.pollMs ?? 2000;
  }

  get online(): boolean {
    return this.open !== null;
  }

  get model(): string | null {
    return this.open?.model.name ?? null;
  }

  private get name(): string {
    return this.options.name ?? `busylight:${this.options.model ?? this.options.serial ?? this.options.path ?? 'any'}`;
  }

  start(): void {
    this.scan();
  }

  /** start() on the next timer tick. */
  startSoon(): void {
    if (this.scanTimer === null) this.scanTimer = this.timers.setTimeout(() => this.scan(), 0);
  }

  show(indication: BusylightIndication): void {
    this.indication = indication;
    if (this.open) this.apply();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clear('scanTimer');
    this.clearPlanTimers();
    const open = this.open;
    this.open = null;
    if (!open) return;
    // Best effort: leave the light dark and quiet (and a blink(1)'s tickle disarmed).
    try {
      for (const report of planFor(open.model, OFF).once) writeReport(open.conn, report);
    } catch {
      // unplugged already
    }
    closeQuietly(open.conn);
  }

  /** Looks for the light (when none is open) or checks it is still listed (when one is). */
  scan(): void {
    this.scanTimer = null;
    if (this.stopped) return;
    let listed: HidDeviceInfo[];
    try {
      listed = this.options.backend.list();
    } catch (error) {
      this.fault('list-failed', errorText(error));
      return this.rescanLater();
    }
    if (this.open) {
      const path = this.open.info.path;
      if (!listed.some((d) => d.path === path)) this.lose('unplugged');
      else this.scanTimer = this.timers.setTimeout(() => this.scan(), this.pollMs);
      return;
    }
    for (const info of this.candidates(listed)) {
      if (this.tryOpen(info)) {
        this.backoff.reset();
        this.clear('scanTimer');
        this.scanTimer = this.timers.setTimeout(() => this.scan(), this.pollMs);
        return;
      }
    }
    this.rescanLater();
  }

  private rescanLater(): void {
    if (this.stopped || this.scanTimer !== null) return;
    this.scanTimer = this.timers.setTimeout(() => this.scan(), this.backoff.next());
  }

  /** Listed busylights that fit the options, by path so the choice between identical lights is stable. */
  private candidates(listed: HidDeviceInfo[]): Array<HidDeviceInfo & { model: BusylightModel }> {
    const { model, serial, path } = this.options;
    return listed
      .map((d) => ({ ...d, model: modelOf(d) }))
      .filter((d): d is HidDeviceInfo & { model: BusylightModel } => d.model !== null)
      .filter((d) => (model === undefined || d.model.name === model || sameIds(d.model, modelNamed(model)!)) && (serial === undefined || d.serialNumber === serial) && (path === undefined || d.path === path))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private tryOpen(info: HidDeviceInfo & { model: BusylightModel }): boolean {
    let conn: HidConnection;
    try {
      conn = this.options.backend.open(info.path);
    } catch (error) {
      this.fault('open-failed', `${info.path}: ${errorText(error)}`);
      return false;
    }
    const { model, ...device } = info;
    // An explicitly named model wins over the product string (a Luxafor whose product string says nothing useful).
    const chosen = this.options.model !== undefined ? modelNamed(this.options.model)! : model;
    const open: Open = { conn, info: device, model: chosen };
    this.open = open;
    this.counters.opens++;
    conn.onError((error) => {
      if (this.open === open) this.lose(`device error: ${error.message}`);
    });
    conn.onReport((report) => {
      if (this.open !== open) return;
      this.counters.reports++;
      const press = chosen.button ? luxaforButton(report, this.options.now()) : null;
      if (press) this.emit('button', press);
      else this.counters.unknownReports++;
    });
    const serial = device.serialNumber ? `, serial ${device.serialNumber}` : '';
    this.emitDevice({ type: 'device', family: 'busylight', device: this.name, state: 'online', detail: `${chosen.label} at ${device.path}${serial}` });
    this.apply();
    return this.open === open;
  }

  /** Writes the current indication's plan and starts its timers. */
  private apply(): void {
    const open = this.open;
    if (!open) return;
    this.clearPlanTimers();
    const plan = planFor(open.model, this.indication);
    if (!this.write(plan.once)) return;
    if (plan.cycle.length > 0) this.runCycle(plan, 0);
    if (this.open && plan.keepAlive) {
      const keep = plan.keepAlive;
      if (keep.atStart && !this.write(keep.reports)) return;
      const tick = () => {
        this.keepAliveTimer = null;
        this.counters.keepAlives++;
        if (this.write(keep.reports)) this.keepAliveTimer = this.timers.setTimeout(tick, keep.everyMs);
      };
      this.keepAliveTimer = this.timers.setTimeout(tick, keep.everyMs);
    }
  }

  private runCycle(plan: LightPlan, index: number): void {
    this.cycleTimer = null;
    const step = plan.cycle[index]!;
    if (!this.write(step.reports)) return;
    this.cycleTimer = this.timers.setTimeout(() => this.runCycle(plan, (index + 1) % plan.cycle.length), step.holdMs);
  }

  /** False (and the light lost) when a write fails. */
  private write(reports: Report[]): boolean {
    const open = this.open;
    if (!open) return false;
    try {
      for (const report of reports) {
        writeReport(open.conn, report);
        this.counters.writes++;
      }
      return true;
    } catch (error) {
      this.counters.writeErrors++;
      this.lose(`write failed: ${errorText(error)}`);
      return false;
    }
  }

  private lose(reason: string): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    this.clearPlanTimers();
    closeQuietly(open.conn);
    this.emitDevice({ type: 'device', family: 'busylight', device: this.name, state: 'offline', reason });
    if (this.scanTimer !== null) this.clear('scanTimer');
    this.rescanLater();
  }

  private clearPlanTimers(): void {
    this.clear('cycleTimer');
    this.clear('keepAliveTimer');
  }

  private clear(which: 'scanTimer' | 'cycleTimer' | 'keepAliveTimer'): void {
    if (this[which] !== null) this.timers.clearTimeout(this[which]);
    this[which] = null;
  }

  private fault(reason: string, detail: string): void {
    const count = this.faults.count(reason, this.options.now());
    if (count !== null) this.emitDevice({ type: 'fault', family: 'busylight', device: this.name, reason, detail, count });
  }

  private emitDevice(event: DeviceEvent): void {
    this.emit('device', event);
  }
}

function sameIds(a: BusylightModel, b: BusylightModel): boolean {
  return a.ids.some((x) => b.ids.some((y) => x.vendorId === y.vendorId && x.productId === y.productId));
}

function writeReport(conn: HidConnection, report: Report): void {
  if (report.kind === 'output') return conn.write(report.bytes);
  if (!conn.sendFeatureReport) throw new Error('this HID backend cannot write feature reports');
  conn.sendFeatureReport(report.bytes);
}

/**
 * Opens the busylight the options name (or the first one found) and keeps it: the shown indication survives an
 * unplug and is written again when the light comes back. The first look for the light is made on a timer of 0 ms,
 * so listeners attached right after this call see the first online event.
 */
export function openBusylight(options: OpenBusylightOptions): Busylight {
  const light = new BusylightDevice(options);
  light.startSoon();
  return light;
}
