import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { Decision } from '../../src/core/index.js';
import { HeadsetFeature } from '../../src/bridge/device-features/headset-feature.js';
import { parseHexDescriptor } from '../../src/devices/hid-headset/hex-descriptor.js';
import { runThirdring as thirdring } from '../thirdring-process.js';
import { until } from '../wait.js';
import { FakeHidBackend } from './fake-hid.js';
import { manualClock } from '../manual-clock.js';

/** The real Jabra Link 380c descriptor, parsed by the real parser: report 2 carries hook switch and LEDs. */
const jabraDescriptor = Buffer.from(parseHexDescriptor(readFileSync('test/fixtures/hid/jabra-link380c.hex', 'utf8')));

describe('a USB headset in the bridge', () => {
  it('rings the assigned desk headset, and its hook switch answers the call', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug({ path: '/dev/hidraw7', vendorId: 0x0b0e, productId: 0x24c9, usagePage: 0x0b, product: 'Jabra Link 380' }, jabraDescriptor);
    const bridge = new Bridge(parseConfig(`
site: t
desks:
  - { id: anna, at: [1, 0], headset: { vendorId: 0x0b0e, productId: 0x24c9 } }
  - { id: bram, at: [5, 0] }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
`));
    const decisions: Decision[] = [];
    bridge.on('decision', (d) => decisions.push(d));
    bridge.use(new HeadsetFeature(bridge, () => backend));
    await bridge.start();
    try {
      await until('headset open', () => device.connections.length > 0);
      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      // Ring LED = LED page 0x18, report 2 bit 3 in this descriptor.
      await until('ring LED written', () => device.written.find((r) => r[0] === 2 && (r[1]! & 0b1000) !== 0));
      device.send([0x02, 0x01, 0x00]);
      const answered = await until('answered', () => decisions.find((d) => d.type === 'answered'));
      expect(answered).toMatchObject({ line: 'front', desk: 'anna', rings: 1, onTime: true });
      // Off-Hook LED (bit 0) on, ring LED off.
      await until('off-hook LED', () => device.written.at(-1)?.[1] === 0b0001);
      device.send([0x02, 0x00, 0x00]);
      await until('hung up', () => decisions.find((d) => d.type === 'ended'));
    } finally {
      await bridge.stop();
    }
  });
});

describe('hold on a USB headset in the bridge', () => {
  it('Flash during a call puts it on hold: the core reminds the desk every holdCheckSeconds, Flash again resumes', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug({ path: '/dev/hidraw7', vendorId: 0x0b0e, productId: 0x24c9, usagePage: 0x0b, product: 'Jabra Link 380' }, jabraDescriptor);
    const start = 1_700_000_000_000;
    const { clock, advance } = manualClock(start);
    const bridge = new Bridge(
      parseConfig(`
site: t
desks:
  - { id: anna, at: [1, 0], headset: { vendorId: 0x0b0e, productId: 0x24c9 } }
  - { id: bram, at: [5, 0] }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
rules: { holdCheckSeconds: 10 }
`),
      clock,
    );
    const decisions: Decision[] = [];
    bridge.on('decision', (d) => decisions.push(d));
    bridge.use(new HeadsetFeature(bridge, () => backend));
    await bridge.start();
    try {
      expect(device.connections).toHaveLength(1); // the first poll runs at start
      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      advance(1000);
      bridge.input({ type: 'ring', line: 'front', state: 'off' });
      advance(500);
      device.send([0x02, 0x01, 0x00]); // answer (hook switch, report 2 bit 0)
      expect(decisions.find((d) => d.type === 'answered')).toMatchObject({ line: 'front', desk: 'anna' });
      advance(2000);
      // Flash (report 2 bit 4) pressed and released, the hook switch still down.
      device.send([0x02, 0x11, 0x00]);
      device.send([0x02, 0x01, 0x00]);
      const heldAt = clock.now();
      expect(decisions.at(-1)).toEqual({ t: heldAt, type: 'hold', line: 'front', desk: 'anna', state: 'on', heldMs: 0 });
      expect(device.written.at(-1)).toEqual([0x02, 0b10001, 0x00]); // Off-Hook and Hold LEDs
      advance(9_999);
      expect(decisions.some((d) => d.type === 'hold-reminder')).toBe(false);
      advance(1);
      expect(decisions.at(-1)).toEqual({ t: heldAt + 10_000, type: 'hold-reminder', line: 'front', desk: 'anna', heldMs: 10_000, reminder: 1 });
      advance(10_000);
      expect(decisions.filter((d) => d.type === 'hold-reminder').map((d) => d.type === 'hold-reminder' && d.reminder)).toEqual([1, 2]);
      expect(device.written.at(-1)).toEqual([0x02, 0b10001, 0x00]); // the reminders change no headset LED

      device.send([0x02, 0x11, 0x00]); // Flash again: resumed
      device.send([0x02, 0x01, 0x00]);
      expect(decisions.at(-1)).toMatchObject({ type: 'hold', line: 'front', desk: 'anna', state: 'off', heldMs: 20_000 });
      expect(device.written.at(-1)).toEqual([0x02, 0b00001, 0x00]);
      advance(60_000);
      expect(decisions.filter((d) => d.type === 'hold-reminder')).toHaveLength(2);

      device.send([0x02, 0x11, 0x00]); // held again, then hung up while held: the core releases the hold itself
      device.send([0x02, 0x01, 0x00]);
      advance(1000);
      device.send([0x02, 0x00, 0x00]);
      expect(decisions.slice(-2).map((d) => [d.type, 'state' in d ? d.state : undefined])).toEqual([
        ['hold', 'off'],
        ['ended', undefined],
      ]);
      expect(bridge.runner.state.ignoredEvents).toBe(0);
      expect(device.written.at(-1)).toEqual([0x02, 0, 0]);
    } finally {
      await bridge.stop();
    }
  });
});

describe('thirdring hid describe', () => {
  it('prints the telephony fields of a real descriptor as JSON', () => {
    const { status, stdout } = thirdring(['hid', 'describe', 'test/fixtures/hid/apple-lightning-earbuds.hex']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      telephony: true,
      inputs: { hookSwitch: null, phoneMute: null, flash: { reportId: 0, bitOffset: 0, bitSize: 1, relative: false } },
      outputs: { ring: null, offHook: null, mute: null, hold: null },
    });
  });

  it('exits 2 with the byte offset of a broken descriptor', () => {
    const { status, stderr } = thirdring(['hid', 'describe', 'test/fixtures/hid/../../../package.json']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^thirdring hid: .*package\.json: .*(byte|line) /);
  });
});
