// `thirdring desk install`: a systemd --user unit that keeps the agent running, and the udev rule that lets the
// logged-in user open the desk's headset and light (hidraw).
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { usbIdsByVendor } from '../devices/busylight/index.js';

export const UNIT_NAME = 'thirdring-desk.service';


/** Headset vendors (every device of theirs: headsets have many product ids); the lights come from their driver. */
export const HEADSET_VENDORS: { vendor: string; what: string }[] = [
  { vendor: '0b0e', what: 'Jabra' },
  { vendor: '047f', what: 'Poly/Plantronics' },
  { vendor: '1395', what: 'EPOS/Sennheiser' },
  { vendor: '6993', what: 'Yealink' },
  { vendor: '046d', what: 'Logitech' },
];

const hex = (n: number) => n.toString(16).padStart(4, '0');

/**
 * One line per vendor (headsets) or per vendor and product (lights: 0x04D8 is Microchip's, shared by many
 * boards): udev takes one value per ATTRS. uaccess: the user at the seat, no group needed.
 */
export function udevRules(): string {
  const lines = ['# /etc/udev/rules.d/70-thirdring-desk.rules — thirdring desk: headsets and busylights for the user at this PC'];
  lines.push(`# headsets: ${HEADSET_VENDORS.map((v) => v.what).join(', ')}`);
  for (const v of HEADSET_VENDORS) lines.push(`KERNEL=="hidraw*", ATTRS{idVendor}=="${v.vendor}", MODE="0660", TAG+="uaccess"`);
  lines.push('# busylights');
  for (const [vendor, products] of usbIdsByVendor()) {
    for (const product of products) lines.push(`KERNEL=="hidraw*", ATTRS{idVendor}=="${hex(vendor)}", ATTRS{idProduct}=="${hex(product)}", MODE="0660", TAG+="uaccess"`);
  }
  return lines.join('\n') + '\n';
}

export interface UnitOptions {
  configFile: string;
  /** The command that runs thirdring: node, its flags, the CLI script. */
  command: string[];
  desk: string;
}

/** systemd quoting: each word in double quotes, with \ and " escaped, and % doubled (specifier). */
const quote = (word: string) => `"${word.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;

export function systemdUnit(options: UnitOptions): string {
  const exec = [...options.command, 'desk', '--config', options.configFile].map(quote).join(' ');
  return `[Unit]
Description=thirdring desk agent (desk ${options.desk})
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${exec}
Restart=always
RestartSec=5

[Install]
WantedBy=default.target
`;
}

/** ~/.config/systemd/user (or $XDG_CONFIG_HOME/systemd/user). */
export function userUnitDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'systemd', 'user');
}

/** Writes the unit; returns its path. */
export function installUnit(options: UnitOptions, dir = userUnitDir()): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, UNIT_NAME);
  writeFileSync(path, systemdUnit({ ...options, configFile: resolve(options.configFile) }));
  return path;
}
