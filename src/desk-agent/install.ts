// `thirdring desk install`: a systemd --user unit that keeps the agent running, and the udev rule that lets the
// logged-in user open the desk's headset and light (hidraw).
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const UNIT_NAME = 'thirdring-desk.service';

/** USB vendors (and products, where the vendor id is shared) of the headsets and lights the agent opens. */
export const USB_DEVICES: { vendor: string; product?: string; what: string }[] = [
  { vendor: '0b0e', what: 'Jabra headsets' },
  { vendor: '047f', what: 'Poly/Plantronics headsets, Poly Status Indicator' },
  { vendor: '1395', what: 'EPOS/Sennheiser headsets' },
  { vendor: '6993', what: 'Yealink headsets' },
  { vendor: '046d', what: 'Logitech headsets' },
  { vendor: '27bb', what: 'Kuando Busylight (Plenom)' },
  // 0x04D8 is Microchip's, shared by many boards: only the lights' product ids.
  { vendor: '04d8', product: 'f848', what: 'Kuando Busylight Alpha (older)' },
  { vendor: '04d8', product: 'f372', what: 'Luxafor Flag/Orb/Mute' },
  { vendor: '2c0d', what: 'Embrava Blynclight' },
  { vendor: '0e53', product: '2516', what: 'Embrava Blynclight (older)' },
  { vendor: '0e53', product: '2517', what: 'Embrava Blynclight Plus (older)' },
  { vendor: '0e53', product: '2519', what: 'Embrava Blynclight Mini (older)' },
  { vendor: '27b8', product: '01ed', what: 'ThingM blink(1)' },
];

/** One line per device: udev takes one vendor per ATTRS value. uaccess: the user at the seat, no group needed. */
export function udevRules(): string {
  const lines = ['# /etc/udev/rules.d/70-thirdring-desk.rules — thirdring desk agent: headsets and busylights for the user at this PC'];
  for (const d of USB_DEVICES) {
    const product = d.product ? `, ATTRS{idProduct}=="${d.product}"` : '';
    lines.push(`# ${d.what}`, `KERNEL=="hidraw*", ATTRS{idVendor}=="${d.vendor}"${product}, MODE="0660", TAG+="uaccess"`);
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
