// The person's headset in the desk agent: the bridge's headset driver, its hook and hold out as the desk's
// actions, its Ring LED following what the desk shows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeskHeadset } from '../../src/desk-agent/desk-headset.js';
import { NO_BRIDGE } from '../../src/desk-agent/desk-view.js';
import { parseHexDescriptor } from '../../src/devices/hid-headset/hex-descriptor.js';
import { FakeHidBackend } from '../devices/fake-hid.js';
import { until } from '../wait.js';

const jabra = Buffer.from(parseHexDescriptor(readFileSync('test/fixtures/hid/jabra-link380c.hex', 'utf8')));
const logitechH540 = Buffer.from(parseHexDescriptor(readFileSync('test/fixtures/hid/logitech-h540.hex', 'utf8')));

describe('the desk headset', () => {
  it('with no headset named, only telephony interfaces are opened; hook and hold become actions; Ring LED while yours', async () => {
    const backend = new FakeHidBackend();
    const keyboard = backend.plug({ path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc31c, usagePage: 0x01 }, logitechH540);
    const headset = backend.plug({ path: '/dev/hidraw7', vendorId: 0x0b0e, productId: 0x24c9, usagePage: 0x0b }, jabra);
    const hooks: string[] = [];
    const holds: string[] = [];
    let now = 0;
    const desk = new DeskHeadset({ backend, desk: 'anna', match: {}, now: () => now, onHook: (s) => hooks.push(s), onHold: (s) => holds.push(s), onDevice: () => {}, pollMs: 20 });
    desk.start();
    try {
      await until('headset open', () => headset.connection);
      expect(keyboard.connections).toEqual([]);
      desk.show({ alert: 'yours', led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' } });
      // Jabra Link 380c output report 2: Ring LED bit 3.
      expect(headset.written.at(-1)).toEqual([2, 0b1000, 0]);
      desk.show(NO_BRIDGE);
      expect(headset.written.at(-1)).toEqual([2, 0, 0]);
      headset.send([0x02, 0x01, 0x00]);
      // Past the echo window of the Off-Hook LED write; Flash (report 2 bit 4, next to the hook switch) is hold here.
      now += 2000;
      headset.send([0x02, 0x11, 0x00]);
      headset.send([0x02, 0x01, 0x00]);
      headset.send([0x02, 0x00, 0x00]);
      expect(hooks).toEqual(['off', 'on']);
      expect(holds).toEqual(['on']);
    } finally {
      desk.stop();
    }
  });
});
