// A fake HidBackend: devices can be plugged and unplugged, their connections record output reports and can be
// made to deliver input reports and errors.
import type { HidBackend, HidConnection, HidDeviceInfo } from '../../src/devices/hid-headset/types.js';

export class FakeHidConnection implements HidConnection {
  closed = false;
  private readonly reportListeners: Array<(report: Buffer) => void> = [];
  private readonly errorListeners: Array<(error: Error) => void> = [];

  constructor(readonly device: FakeHidDevice) {}

  onReport(listener: (report: Buffer) => void): void {
    this.reportListeners.push(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  write(report: number[]): void {
    if (this.closed) throw new Error('write to a closed device');
    if (this.device.writeError) throw this.device.writeError;
    this.device.written.push([...report]);
  }

  reportDescriptor(): Buffer {
    return Buffer.from(this.device.descriptor);
  }

  close(): void {
    this.closed = true;
  }

  /** Delivers an input report (ignored once closed, like a real device). */
  deliver(report: Buffer): void {
    if (!this.closed) for (const listener of this.reportListeners) listener(report);
  }

  fail(error: Error): void {
    if (!this.closed) for (const listener of this.errorListeners) listener(error);
  }
}

export class FakeHidDevice {
  readonly connections: FakeHidConnection[] = [];
  /** Every output report written to this device, over all its connections. */
  readonly written: number[][] = [];
  writeError: Error | null = null;
  openError: Error | null = null;

  constructor(
    readonly info: HidDeviceInfo,
    readonly descriptor: Buffer,
  ) {}

  /** The connection the adapter currently holds open, if any. */
  get connection(): FakeHidConnection | undefined {
    return this.connections.filter((c) => !c.closed).at(-1);
  }

  /** Sends an input report to the open connection. */
  send(bytes: number[]): void {
    this.connection?.deliver(Buffer.from(bytes));
  }

  fail(message: string): void {
    this.connection?.fail(new Error(message));
  }
}

export class FakeHidBackend implements HidBackend {
  readonly devices = new Map<string, FakeHidDevice>();
  listError: Error | null = null;

  plug(info: Partial<HidDeviceInfo> & { path: string }, descriptor: Buffer | string): FakeHidDevice {
    const device = new FakeHidDevice(
      { vendorId: 0, productId: 0, ...info },
      typeof descriptor === 'string' ? Buffer.from(descriptor) : descriptor,
    );
    this.devices.set(info.path, device);
    return device;
  }

  /** Removes the device from the list; its open connections stop delivering. */
  unplug(path: string): void {
    const device = this.devices.get(path);
    this.devices.delete(path);
    for (const c of device?.connections ?? []) c.closed = true;
  }

  list(): HidDeviceInfo[] {
    if (this.listError) throw this.listError;
    return [...this.devices.values()].map((d) => ({ ...d.info }));
  }

  open(path: string): HidConnection {
    const device = this.devices.get(path);
    if (!device) throw new Error(`no such device: ${path}`);
    if (device.openError) throw device.openError;
    const connection = new FakeHidConnection(device);
    device.connections.push(connection);
    return connection;
  }
}
