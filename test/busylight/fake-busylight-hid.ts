// The one mock allowed here (no USB device is available): a HidBackend whose lights can be plugged, unplugged and
// made to fail, recording every report written with its kind and the (fake) time it was written.
import type { HidBackend, HidConnection, HidDeviceInfo } from '../../src/devices/hid-headset/types.js';

export interface Written {
  kind: 'output' | 'feature';
  hex: string;
  at: number;
}

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

export class FakeLight {
  readonly written: Written[] = [];
  writeError: Error | null = null;
  openError: Error | null = null;
  connection: FakeConnection | null = null;
  opens = 0;

  constructor(readonly info: HidDeviceInfo) {}

  /** An input report from the light (the Luxafor Mute's button). */
  press(bytes: number[]): void {
    this.connection?.deliver(Buffer.from(bytes));
  }
}

class FakeConnection implements HidConnection {
  closed = false;
  private readonly reportListeners: Array<(report: Buffer) => void> = [];
  readonly errorListeners: Array<(error: Error) => void> = [];

  constructor(private readonly light: FakeLight) {}

  onReport(listener: (report: Buffer) => void): void {
    this.reportListeners.push(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  write(report: number[]): void {
    this.record('output', report);
  }

  sendFeatureReport(report: number[]): void {
    this.record('feature', report);
  }

  reportDescriptor(): Buffer {
    return Buffer.alloc(0);
  }

  close(): void {
    this.closed = true;
  }

  deliver(report: Buffer): void {
    if (!this.closed) for (const listener of this.reportListeners) listener(report);
  }

  private record(kind: 'output' | 'feature', report: number[]): void {
    if (this.closed) throw new Error('write to a closed device');
    if (this.light.writeError) throw this.light.writeError;
    this.light.written.push({ kind, hex: hex(report), at: Date.now() });
  }
}

export class FakeBusylightBackend implements HidBackend {
  readonly lights = new Map<string, FakeLight>();

  plug(info: Partial<HidDeviceInfo> & { path: string; vendorId: number; productId: number }): FakeLight {
    const light = new FakeLight({ ...info });
    this.lights.set(info.path, light);
    return light;
  }

  unplug(path: string): void {
    const light = this.lights.get(path);
    this.lights.delete(path);
    if (light?.connection) {
      light.connection.closed = true;
    }
  }

  list(): HidDeviceInfo[] {
    return [...this.lights.values()].map((l) => ({ ...l.info }));
  }

  open(path: string): HidConnection {
    const light = this.lights.get(path);
    if (!light) throw new Error(`could not open ${path}`);
    if (light.openError) throw light.openError;
    light.opens++;
    light.connection = new FakeConnection(light);
    return light.connection;
  }
}
