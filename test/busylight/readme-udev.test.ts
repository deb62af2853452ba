// The README's udev rule for busylights covers exactly the USB ids the driver looks for (models.ts), one line
// per vendor, in the form the README promises.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usbIdsByVendor } from '../../src/devices/busylight/models.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

describe('README "Busylights" udev rule', () => {
  it('one line per vendor with every product id the registry knows', () => {
    const section = README.slice(README.indexOf('### Busylights'), README.indexOf('### Desk units'));
    const rules = section.split('\n').filter((line) => line.startsWith('SUBSYSTEM=="hidraw"'));
    const expected = [...usbIdsByVendor()].map(
      ([vendor, products]) => `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(vendor)}", ATTRS{idProduct}=="${products.map(hex4).join('|')}", MODE="0660", TAG+="uaccess"`,
    );
    expect(rules).toEqual(expected);
    expect(README.indexOf('### Busylights')).toBeGreaterThan(README.indexOf('### Headsets (USB HID telephony)'));
  });
});
