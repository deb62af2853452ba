// The busylight driver through the HID seam with a fake backend (no USB device here) and fake timers: what it
// writes and when (software blinks, the Kuando keep-alive, the blink(1) tickle), which light it picks, the Mute's
// button, and unplug/replug.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceEvent } from '../../src/common/device-events.js';
import { openBusylight, type Busylight, type BusylightButton } from '../../src/devices/busylight/index.js';
import { ALERT_LEDS } from '../../src/devices/busylight/busylight-command.js';
import type { BuzzerPattern, DeskAlert } from '../../src/core/types.js';
import { FakeBusylightBackend } from './fake-busylight-hid.js';

const show = (alert: DeskAlert, buzzer: BuzzerPattern = 'off') => ({ alert, led: ALERT_LEDS[alert], buzzer: { pattern: buzzer } });

// Kuando packets (report ID 0 + 64 bytes; layout and checksums as in frames.test.ts, from the Busylight API rev 2.2)
const zeros = (steps: number) => Array.from({ length: 7 - steps }, () => '00 00 00 00 00 00 00 00');
const KUANDO_KEEP_ALIVE = ['00', '8f 00 00 00 00 00 00 00', ...zeros(1), '00 00 00 ff ff ff', '03 8c'].join(' ');
// (0x11+1+0x64+0x0A+0x80 = 256) + (0x11+1+0x64+0x0A = 128) + 765 = 1149 = 0x047D
const KUANDO_HOLD = ['00', '11 01 00 00 64 0a 00 80', '11 01 00 00 64 0a 00 00', ...zeros(2), '00 00 00 ff ff ff', '04 7d'].join(' ');
const KUANDO_NONE = ['00', '11 01 00 00 00 0a 00 80', '11 01 00 00 00 0a 00 00', ...zeros(2), '00 00 00 ff ff ff', '03 b5'].join(' ');

const LUX_BLUE = '00 01 ff 00 00 ff 00 00 00';
const LUX_DARK = '00 01 ff 00 00 00 00 00 00';

let backend: FakeBusylightBackend;
let light: Busylight | null;
let events: DeviceEvent[];

function open(options: Partial<Parameters<typeof openBusylight>[0]> = {}): Busylight {
  light = openBusylight({ backend, now: () => Date.now(), ...options });
  light.on('device', (e) => events.push(e));
  return light;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  backend = new FakeBusylightBackend();
  light = null;
  events = [];
});

afterEach(() => {
  light?.stop();
  vi.useRealTimers();
});

describe('Kuando: the program once, then a keep-alive every 5 s', () => {
  it('finds the light by USB id, says so, writes the program at once and keeps it alive at 5, 10, 15 s', () => {
    const kuando = backend.plug({ path: '/dev/hidraw3', vendorId: 0x27bb, productId: 0x3bcd, serialNumber: 'K1' });
    open();
    vi.advanceTimersByTime(0);
    expect(light!.online).toBe(true);
    expect(light!.model).toBe('kuando-omega');
    expect(events).toEqual([{ type: 'device', family: 'busylight', device: 'busylight:any', state: 'online', detail: 'Kuando Busylight Omega at /dev/hidraw3, serial K1' }]);
    light!.show(show('hold'));
    vi.advanceTimersByTime(15_000);
    expect(kuando.written.map((w) => [w.at, w.hex])).toEqual([
      [0, KUANDO_NONE],
      [0, KUANDO_HOLD],
      [5000, KUANDO_KEEP_ALIVE],
      [10_000, KUANDO_KEEP_ALIVE],
      [15_000, KUANDO_KEEP_ALIVE],
    ]);
  });

  it('none stops the keep-alive (the light may go dark by itself); a new alert starts it again from its own time', () => {
    const kuando = backend.plug({ path: '/dev/hidraw3', vendorId: 0x27bb, productId: 0x3bca });
    open({ model: 'kuando-alpha' });
    light!.show(show('hold'));
    vi.advanceTimersByTime(7000);
    light!.show(show('none'));
    vi.advanceTimersByTime(20_000);
    expect(kuando.written.filter((w) => w.hex === KUANDO_KEEP_ALIVE).map((w) => w.at)).toEqual([5000]);
    light!.show(show('hold'));
    vi.advanceTimersByTime(5000);
    expect(kuando.written.filter((w) => w.hex === KUANDO_KEEP_ALIVE).map((w) => w.at)).toEqual([5000, 32_000]);
  });
});

