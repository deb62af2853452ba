import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortCandidate {
  path: string;
  byId?: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** Why this looks like a ring sensor board (an Arduino or a common USB-serial chip), if it does. */
  likely?: string;
}

// USB vendor ids of the boards and USB-serial chips a ring sensor is usually built on.
const LIKELY_VENDORS: Record<string, string> = {
  '2341': 'Arduino',
  '2a03': 'Arduino (arduino.org)',
  '1a86': 'CH340 USB-serial (Nano clones)',
  '0403': 'FTDI USB-serial',
  '10c4': 'CP210x USB-serial',
};

/**
 * Serial ports on this machine. serialport's own listing needs `udevadm` on Linux (and its failure to spawn
 * it is an uncaught error), so without udevadm the ports are read from /dev and sysfs instead.
 */
export async function listSerialPorts(): Promise<SerialPortCandidate[]> {
  const ports = process.platform === 'linux' && !hasUdevadm() ? scanLinuxPorts() : await listWithSerialport();
  return ports.map((p) => {
    const likely = p.vendorId ? LIKELY_VENDORS[p.vendorId.toLowerCase()] : undefined;
    return likely ? { ...p, likely } : p;
  });
}

function hasUdevadm(): boolean {
  return spawnSync('sh', ['-c', 'command -v udevadm'], { stdio: 'ignore' }).status === 0;
}

async function listWithSerialport(): Promise<SerialPortCandidate[]> {
  return (await SerialPort.list()).map((p) => ({
    path: p.path,
    ...(p.vendorId ? { vendorId: p.vendorId } : {}),
    ...(p.productId ? { productId: p.productId } : {}),
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
  }));
}

function scanLinuxPorts(): SerialPortCandidate[] {
  const byId = new Map<string, string>();
  const idDir = '/dev/serial/by-id';
  if (existsSync(idDir)) {
    for (const name of readdirSync(idDir)) byId.set(realpathSync(join(idDir, name)), join(idDir, name));
  }
  const names = existsSync('/dev') ? readdirSync('/dev').filter((n) => /^tty(ACM|USB)\d+$/.test(n)) : [];
  return names.sort().map((name) => {
    const path = `/dev/${name}`;
    const usb = usbAttributes(name);
    return { path, ...(byId.has(path) ? { byId: byId.get(path)! } : {}), ...usb };
  });
}

/** idVendor, idProduct, manufacturer and serial of the USB device behind /sys/class/tty/<name>. */
function usbAttributes(name: string): Partial<SerialPortCandidate> {
  const deviceLink = `/sys/class/tty/${name}/device`;
  if (!existsSync(deviceLink)) return {};
  let dir = realpathSync(deviceLink);
  while (dir !== '/' && !existsSync(join(dir, 'idVendor'))) dir = dirname(dir);
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : undefined);
  const attributes: Partial<SerialPortCandidate> = {};
  const vendorId = read('idVendor'), productId = read('idProduct'), manufacturer = read('manufacturer'), serialNumber = read('serial');
  if (vendorId) attributes.vendorId = vendorId;
  if (productId) attributes.productId = productId;
  if (manufacturer) attributes.manufacturer = manufacturer;
  if (serialNumber) attributes.serialNumber = serialNumber;
  return attributes;
}
