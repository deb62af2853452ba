import { EventEmitter } from 'node:events';
import type { Command, DeskAlert } from '../../core/types.js';
import type { DeviceEvent, DeviceInput } from '../../common/device-events.js';
import { FaultThrottle } from '../../common/fault-throttle.js';
import { readField, usesReportIds, writeOutputReport } from './report-bits.js';
import type { HidBackend, HidConnection, HidDeviceInfo, ReportField, TelephonyFields } from './types.js';
import { closeQuietly, errorText } from './hid-connection-kit.js';

export interface HidHeadsetMatch {
  path?: string;
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
}

export interface HidHeadsetOptions {
  backend: HidBackend;
  /** The desk this headset answers for. */
  desk: string;
  /** Which listed device is this desk's headset: every given property must match. */
  match: HidHeadsetMatch;
  /** The report-descriptor parser (telephony-fields.ts in production). */
  fieldsOf: (descriptor: Buffer) => TelephonyFields;
  now: () => number;
  /** How often the device list is polled for the headset appearing or going away. */
  pollMs?: number;
  /** Name in device events; defaults to `headset:<desk>`. */
  name?: string;
}

export interface HidHeadsetEvents {
  input: [input: DeviceInput, at: number];
  device: [event: DeviceEvent];
}

/**
 * Within this long after the host changed the Off-Hook (or Hold) LED, a hook (or hold) report confirming it is the
 * headset's echo.
 */
export const ECHO_WINDOW_MS = 500;

const TELEPHONY_USAGE_PAGE = 0x0b;

interface Leds {
  ring: boolean;
  offHook: boolean;
  hold: boolean;
}

/** An input that follows an LED: absolute (the field's value is the state) or a button whose presses toggle it. */
interface StateInput {
  field: ReportField;
  mode: 'absolute' | 'toggle';
}

/** What the host just asserted on an LED: a report matching it before `until` is the headset's echo. */
interface Echo {
  state: boolean;
  until: number;
}

interface Open {
  conn: HidConnection;
  info: HidDeviceInfo;
  fields: TelephonyFields;
  reportIds: boolean;
  /** Input report IDs the descriptor declares (only meaningful with report IDs). */
  knownInputIds: Set<number>;
  hook: StateInput;
  /** Telephony Hold, or Flash on a headset that also has a Hook Switch; null when the headset cannot hold. */
  hold: StateInput | null;
  /** The hold field's value in the previous report that carried it: a toggle is a press (0→1), not a level. */
  lastHoldValue: number;
  /** What the device's LEDs show (what was last written; all off when just opened). */
  leds: Leds;
  /** Set when a write changed the Off-Hook / Hold LED. */
  echo: { offHook: Echo | null; hold: Echo | null };
}

/**
 * A USB/Bluetooth telephony headset (HID usage page 0x0B) as a desk's answer button: its hook switch (or, on
 * headsets without one, its Flash button) becomes hook off/on for the desk, its Hold button (or Flash, when the
 * headset also has a hook switch) puts the call on hold and back, and the bridge's indications drive its Ring
 * LED; Off-Hook and Hold LEDs follow the desk's call. Polls the device list, opens the headset when it appears,
 * reopens after errors.
 */
export class HidHeadset extends EventEmitter<HidHeadsetEvents> {
  readonly counters = { reports: 0, badReports: 0, echoesSuppressed: 0, writes: 0, opens: 0, deviceErrors: 0 };

  private readonly options: Required<Omit<HidHeadsetOptions, 'name'>> & { name: string };
  private readonly faults = new FaultThrottle();
  /** Open/list failures recur on every poll (e.g. no permission): reported once a minute, counted always. */
  private readonly pollFaults = new FaultThrottle(60_000);
  private timer: NodeJS.Timeout | null = null;
  private open: Open | null = null;
  /** Paths that are not telephony headsets: not retried until they leave the device list. */
  private readonly rejected = new Set<string>();
  /** The desk's hook state as emitted. */
  private offHook = false;
  /**
   * Whether the call at this desk is on hold, as emitted; only ever true while off-hook. Kept here rather than
   * read back from the core's indications: those show 'hold' only from the first reminder on, and 'yours' wins.
   */
  private held = false;
  private alert: DeskAlert = 'none';