describe('Luxafor: blinking timed by the driver', () => {
  it('yours: blue and dark in turn every 200 ms, from the moment it is shown', () => {
    const flag = backend.plug({ path: '/dev/hidraw1', vendorId: 0x04d8, productId: 0xf372, product: 'LUXAFOR FLAG' });
    open();
    vi.advanceTimersByTime(100);
    light!.show(show('yours'));
    vi.advanceTimersByTime(800);
    expect(flag.written.map((w) => [w.at, w.hex])).toEqual([
      [0, LUX_DARK], // none, when it was found
      [100, LUX_BLUE],
      [300, LUX_DARK],
      [500, LUX_BLUE],
      [700, LUX_DARK],
      [900, LUX_BLUE],
    ]);
    light!.show(show('hold'));
    vi.advanceTimersByTime(1000);
    expect(flag.written.slice(6).map((w) => [w.at, w.hex])).toEqual([[900, LUX_BLUE]]);
  });

  it("the Mute's button: 0x83 0x00 = pushed, 0x83 0x01 = released; other input is ignored", () => {
    const mute = backend.plug({ path: '/dev/hidraw2', vendorId: 0x04d8, productId: 0xf372, product: 'LUXAFOR MUTE' });
    const presses: BusylightButton[] = [];
    open().on('button', (p) => presses.push(p));
    vi.advanceTimersByTime(1000);
    expect(light!.model).toBe('luxafor-mute');
    mute.press([0x83, 0x00, 0, 0, 0, 0, 0, 0]);
    vi.advanceTimersByTime(250);
    mute.press([0x83, 0x01, 0, 0, 0, 0, 0, 0]);
    mute.press([0x42, 0x00, 0, 0, 0, 0, 0, 0]);
    expect(presses).toEqual([
      { button: 'main', state: 'down', at: 1000 },
      { button: 'main', state: 'up', at: 1250 },
    ]);
  });
});

describe('blink(1): feature reports and the server tickle', () => {
  it('arms the tickle when it shows something and re-arms it every 5 s; none disarms it', () => {
    const b1 = backend.plug({ path: '/dev/hidraw5', vendorId: 0x27b8, productId: 0x01ed, serialNumber: '3F2A0001' });
    open({ serial: '3F2A0001' });
    vi.advanceTimersByTime(0);
    light!.show(show('hold'));
    vi.advanceTimersByTime(10_000);
    light!.show(show('none'));
    vi.advanceTimersByTime(10_000);
    const TICKLE = '01 44 01 05 dc 00 00 00 00';
    expect(b1.written.map((w) => [w.at, w.kind, w.hex])).toEqual([
      [0, 'feature', '01 63 00 00 00 00 0a 00 00'],
      [0, 'feature', '01 44 00 00 00 00 00 00 00'],
      [0, 'feature', '01 63 00 00 ff 00 0a 00 00'],
      [0, 'feature', TICKLE],
      [5000, 'feature', TICKLE],
      [10_000, 'feature', TICKLE],
      [10_000, 'feature', '01 63 00 00 00 00 0a 00 00'],
      [10_000, 'feature', '01 44 00 00 00 00 00 00 00'],
    ]);
  });
});

