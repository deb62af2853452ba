// USB HID devices for a process that has none: a HidBackend whose devices are real report descriptors, whose
// output reports are printed on stdout and whose input reports are read from stdin. Lets `thirdring desk` run as
// its own process in tests and benches with the headset and light seam crossed, and nothing else faked.
//   stdout: `hid-write <path> <hex bytes> <wall-clock ms>` (performance.timeOrigin + now, comparable across processes)
//   stdin:  `hid-report <path> <hex bytes>`, `hid-unplug <path>`
import { createInterface } from 'node:readline';
import type { HidBackend, HidConnection, HidDeviceInfo } from '../src/devices/hid-headset/types.js';

export interface StdioHidDevice {
  info: HidDeviceInfo;
  descriptor: Buffer;
}

export class StdioHidBackend implements HidBackend {
  private readonly devices = new Map<string, StdioHidDevice>();
  private readonly connections = new Map<string, { report: (r: Buffer) => void; error: (e: Error) => void }>();

  constructor(devices: StdioHidDevice[], input: NodeJS.ReadableStream = process.stdin) {
    for (const d of devices) this.devices.set(d.info.path, d);
    createInterface({ input }).on('line', (line) => {
      const [command, path, hex] = line.split(' ');
      if (command === 'hid-report' && path && hex) this.connections.get(path)?.report(Buffer.from(hex, 'hex'));
      if (command === 'hid-unplug' && path) {
        this.devices.delete(path);
        this.connections.get(path)?.error(new Error('device unplugged'));
      }
    });
  }

  list(): HidDeviceInfo[] {
    return [...this.devices.values()].map((d) => ({ ...d.info }));
  }

  open(path: string): HidConnection {
    const device = this.devices.get(path);
    if (!device) throw new Error(`no such device: ${path}`);
    const listeners = { report: (_: Buffer) => {}, error: (_: Error) => {} };
    this.connections.set(path, listeners);
    return {
      onReport: (listener) => void (listeners.report = listener),
      onError: (listener) => void (listeners.error = listener),
      write: (report) => {
        const hex = Buffer.from(report).toString('hex');
        process.stdout.write(`hid-write ${path} ${hex} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
      },
      reportDescriptor: () => Buffer.from(device.descriptor),
      close: () => void this.connections.delete(path),
    };
  }
}
