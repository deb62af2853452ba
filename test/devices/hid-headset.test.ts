import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceEvent, DeviceInput } from '../../src/common/device-events.js';
import { HidHeadset } from '../../src/devices/hid-headset/headset.js';
import { parseHexDescriptor } from '../../src/devices/hid-headset/hex-descriptor.js';
import { listTelephonyDevices, NodeHidBackend } from '../../src/devices/hid-headset/node-hid-backend.js';
import { readField, writeOutputReport } from '../../src/devices/hid-headset/report-bits.js';
import { parseReportDescriptor } from '../../src/devices/hid-headset/report-descriptor.js';
import { findTelephonyFields } from '../../src/devices/hid-headset/telephony-fields.js';
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
/** The named layouts above by name; any other descriptor (real bytes) through the real parser. */
const fieldsOf = (descriptor: Buffer): TelephonyFields =>
  LAYOUTS[descriptor.toString()] ?? findTelephonyFields(parseReportDescriptor(descriptor));

const realDescriptor = (name: string) =>
  Buffer.from(parseHexDescriptor(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hid', name), 'utf8')));
/** Jabra Link 380c: input report 2 = hook switch bit 0 (absolute), Flash bit 4 (relative); output report 2 = Off-Hook bit 0, Hold bit 4. */
const JABRA_REAL = realDescriptor('jabra-link380c.hex');
/** Apple EarPods: one Flash bit (bit 0, no report IDs), no LEDs. */
const EARPODS_REAL = realDescriptor('apple-lightning-earbuds.hex');

/**
 * A hand-built descriptor with a real Telephony Hold (0x0B:0x23): input report 1 = Hook Switch bit 0 (absolute),
 * Flash bit 1 (relative), Hold bit 2 (absolute or relative); output report 1 = LEDs Off-Hook bit 0, Ring bit 1, Hold bit 2.
 */
function holdDescriptor(holdRelative: boolean): Buffer {
  const ABS = 0x02, REL = 0x06, CONST = 0x01;
  return Buffer.from([
    0x05, 0x0b, 0x09, 0x05, 0xa1, 0x01, // Usage Page Telephony, Usage Headset, Collection (Application)
    0x85, 0x01, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, // Report ID 1, logical 0..1, 1 bit
    0x09, 0x20, 0x95, 0x01, 0x81, ABS, // Hook Switch
    0x09, 0x21, 0x95, 0x01, 0x81, REL, // Flash
    0x09, 0x23, 0x95, 0x01, 0x81, holdRelative ? REL : ABS, // Hold
    0x95, 0x05, 0x81, CONST, // padding to a byte
    0x05, 0x08, 0x09, 0x17, 0x09, 0x18, 0x09, 0x20, 0x95, 0x03, 0x91, ABS, // LEDs Off-Hook, Ring, Hold
    0x95, 0x05, 0x91, CONST,
    0xc0,
  ]);
}

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

  describe('hold', () => {
    /** The desk's inputs as 'hook off', 'hold on'… */
    const calls = () => inputs.map(([input]) => `${input.type} ${'state' in input ? input.state : ''}`);
    /** Presses a one-shot button: the report with its bit set, then the release. */
    const press = (device: ReturnType<FakeHidBackend['plug']>, down: number[], up: number[]) => {
      device.send(down);
      device.send(up);
    };
    const plugJabra = () => {
      make().start();
      const jabra = backend.plug(JABRA_INFO, JABRA_REAL);
      tick(1000);
      return jabra;
    };

    it('Jabra (real descriptor): Flash while off-hook puts the call on hold and lights Hold; again takes it off', () => {
      const jabra = plugJabra();
      jabra.send([2, 0x01, 0]); // answer
      expect(jabra.written.at(-1)).toEqual([2, 0b00001, 0]);
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]); // Flash (bit 4) with the hook switch still down
      expect(calls()).toEqual(['hook off', 'hold on']);
      expect(inputs.at(-1)).toEqual([{ type: 'hold', desk: 'd1', state: 'on' }, now]);
      expect(jabra.written.at(-1)).toEqual([2, 0b10001, 0]); // Hold LED (bit 4) on, Off-Hook kept on
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off']);
      expect(jabra.written.at(-1)).toEqual([2, 0b00001, 0]);
      tick(1000);
      jabra.send([2, 0x00, 0]); // hang up
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off', 'hook on']);
    });

    it('Jabra: Flash while on-hook does nothing', () => {
      const jabra = plugJabra();
      press(jabra, [2, 0x10, 0], [2, 0x00, 0]);
      tick(1000);
      press(jabra, [2, 0x10, 0], [2, 0x00, 0]);
      expect(inputs).toEqual([]);
      expect(jabra.written).toEqual([]);
    });

    it('Jabra: a Flash bit repeated while the button is down toggles once', () => {
      const jabra = plugJabra();
      jabra.send([2, 0x01, 0]);
      tick(1000);
      jabra.send([2, 0x11, 0]);
      tick(1000);
      jabra.send([2, 0x11, 0]); // still down (another report 2, e.g. a mute change)
      jabra.send([2, 0x01, 0]);
      expect(calls()).toEqual(['hook off', 'hold on']);
    });

    it('Jabra: hanging up a held call clears hold without a hold off (the core releases it with the call)', () => {
      const jabra = plugJabra();
      jabra.send([2, 0x01, 0]);
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      tick(1000);
      jabra.send([2, 0x00, 0]);
      expect(calls()).toEqual(['hook off', 'hold on', 'hook on']);
      expect(jabra.written.at(-1)).toEqual([2, 0, 0]); // Hold and Off-Hook LEDs off
      tick(1000);
      jabra.send([2, 0x01, 0]); // the next call starts off hold: Flash holds it
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      expect(calls()).toEqual(['hook off', 'hold on', 'hook on', 'hook off', 'hold on']);
    });

    it('Jabra: unplugged while held: hook on only; plugged again with the Hold LED off', () => {
      const jabra = plugJabra();
      jabra.send([2, 0x01, 0]);
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      backend.unplug(JABRA_INFO.path);
      tick(1000);
      expect(calls()).toEqual(['hook off', 'hold on', 'hook on']);
      const again = backend.plug(JABRA_INFO, JABRA_REAL);
      tick(1000);
      expect(headset.isOnline).toBe(true);
      expect(again.written).toEqual([]); // nothing to light
      again.send([2, 0x01, 0]);
      expect(again.written.at(-1)).toEqual([2, 0b00001, 0]);
    });

    it('Jabra: a Flash press right after the Hold LED changed is taken as its echo (kept on hold)', () => {
      const jabra = plugJabra();
      jabra.send([2, 0x01, 0]);
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      tick(50);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      expect(calls()).toEqual(['hook off', 'hold on']);
      expect(headset.counters.echoesSuppressed).toBe(1);
      tick(1000);
      press(jabra, [2, 0x11, 0], [2, 0x01, 0]);
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off']);
    });

    it('EarPods (real descriptor): Flash, the only button, still toggles the hook and never holds', () => {
      make({ path: '/dev/hidraw9' }).start();
      const pods = backend.plug({ path: '/dev/hidraw9', vendorId: 0x05ac, productId: 0x110b, product: 'EarPods' }, EARPODS_REAL);
      tick(1000);
      press(pods, [0x01], [0x00]);
      tick(1000);
      press(pods, [0x01], [0x00]);
      tick(1000);
      press(pods, [0x01], [0x00]);
      expect(calls()).toEqual(['hook off', 'hook on', 'hook off']);
      expect(pods.written).toEqual([]);
    });

    it('a real Hold input, absolute: its value is the hold state (Flash is not hold there)', () => {
      make({ path: '/dev/hidraw5' }).start();
      const dev = backend.plug({ path: '/dev/hidraw5', vendorId: 0x1234, productId: 1, usagePage: 0x0b }, holdDescriptor(false));
      tick(1000);
      dev.send([1, 0b100]); // Hold while on-hook: nothing
      dev.send([1, 0b000]);
      dev.send([1, 0b001]); // answer
      expect(dev.written.at(-1)).toEqual([1, 0b001]);
      tick(1000);
      press(dev, [1, 0b011], [1, 0b001]); // Flash: not hold on this headset
      expect(calls()).toEqual(['hook off']);
      dev.send([1, 0b101]); // Hold switch on
      dev.send([1, 0b101]); // still on: nothing
      expect(calls()).toEqual(['hook off', 'hold on']);
      expect(dev.written.at(-1)).toEqual([1, 0b101]); // Off-Hook and Hold LEDs
      tick(1000);
      dev.send([1, 0b001]); // Hold switch off
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off']);
      expect(dev.written.at(-1)).toEqual([1, 0b001]);
      tick(1000);
      dev.send([1, 0b101]);
      tick(1000);
      dev.send([1, 0b100]); // hung up while held: no hold off
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off', 'hold on', 'hook on']);
      expect(dev.written.at(-1)).toEqual([1, 0]);
    });

    it('a real Hold input, relative: each press toggles', () => {
      make({ path: '/dev/hidraw5' }).start();
      const dev = backend.plug({ path: '/dev/hidraw5', vendorId: 0x1234, productId: 1, usagePage: 0x0b }, holdDescriptor(true));
      tick(1000);
      dev.send([1, 0b001]);
      tick(1000);
      press(dev, [1, 0b101], [1, 0b001]);
      expect(calls()).toEqual(['hook off', 'hold on']);
      expect(dev.written.at(-1)).toEqual([1, 0b101]);
      tick(1000);
      press(dev, [1, 0b101], [1, 0b001]);
      expect(calls()).toEqual(['hook off', 'hold on', 'hold off']);
      expect(dev.written.at(-1)).toEqual([1, 0b001]);
    });
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