describe('which light, and coming back', () => {
  it('two identical lights: the serial picks one, the path picks one, neither: the first by path', () => {
    const a = backend.plug({ path: '/dev/hidraw7', vendorId: 0x2c0d, productId: 0x0001, serialNumber: 'A' });
    const b = backend.plug({ path: '/dev/hidraw6', vendorId: 0x2c0d, productId: 0x0001, serialNumber: 'B' });
    open({ serial: 'A' });
    vi.advanceTimersByTime(0);
    expect([a.opens, b.opens]).toEqual([1, 0]);
    light!.stop();
    open({ path: '/dev/hidraw6' });
    vi.advanceTimersByTime(0);
    expect([a.opens, b.opens]).toEqual([1, 1]);
    light!.stop();
    open({ model: 'blynclight' });
    vi.advanceTimersByTime(0);
    expect([a.opens, b.opens]).toEqual([1, 2]);
  });

  it('unplugged: offline at the next look (2 s); plugged back: online again within the backoff, the alert rewritten', () => {
    const info = { path: '/dev/hidraw4', vendorId: 0x2c0d, productId: 0x0002 };
    const plus = backend.plug(info);
    open();
    vi.advanceTimersByTime(0);
    light!.show(show('yours', 'ring'));
    const YOURS_RING = '00 00 ff 00 24 31 0a ff 22';
    backend.unplug(info.path);
    vi.advanceTimersByTime(2000);
    expect(events.at(-1)).toEqual({ type: 'device', family: 'busylight', device: 'busylight:any', state: 'offline', reason: 'unplugged' });
    expect(light!.online).toBe(false);
    vi.advanceTimersByTime(1000 + 2000 + 4000); // no light: looks again after 1, 2, 4 s
    const again = backend.plug(info);
    vi.advanceTimersByTime(8000);
    expect(light!.online).toBe(true);
    expect(events.filter((e) => e.type === 'device').map((e) => (e.type === 'device' ? e.state : ''))).toEqual(['online', 'offline', 'online']);
    expect(plus.written.at(-1)!.hex).toBe(YOURS_RING);
    expect(again.written.map((w) => w.hex)).toEqual([YOURS_RING]);
    expect(again.written[0]!.at).toBe(2000 + 7000 + 8000);
  });

  it('a failed write: offline with the reason, the cycle stops, and the light is opened again', () => {
    const flag = backend.plug({ path: '/dev/hidraw1', vendorId: 0x04d8, productId: 0xf372, product: 'LUXAFOR FLAG' });
    open();
    light!.show(show('yours'));
    vi.advanceTimersByTime(400);
    flag.writeError = new Error('EIO');
    vi.advanceTimersByTime(200);
    expect(events.at(-1)).toMatchObject({ state: 'offline', reason: 'write failed: EIO' });
    const writes = flag.written.length;
    flag.writeError = null;
    vi.advanceTimersByTime(1000);
    expect(light!.online).toBe(true);
    expect(flag.opens).toBe(2);
    expect(flag.written.length).toBeGreaterThan(writes);
  });

  it('no permission: one fault a minute, counted, while it keeps looking', () => {
    const b1 = backend.plug({ path: '/dev/hidraw5', vendorId: 0x27b8, productId: 0x01ed });
    b1.openError = new Error('cannot open device with path /dev/hidraw5');
    open();
    // tries at 0, 1, 3, 7, 15, 23 ... 55, 63 s (the backoff doubles from 1 s up to 8 s); reports at 0 and 63 s
    vi.advanceTimersByTime(64_000);
    const faults = events.filter((e) => e.type === 'fault');
    expect(faults[0]).toEqual({ type: 'fault', family: 'busylight', device: 'busylight:any', reason: 'open-failed', detail: '/dev/hidraw5: cannot open device with path /dev/hidraw5', count: 1 });
    expect(faults.map((f) => (f.type === 'fault' ? f.count : 0))).toEqual([1, 11]);
    expect(light!.online).toBe(false);
  });

  it('stop: the light is left dark, closed, and no timer is left running', () => {
    const kuando = backend.plug({ path: '/dev/hidraw3', vendorId: 0x27bb, productId: 0x3bcd });
    open();
    light!.show(show('yours', 'ring'));
    vi.advanceTimersByTime(6000);
    light!.stop();
    expect(kuando.written.at(-1)!.hex).toBe(KUANDO_NONE);
    expect(kuando.connection!.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    light = null;
  });

  it('an unknown model is refused at once, with the list', () => {
    expect(() => open({ model: 'kuando-zeta' })).toThrow(/unknown busylight model "kuando-zeta" \(known: kuando-alpha, .*blink1\)/);
  });
});
