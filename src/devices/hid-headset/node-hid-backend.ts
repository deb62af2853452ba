// The HidBackend on real machines: node-hid 3 (hidapi). On Linux the hidraw driver is used: it reports
// usagePage/usage, and its /dev/hidrawN paths lead to the report descriptor in sysfs.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import HID from 'node-hid';
import type { HidBackend, HidConnection, HidDeviceInfo, TelephonyFields } from './types.js';

const TELEPHONY_USAGE_PAGE = 0x0b;

export interface NodeHidBackendOptions {
  /** Linux only; hidraw (default) gives usage pages and report descriptors, libusb detaches kernel drivers. */
  driver?: 'hidraw' | 'libusb';
}

export class NodeHidBackend implements HidBackend {
  constructor(options: NodeHidBackendOptions = {}) {
    // Must happen before node-hid loads its binding (lazily, on first use); it is process-wide.
    if (process.platform === 'linux') HID.setDriverType(options.driver ?? 'hidraw');
  }

  list(): HidDeviceInfo[] {
    const found: HidDeviceInfo[] = [];
    for (const d of HID.devices()) {
      if (!d.path) continue;
      found.push({
        path: d.path,
        vendorId: d.vendorId,
        productId: d.productId,
        ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
        ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
        ...(d.product ? { product: d.product } : {}),
        ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}),
        ...(d.usage !== undefined ? { usage: d.usage } : {}),
        ...(d.interface !== undefined && d.interface >= 0 ? { interface: d.interface } : {}),
      });
    }
    return found;
  }

  open(path: string): HidConnection {
    return new NodeHidConnection(new HID.HID(path), path);
  }
}

/** Node-hid 3.4 has no report-descriptor call (hidapi's hid_get_report_descriptor is not bound); a later one may. */
type MaybeWithDescriptor = HID.HID & { getRawReportDescriptor?: () => number[] | Buffer };

class NodeHidConnection implements HidConnection {
  private readonly errorListeners: Array<(error: Error) => void> = [];
  private closed = false;

  constructor(
    private readonly hid: MaybeWithDescriptor,
    private readonly path: string,
  ) {
    // Attached at once: node-hid throws an 'error' event nobody listens to (a read failing on unplug).
    hid.on('error', (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      for (const listener of this.errorListeners) listener(err);
    });
  }

  onReport(listener: (report: Buffer) => void): void {
    this.hid.on('data', (data: Buffer) => listener(data));
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  write(report: number[]): void {
    this.hid.write(report);
  }

  sendFeatureReport(report: number[]): void {
    this.hid.sendFeatureReport(report);
  }

  reportDescriptor(): Buffer {
    if (typeof this.hid.getRawReportDescriptor === 'function') return Buffer.from(this.hid.getRawReportDescriptor());
    return readDescriptorFromSysfs(this.path);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hid.close();
  }
}

/** Linux hidraw: /dev/hidrawN → /sys/class/hidraw/hidrawN/device/report_descriptor (world-readable). */
export function readDescriptorFromSysfs(path: string): Buffer {
  const node = basename(path);
  if (process.platform !== 'linux' || !/^hidraw\d+$/.test(node)) {
    throw new Error(`report descriptor unavailable for ${path}: node-hid has no descriptor call; needs Linux hidraw`);
  }
  return readFileSync(`/sys/class/hidraw/${node}/device/report_descriptor`);
}

export type TelephonyDeviceListing =
  | { status: 'telephony'; device: HidDeviceInfo; fields: TelephonyFields | null; error?: string }
  | { status: 'unreadable'; device: HidDeviceInfo; error: string };

/**
 * HID devices that look like telephony headsets: usage page 0x0B, or a descriptor with telephony usages.
 * Devices that cannot be opened or read (permissions) are listed as `unreadable` rather than failing.
 */
export function listTelephonyDevices(backend: HidBackend, fieldsOf: (descriptor: Buffer) => TelephonyFields): TelephonyDeviceListing[] {
  const result: TelephonyDeviceListing[] = [];
  for (const device of backend.list()) {
    const byUsage = device.usagePage === TELEPHONY_USAGE_PAGE;
    let fields: TelephonyFields;
    try {
      const conn = backend.open(device.path);
      try {
        fields = fieldsOf(conn.reportDescriptor());
      } finally {
        try {
          conn.close();
        } catch {
          // already gone
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.push(byUsage ? { status: 'telephony', device, fields: null, error: message } : { status: 'unreadable', device, error: message });
      continue;
    }
    if (byUsage || fields.telephony || fields.inputs.hookSwitch || fields.inputs.flash) result.push({ status: 'telephony', device, fields });
  }
  return result;
}
