// The Kuando Busylight Box through the HID seam: no USB device here, so a fake backend delivers hand-written
// 64-byte input reports (byte 0 = activity, see src/devices/kuando-box/kuando-box-protocol.ts for the sources).
import { describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { KuandoBoxFeature } from '../../src/bridge/device-features/kuando-box-feature.js';
import type { DeviceEvent, DeviceInput } from '../../src/common/device-events.js';
import type { Decision } from '../../src/core/index.js';
import { boxKeepAlive } from '../../src/devices/kuando-box/kuando-box-protocol.js';
import { KuandoBox } from '../../src/devices/kuando-box/kuando-box.js';
import { configProblems, tempDir } from '../helpers.js';
import { manualClock } from '../manual-clock.js';
import { FakeHidBackend } from './fake-hid.js';

const BOX = { path: '/dev/hidraw7', vendorId: 0x27bb, productId: 0x3bcc, serialNumber: 'KB-1' };
const report = (activity: number) => {
  const bytes = new Array<number>(64).fill(0);
  bytes[0] = activity;
  bytes.splice(1, 3, 0x30, 0x30, 0x32);
  return bytes;
};
const settings = { sensitivity: 4, timeoutSeconds: 4, triggerMs: 85 };

function box() {
  const backend = new FakeHidBackend();
  const time = manualClock(1000);
  const inputs: [DeviceInput, number][] = [];
  const devices: DeviceEvent[] = [];
  const driver = new KuandoBox({ backend, line: 'front', cadence: [1000, 4000], settings, clock: time.clock });
  driver.on('input', (input, at) => inputs.push([input, at]));
  driver.on('device', (event) => devices.push(event));
  return { backend, time, inputs, devices, driver };
}

describe('Kuando Busylight Box (27BB:3BCC) as a line activity sensor', () => {
  it("the keep-alive carries the Box settings, 0xFF pads and the checksum of bytes 0..61 (0x8F + 4 + 4 + 85 + 3 × 0xFF = 0x03E9)", () => {
    const bytes = boxKeepAlive(settings);
    expect(bytes).toHaveLength(65);
    expect(bytes.slice(0, 2)).toEqual([0x00, 0x8f]);
    expect(bytes.slice(57, 65)).toEqual([4, 4, 85, 0xff, 0xff, 0xff, 0x03, 0xe9]);
  });

  it('rings the line at its cadence while byte 0 says activity, and stops at once when it ends', () => {
    const { backend, time, inputs, devices, driver } = box();
    const device = backend.plug(BOX, Buffer.alloc(0));
    driver.start();
    expect(devices).toEqual([expect.objectContaining({ state: 'online', family: 'kuando-box', device: 'kuando-box:front' })]);
    expect(device.written).toEqual([boxKeepAlive(settings)]);
    device.send(report(0x30));
    expect(inputs).toEqual([]);
    device.send(report(0x31));
    time.advance(5500);
    device.send(report(0x31)); // still active: no new call, no restart of the cadence
    device.send(report(0x30));
    expect(inputs.map(([i, at]) => [at - 1000, i.type === 'ring' && i.state])).toEqual([
      [0, 'on'],
      [1000, 'off'],
      [5000, 'on'],
      [5500, 'off'],
    ]);
    expect(device.written.length).toBeGreaterThanOrEqual(5); // one keep-alive per poll
    driver.stop();
  });

  it('takes 0x01 as activity too (the issue says 1, the driver we cite reads the character "1")', () => {
    const { backend, inputs, driver } = box();
    const device = backend.plug(BOX, Buffer.alloc(0));
    driver.start();
    device.send(report(0x01));
    expect(inputs.map(([i]) => i)).toEqual([{ type: 'ring', line: 'front', state: 'on' }]);
    driver.stop();
  });

  it('drops bad reports (counted, one fault per reason and interval) and keeps going', () => {
    const { backend, inputs, devices, driver } = box();
    const device = backend.plug(BOX, Buffer.alloc(0));
    driver.start();
    device.send(report(0x7f));
    device.send(report(0x7f));
    device.send([0x31, 0x30]);
    device.send(report(0x31));
    expect(driver.counters.dropped).toBe(3);
    expect(devices.filter((e) => e.type === 'fault').map((e) => e.type === 'fault' && e.reason)).toEqual(['activity-byte', 'report-length']);
    expect(inputs).toHaveLength(1);
    driver.stop();
  });

  it('unplugged while ringing: offline, the line stops ringing; plugged back: online again', () => {
    const { backend, time, inputs, devices, driver } = box();
    const device = backend.plug(BOX, Buffer.alloc(0));
    driver.start();
    device.send(report(0x31));
    time.advance(500);
    backend.unplug(BOX.path);
    time.advance(1000);
    expect(devices.at(-1)).toMatchObject({ state: 'offline', reason: 'unplugged', lines: ['front'] });
    expect(inputs.at(-1)![0]).toEqual({ type: 'ring', line: 'front', state: 'off' });
    backend.plug(BOX, Buffer.alloc(0));
    time.advance(1000);
    expect(devices.at(-1)).toMatchObject({ state: 'online' });
    driver.stop();
  });

  it('through the bridge: ring 1 when activity starts, one ring per period, missed with a callback owed when it stops', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(BOX, Buffer.alloc(0));
    const time = manualClock(Date.parse('2026-03-02T10:00:00+01:00'));
    const config = parseConfig(`
site: t
timezone: Europe/Amsterdam
desks: [{ id: anna, at: [1, 0] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
kuandoBoxes: [{ line: front }]
`);
    const bridge = new Bridge({ ...config, dataDir: tempDir('thirdring-kuando-box-') }, time.clock);
    bridge.use(new KuandoBoxFeature(bridge, () => backend));
    const decisions: Decision[] = [];
    bridge.on('decision', (d) => decisions.push(d));
    await bridge.start();
    try {
      device.send(report(0x31));
      time.advance(10_500);
      device.send(report(0x30));
      time.advance(10_000);
      expect(decisions.filter((d) => d.type === 'ring').map((d) => d.type === 'ring' && d.ring)).toEqual([1, 2, 3]);
      expect(decisions.find((d) => d.type === 'missed')).toMatchObject({ line: 'front', rings: 3, desk: 'anna' });
      expect(decisions.some((d) => d.type === 'callback-owed')).toBe(true);
    } finally {
      await bridge.stop();
    }
  });

  it('config: the line must exist and have no serial sensor; several Boxes are named', () => {
    expect(
      configProblems(`
site: t
desks: [{ id: anna, at: [1, 0] }]
lines: [{ id: front, phone: { at: [0, 0] }, sensor: { serial: /dev/ttyUSB0, channel: 1 } }]
kuandoBoxes: [{ line: front }, { line: back, serialNumber: KB-2 }]
`),
    ).toEqual([
      'office.yaml: kuandoBoxes[0].line: line "front" already has a serial ring sensor',
      'office.yaml: kuandoBoxes[1].line: unknown line "back"',
      'office.yaml: kuandoBoxes: with more than one Box, name each by serialNumber or path',
    ]);
  });
});
