import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceEvent, DeviceInput } from '../../src/devices/device-events.js';
import { HidHeadset } from '../../src/devices/hid-headset/headset.js';
import { listTelephonyDevices, NodeHidBackend } from '../../src/devices/hid-headset/node-hid-backend.js';
import { readField, writeOutputReport } from '../../src/devices/hid-headset/report-bits.js';
import type { ReportField, TelephonyFields } from '../../src/devices/hid-headset/types.js';
import { FakeHidBackend } from './fake-hid.js';

const bit = (reportId: number, bitOffset: number, relative = false): ReportField => ({ reportId, bitOffset, bitSize: 1, relative });

/** Jabra Link 380c: input report 2, hook switch bit 0 (absolute); output report 2 (2 data bytes): off-hook 0, speaker 1, mute 2, ring 3, hold 4. */
const JABRA: TelephonyFields = {
  telephony: true,
  inputs: { hookSwitch: bit(2, 0), phoneMute: bit(2, 2, true), flash: null },
  outputs: { offHook: bit(2, 0), mute: bit(2, 2), ring: bit(2, 3), hold: bit(2, 4) },
  outputReportBytes: { 2: 2 },
  inputReportBytes: { 1: 1, 2: 2 },
};
/** A headset whose hook switch is a relative (toggle) button. */
const TOGGLE: TelephonyFields = { ...JABRA, inputs: { hookSwitch: bit(2, 0, true), phoneMute: null, flash: null } };
/** Apple EarPods-style: no report IDs, Flash only (one-shot), no LEDs. */
const FLASH_ONLY: TelephonyFields = {
  telephony: true,
  inputs: { hookSwitch: null, phoneMute: null, flash: bit(0, 3, true) },
  outputs: { ring: null, offHook: null, mute: null, hold: null },
  inputReportBytes: { 0: 1 },
};
const KEYBOARD: TelephonyFields = {
  telephony: false,
  inputs: { hookSwitch: null, phoneMute: null, flash: null },
  outputs: { ring: null, offHook: null, mute: null, hold: null },
};
const LAYOUTS: Record<string, TelephonyFields> = { jabra: JABRA, toggle: TOGGLE, earpods: FLASH_ONLY, keyboard: KEYBOARD };
const fieldsOf = (descriptor: Buffer): TelephonyFields => {
  const layout = LAYOUTS[descriptor.toString()];
  if (!layout) throw new Error('unparseable descriptor');
  return layout;
};

const JABRA_INFO = { path: '/dev/hidraw3', vendorId: 0x0b0e, productId: 0x2456, manufacturer: 'GN Audio A/S', product: 'Jabra Link 380', usagePage: 0x0b };

describe('report bits', () => {
  it('reads a field of the right report, null for another report ID or a short report', () => {
    expect(readField(Buffer.from([2, 1, 0]), bit(2, 0), true)).toBe(1);
    expect(readField(Buffer.from([2, 0b1000, 0]), bit(2, 3), true)).toBe(1);
    expect(readField(Buffer.from([2, 0, 1]), bit(2, 8), true)).toBe(1);
    expect(readField(Buffer.from([3, 1, 0]), bit(2, 0), true)).toBeNull();
    expect(readField(Buffer.from([2]), bit(2, 0), true)).toBeNull();
    expect(readField(Buffer.from([0b1000]), bit(0, 3), false)).toBe(1);
    expect(readField(Buffer.from([0xf0]), { reportId: 0, bitOffset: 4, bitSize: 4, relative: false, logicalMinimum: -8 }, false)).toBe(-1);
  });

  it('builds the Jabra output report: ring is bit 3 of report 2, two data bytes', () => {
    expect(writeOutputReport(JABRA, { ring: true })).toEqual([[0x02, 0b00001000, 0x00]]);
    expect(writeOutputReport(JABRA, { offHook: true, mute: true })).toEqual([[0x02, 0b00000101, 0x00]]);
    expect(writeOutputReport(JABRA, {})).toEqual([[0x02, 0x00, 0x00]]);
  });

  it('returns one report per report ID when the LEDs live in different reports', () => {
    const split: TelephonyFields = { ...JABRA, outputs: { offHook: bit(3, 0), ring: bit(4, 9), mute: null, hold: null }, outputReportBytes: { 3: 1 } };
    expect(writeOutputReport(split, { ring: true, offHook: true })).toEqual([
      [3, 1],
      [4, 0, 0b10],
    ]);
    expect(writeOutputReport(FLASH_ONLY, { ring: true })).toEqual([]);
  });
});