  constructor(options: HidHeadsetOptions) {
    super();
    this.options = { pollMs: 2000, name: `headset:${options.desk}`, ...options };
  }

  get device(): string {
    return this.options.name;
  }

  get isOnline(): boolean {
    return this.open !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.options.pollMs);
    this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const open = this.open;
    this.open = null;
    if (open) closeQuietly(open.conn);
  }

  /** The bridge's indication for a desk: Ring LED while the desk's alert is 'yours'. Other desks are ignored. */
  indicate(command: Pick<Command, 'desk' | 'alert'>): void {
    if (command.desk !== this.options.desk) return;
    this.alert = command.alert;
    this.applyLeds();
  }

  /** Looks for the headset (when not open) or checks it is still there (when open). */
  poll(): void {
    let listed: HidDeviceInfo[];
    try {
      listed = this.options.backend.list();
    } catch (error) {
      this.reportFault('list-failed', errorText(error), this.pollFaults);
      return;
    }
    const paths = new Set(listed.map((d) => d.path));
    for (const path of this.rejected) if (!paths.has(path)) this.rejected.delete(path);
    if (this.open) {
      if (!paths.has(this.open.info.path)) this.lose('unplugged');
      return;
    }
    const candidates = listed
      .filter((d) => this.matches(d) && !this.rejected.has(d.path))
      // A headset has several HID interfaces; try the telephony one first.
      .sort((a, b) => Number(b.usagePage === TELEPHONY_USAGE_PAGE) - Number(a.usagePage === TELEPHONY_USAGE_PAGE));
    for (const info of candidates) if (this.tryOpen(info)) return;
  }

  private matches(d: HidDeviceInfo): boolean {
    const m = this.options.match;
    return (
      (m.path === undefined || m.path === d.path) &&
      (m.vendorId === undefined || m.vendorId === d.vendorId) &&
      (m.productId === undefined || m.productId === d.productId) &&
      (m.serialNumber === undefined || m.serialNumber === d.serialNumber)
    );
  }

  private tryOpen(info: HidDeviceInfo): boolean {
    let conn: HidConnection;
    try {
      conn = this.options.backend.open(info.path);
    } catch (error) {
      this.reportFault('open-failed', `${info.path}: ${errorText(error)}`, this.pollFaults);
      return false;
    }
    let fields: TelephonyFields;
    try {
      fields = this.options.fieldsOf(conn.reportDescriptor());
    } catch (error) {
      closeQuietly(conn);
      this.reportFault('descriptor-unreadable', `${info.path}: ${errorText(error)}`, this.pollFaults);
      return false;
    }
    const { hookSwitch, flash, hold } = fields.inputs;
    const hookField = hookSwitch ?? flash;
    // Flash is what softphones use as hold on headsets that have a hook switch too (Jabra Link 380c); on headsets
    // where Flash is the only call button (Apple EarPods) it is the hook toggle, and there is no hold.
    const holdField = hold ?? (hookSwitch && flash ? flash : null);
    if (!hookField) {
      closeQuietly(conn);
      this.rejected.add(info.path);
      this.reportFault('not a telephony headset', `${describe(info)}: no Hook Switch or Flash input`);
      return false;
    }
    const reportIds = usesReportIds(fields);
    const knownInputIds = new Set<number>(Object.keys(fields.inputReportBytes ?? {}).map(Number));
    for (const field of Object.values(fields.inputs)) if (field) knownInputIds.add(field.reportId);
    const open: Open = {
      conn,
      info,
      fields,
      reportIds,
      knownInputIds,
      // Flash (Apple EarPods and the like) is a button: each press toggles, like a relative hook switch.
      hook: { field: hookField, mode: hookSwitch && !hookSwitch.relative ? 'absolute' : 'toggle' },
      // A real Hold usage may be a switch (absolute) or a button; Flash is always a button.
      hold: holdField ? { field: holdField, mode: hold && !hold.relative ? 'absolute' : 'toggle' } : null,
      lastHoldValue: 0,
      leds: { ring: false, offHook: false, hold: false },
      echo: { offHook: null, hold: null },
    };
    this.open = open;
    this.offHook = false;
    this.held = false;
    this.counters.opens++;
    conn.onReport((report) => {
      if (this.open === open) this.onReport(open, report);
    });
    conn.onError((error) => {
      if (this.open !== open) return;
      this.counters.deviceErrors++;
      this.lose(`device error: ${error.message}`);
    });
    this.emit('device', { type: 'device', family: 'hid-headset', device: this.device, state: 'online', detail: describe(info) });
    this.applyLeds(); // e.g. already ringing for this desk when plugged in
    return true;
  }

  private onReport(open: Open, report: Buffer): void {
    const now = this.options.now();
    this.counters.reports++;
    if (open.reportIds) {
      const id = report[0];
      if (id === undefined || !open.knownInputIds.has(id)) {
        return this.badReport('unknown-report-id', report, now);
      }
      const expected = open.fields.inputReportBytes?.[id];
      // Shorter than declared is garbage; longer is tolerated (some stacks pad reports to the longest one).
      if (expected !== undefined && report.length < 1 + expected) return this.badReport('short-report', report, now);
    }
    // Hook and hold may share a report (Jabra: both in report 2) or not; other reports (volume…) carry neither.
    const carries = (field: ReportField) => !open.reportIds || report[0] === field.reportId;
    const hookValue = carries(open.hook.field) ? readField(report, open.hook.field, open.reportIds) : undefined;
    const holdValue = open.hold && carries(open.hold.field) ? readField(report, open.hold.field, open.reportIds) : undefined;
    if (hookValue === null || holdValue === null) return this.badReport('short-report', report, now);
    // Hook first: a report that hangs up also ends any hold, so a Flash bit in it means nothing.
    if (hookValue !== undefined) this.onHookValue(open, hookValue, now);
    // (The hook change may have lost the device: a failed LED write.)
    if (holdValue !== undefined && this.open === open) this.onHoldValue(open, open.hold!, holdValue, now);
  }

  private onHookValue(open: Open, value: number, now: number): void {
    const echo = open.echo.offHook && now <= open.echo.offHook.until ? open.echo.offHook : null;
    if (open.hook.mode === 'absolute') {
      const off = value !== 0;
      if (off === this.offHook) return;
      // A report confirming what the host just asserted is an echo of the LED write, never a hook change.
      if (echo && off === echo.state) {
        this.counters.echoesSuppressed++;
        return;
      }
      this.setHook(off, now);
    } else {
      if (value === 0) return; // release of a one-shot button
      if (echo) {
        // A toggle right after the host changed the Off-Hook LED is the headset echoing it, not a press.
        open.echo.offHook = null;
        this.counters.echoesSuppressed++;
        return;
      }
      this.setHook(!this.offHook, now);
    }
  }

  private onHoldValue(open: Open, hold: StateInput, value: number, now: number): void {
    const previous = open.lastHoldValue;
    open.lastHoldValue = value;
    // Hold is about the call at this desk: with none (on-hook), Hold/Flash presses mean nothing here.
    if (!this.offHook) return;
    const echo = open.echo.hold && now <= open.echo.hold.until ? open.echo.hold : null;
    if (hold.mode === 'absolute') {
      const on = value !== 0;
      if (on === this.held) return;
      if (echo && on === echo.state) {
        this.counters.echoesSuppressed++;
        return;
      }
      this.setHold(on, now);
    } else {
      // A press is the edge 0→1: the Flash bit stays set in every report while the button is down (Jabra: report
      // 2 also carries the hook switch), and those reports must not toggle again.
      if (value === 0 || previous !== 0) return;
      if (echo) {
        // Whether headsets echo the Hold LED as a press (as some echo Off-Hook as a hook toggle) is not known;
        // assume they may. Swallowing a real second press within the window leaves the caller held and the LED
        // saying so (press again); a phantom toggle would take them off hold unnoticed and stop the reminders.
        open.echo.hold = null;
        this.counters.echoesSuppressed++;
        return;
      }
      this.setHold(!this.held, now);
    }
  }

  private setHook(off: boolean, at: number): void {
    this.offHook = off;
    // Hanging up ends the hold too, without a 'hold off' of ours: the core ends the call and releases its hold
    // itself (a 'hold' off decision with heldMs, then 'ended'). Sending 'hold off' first would log the caller
    // as taken off hold before the hang-up; sending it after would reach a desk with no call (an ignored event).
    if (!off) this.held = false;
    this.emit('input', { type: 'hook', desk: this.options.desk, state: off ? 'off' : 'on' }, at);
    this.applyLeds();
  }

  private setHold(on: boolean, at: number): void {
    this.held = on;
    this.emit('input', { type: 'hold', desk: this.options.desk, state: on ? 'on' : 'off' }, at);
    this.applyLeds();
  }

  /** Writes the LEDs the desk's state calls for, when they differ from what the device shows. */
  private applyLeds(): void {
    const open = this.open;
    if (!open) return;
    // Off-Hook stays lit while held: some Jabra headsets answer an Off-Hook LED cleared for hold with Hook
    // Switch off, which would hang the held call up (the Hold LED alone says "held").
    const want: Leds = { ring: this.alert === 'yours' && !this.offHook, offHook: this.offHook, hold: this.held };
    if (want.ring === open.leds.ring && want.offHook === open.leds.offHook && want.hold === open.leds.hold) return;
    const reports = writeOutputReport(open.fields, want);
    try {
      for (const report of reports) {
        open.conn.write(report);
        this.counters.writes++;
      }
    } catch (error) {
      this.counters.deviceErrors++;
      this.lose(`write failed: ${errorText(error)}`);
      return;
    }
    const until = this.options.now() + ECHO_WINDOW_MS;
    if (want.offHook !== open.leds.offHook && open.fields.outputs.offHook) open.echo.offHook = { state: want.offHook, until };
    if (want.hold !== open.leds.hold && open.fields.outputs.hold) open.echo.hold = { state: want.hold, until };
    open.leds = want;
  }

  /** The device went away (unplugged, failed): close it, report offline; the next poll reopens it when listed. */
  private lose(reason: string): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    closeQuietly(open.conn);
    this.emit('device', { type: 'device', family: 'hid-headset', device: this.device, state: 'offline', reason });
    // Lost mid-call: the headset can no longer tell us it hung up, so the desk would stay off-hook (busy) for
    // good. Hang up for it now; the core ends the call. (If the headset comes back still off-hook, an absolute
    // hook switch reports only on change, so the next hang-up/answer cycle resynchronises.) A held call ends
    // the same way: the core releases the hold with the call, so no 'hold off' is sent (see setHook).
    this.held = false;
    if (this.offHook) {
      this.offHook = false;
      this.emit('input', { type: 'hook', desk: this.options.desk, state: 'on' }, this.options.now());
    }
  }

  private badReport(reason: string, report: Buffer, at: number): void {
    this.counters.badReports++;
    this.reportFault(`bad-report:${reason}`, report.subarray(0, 32).toString('hex'), this.faults, at);
  }

  private reportFault(reason: string, detail: string, throttle = this.faults, at = this.options.now()): void {
    const count = throttle.count(reason, at);
    if (count !== null) this.emit('device', { type: 'fault', family: 'hid-headset', device: this.device, reason, detail, count });
  }
}

function describe(info: HidDeviceInfo): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  const name = [info.manufacturer, info.product].filter(Boolean).join(' ');
  return name || `${hex(info.vendorId)}:${hex(info.productId)}`;
}