describe('HidHeadset', () => {
  let now = 1_000_000;
  let backend: FakeHidBackend;
  let headset: HidHeadset;
  let inputs: Array<[DeviceInput, number]>;
  let events: DeviceEvent[];

  const make = (match: ConstructorParameters<typeof HidHeadset>[0]['match'] = { vendorId: 0x0b0e, productId: 0x2456 }) => {
    headset = new HidHeadset({ backend, desk: 'd1', match, fieldsOf, now: () => now, pollMs: 1000 });
    headset.on('input', (input, at) => inputs.push([input, at]));
    headset.on('device', (event) => events.push(event));
    return headset;
  };
  const hooks = () => inputs.map(([input]) => (input.type === 'hook' ? input.state : input.type));
  const tick = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    backend = new FakeHidBackend();
    inputs = [];
    events = [];
  });
  afterEach(() => {
    headset?.stop();
    vi.useRealTimers();
  });

  it('opens a Jabra when it is plugged in and turns its hook switch into hook off/on for the desk', () => {
    make().start();
    expect(events).toEqual([]);
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    expect(events).toEqual([{ type: 'device', family: 'hid-headset', device: 'headset:d1', state: 'online', detail: 'GN Audio A/S Jabra Link 380' }]);

    jabra.send([0x02, 0x01, 0x00]);
    expect(inputs).toEqual([[{ type: 'hook', desk: 'd1', state: 'off' }, now]]);
    jabra.send([0x02, 0x01, 0x00]); // same state again: nothing
    tick(600);
    jabra.send([0x02, 0x00, 0x00]);
    expect(hooks()).toEqual(['off', 'on']);
    expect(inputs[1]).toEqual([{ type: 'hook', desk: 'd1', state: 'on' }, now]);
  });

  it('a toggle (relative) hook switch: each press toggles', () => {
    make().start();
    const dev = backend.plug(JABRA_INFO, 'toggle');
    tick(1000);
    dev.send([2, 1, 0]);
    dev.send([2, 0, 0]); // release
    tick(2000);
    dev.send([2, 1, 0]);
    dev.send([2, 0, 0]);
    expect(hooks()).toEqual(['off', 'on']);
  });

  it('a Flash-only headset (Apple EarPods style): Flash toggles the hook', () => {
    make({ path: '/dev/hidraw9' }).start();
    const pods = backend.plug({ path: '/dev/hidraw9', vendorId: 0x05ac, productId: 0x110b, product: 'EarPods' }, 'earpods');
    tick(1000);
    expect(events.at(-1)).toMatchObject({ state: 'online', detail: 'EarPods' });
    pods.send([0b1000]);
    pods.send([0]);
    expect(hooks()).toEqual(['off']);
    tick(3000);
    pods.send([0b1000]);
    expect(hooks()).toEqual(['off', 'on']);
    headset.indicate({ desk: 'd1', alert: 'yours' }); // no LEDs: nothing to write, no error
    expect(pods.written).toEqual([]);
  });

  it('refuses a matching device without Hook Switch or Flash, once, and keeps looking', () => {
    make({ vendorId: 0x1234 }).start();
    backend.plug({ path: '/dev/hidraw1', vendorId: 0x1234, productId: 1 }, 'keyboard');
    tick(1000);
    tick(1000);
    expect(events).toEqual([{ type: 'fault', family: 'hid-headset', device: 'headset:d1', reason: 'not a telephony headset', detail: '1234:0001: no Hook Switch or Flash input', count: 1 }]);
    expect(backend.devices.get('/dev/hidraw1')?.connections.every((c) => c.closed)).toBe(true);
    expect(headset.isOnline).toBe(false);
  });

  it('drives the Ring LED from indications for its desk, writing only on change', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    headset.indicate({ desk: 'd1', alert: 'yours' });
    expect(jabra.written).toEqual([[0x02, 0b00001000, 0x00]]);
    headset.indicate({ desk: 'd1', alert: 'yours' });
    headset.indicate({ desk: 'd2', alert: 'none' }); // another desk
    expect(jabra.written).toHaveLength(1);
    headset.indicate({ desk: 'd1', alert: 'nearby' });
    expect(jabra.written).toEqual([
      [0x02, 0b1000, 0],
      [0x02, 0, 0],
    ]);
    headset.indicate({ desk: 'd1', alert: 'none' });
    expect(jabra.written).toHaveLength(2);
  });

  it('answering: Off-Hook LED on (ring off), echoed hook report makes no phantom, hang-up clears it', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    headset.indicate({ desk: 'd1', alert: 'yours' });
    jabra.send([2, 1, 0]); // answered on the headset
    expect(jabra.written.at(-1)).toEqual([2, 0b0001, 0]); // Off-Hook on, Ring off
    jabra.send([2, 1, 0]); // the headset echoes the host's Off-Hook
    tick(100);
    headset.indicate({ desk: 'd1', alert: 'none' }); // the core saw the answer
    expect(hooks()).toEqual(['off']);
    tick(5000);
    jabra.send([2, 0, 0]);
    expect(hooks()).toEqual(['off', 'on']);
    expect(jabra.written.at(-1)).toEqual([2, 0, 0]);
  });

  it('a toggle headset echoing the Off-Hook write does not hang up the call it just answered', () => {
    make().start();
    const dev = backend.plug(JABRA_INFO, 'toggle');
    tick(1000);
    dev.send([2, 1, 0]);
    expect(dev.written).toEqual([[2, 1, 0]]);
    tick(20);
    dev.send([2, 1, 0]); // echo of the host's Off-Hook
    dev.send([2, 0, 0]);
    expect(hooks()).toEqual(['off']);
    expect(headset.counters.echoesSuppressed).toBe(1);
    tick(3000);
    dev.send([2, 1, 0]); // a real press later hangs up
    expect(hooks()).toEqual(['off', 'on']);
  });

  it('counts garbage reports and reports them throttled, never fatal', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    jabra.send([0x07, 0x01, 0x00]); // unknown report ID
    jabra.send([0x02]); // too short
    jabra.send([0x02]);
    jabra.send([]);
    jabra.send([0x01, 0x05]); // another known report (volume): ignored, not garbage
    expect(headset.counters.badReports).toBe(4);
    expect(events.filter((e) => e.type === 'fault').map((e) => e.type === 'fault' && [e.reason, e.count])).toEqual([
      ['bad-report:unknown-report-id', 1],
      ['bad-report:short-report', 1],
    ]);
    jabra.send([0x02, 0x01, 0x00]);
    expect(hooks()).toEqual(['off']);
    expect(headset.isOnline).toBe(true);
  });

  it('unplugged mid-call: offline and on-hook for the desk; plugged again: online', () => {
    make().start();
    backend.plug(JABRA_INFO, 'jabra').send([2, 1, 0]);
    tick(1000);
    backend.devices.get(JABRA_INFO.path)!.send([2, 1, 0]);
    expect(hooks()).toEqual(['off']);
    backend.unplug(JABRA_INFO.path);
    tick(1000);
    expect(events.at(-1)).toEqual({ type: 'device', family: 'hid-headset', device: 'headset:d1', state: 'offline', reason: 'unplugged' });
    expect(inputs.at(-1)).toEqual([{ type: 'hook', desk: 'd1', state: 'on' }, now]);
    tick(1000);
    expect(events).toHaveLength(2);

    const again = backend.plug({ ...JABRA_INFO, path: '/dev/hidraw4' }, 'jabra');
    headset.indicate({ desk: 'd1', alert: 'yours' }); // while away
    tick(1000);
    expect(events.at(-1)).toMatchObject({ state: 'online' });
    expect(again.written).toEqual([[2, 0b1000, 0]]); // shows the current indication at once
    again.send([2, 1, 0]);
    expect(hooks()).toEqual(['off', 'on', 'off']);
  });

  it('a device error: offline, then reopened on the next poll', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    jabra.fail('read error');
    expect(events.at(-1)).toEqual({ type: 'device', family: 'hid-headset', device: 'headset:d1', state: 'offline', reason: 'device error: read error' });
    expect(jabra.connections[0]?.closed).toBe(true);
    tick(1000);
    expect(events.at(-1)).toMatchObject({ state: 'online' });
    expect(jabra.connections).toHaveLength(2);
    jabra.send([2, 1, 0]);
    expect(hooks()).toEqual(['off']);
  });

  it('a failing write takes the device offline (and the call on-hook), reopened later', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    tick(1000);
    jabra.writeError = new Error('EPIPE');
    jabra.send([2, 1, 0]); // answer → Off-Hook write fails
    expect(events.at(-1)).toMatchObject({ state: 'offline', reason: 'write failed: EPIPE' });
    expect(hooks()).toEqual(['off', 'on']);
    jabra.writeError = null;
    tick(1000);
    expect(events.at(-1)).toMatchObject({ state: 'online' });
  });

  it('open failures (permissions) are throttled faults, retried each poll', () => {
    make().start();
    const jabra = backend.plug(JABRA_INFO, 'jabra');
    jabra.openError = new Error('EACCES');
    tick(1000);
    tick(1000);
    tick(1000);
    expect(events).toEqual([{ type: 'fault', family: 'hid-headset', device: 'headset:d1', reason: 'open-failed', detail: '/dev/hidraw3: EACCES', count: 1 }]);
    for (let i = 0; i < 58; i++) tick(1000); // a minute after the first report: the next one, with the count
    expect(events).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ reason: 'open-failed', count: 61 });
    jabra.openError = null;
    tick(1000);
    expect(events.at(-1)).toMatchObject({ state: 'online' });
  });
});

describe('listTelephonyDevices', () => {
  it('lists usage page 0x0B and telephony descriptors; unreadable devices reported, not thrown', () => {
    const backend = new FakeHidBackend();
    backend.plug({ path: 'a', vendorId: 1 }, 'keyboard');
    backend.plug({ path: 'b', vendorId: 2 }, 'jabra');
    backend.plug({ path: 'c', vendorId: 3 }, 'keyboard').openError = new Error('EACCES');
    backend.plug({ path: 'd', vendorId: 4, usagePage: 0x0b }, 'keyboard').openError = new Error('EACCES');
    const listed = listTelephonyDevices(backend, fieldsOf);
    expect(listed.map((l) => [l.device.path, l.status])).toEqual([
      ['b', 'telephony'],
      ['c', 'unreadable'],
      ['d', 'telephony'],
    ]);
    expect([...backend.devices.values()].every((d) => d.connections.every((c) => c.closed))).toBe(true);
  });
});

describe('NodeHidBackend', () => {
  it('lists HID devices through the real node-hid binding without throwing', () => {
    const listed = new NodeHidBackend().list();
    expect(Array.isArray(listed)).toBe(true);
    for (const device of listed) expect(typeof device.path).toBe('string');
  });
});
