// `thirdring desk [install | away | back] [--config desk.yaml]`
import mqtt from 'mqtt';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { untilSignal } from '../common/until-signal.js';
import type { HidBackend } from '../devices/hid-headset/types.js';
import { topicsFor } from '../bridge/mqtt/topics.js';
import { composeDeskAgent } from './compose.js';
import { DeskConfigError, deskPassword, loadDeskConfig, type DeskConfig } from './config.js';
import { agentClientId, deskClientOptions } from './desk-link.js';
import { installUnit, udevRules, UNIT_NAME } from './install.js';
import type { PresenceSource } from './presence.js';

export const DESK_USAGE = `Usage: thirdring desk [--config desk.yaml]          run the desk agent on this PC
       thirdring desk away|back [--config desk.yaml] say this desk is away or back (as the desk's account)
       thirdring desk install [--config desk.yaml]   write a systemd --user unit; print the udev rule

The agent shows the bridge's indication for its desk on the USB busylight and headset, sends the headset's
hook and hold and the PC's presence (screen lock, idle) as the desk's actions, and shows "no bridge" (white,
slow blink) while the bridge or the broker is away. Default config: $XDG_CONFIG_HOME/thirdring/desk.yaml
(~/.config/thirdring/desk.yaml). The password comes from passwordFile or $THIRDRING_DESK_PASSWORD.`;

/** What tests swap: the HID backend (node-hid on a real PC) and the presence source. */
export interface DeskCommandSeams {
  hidBackend?: () => HidBackend;
  presenceSource?: PresenceSource | null;
  hidPollMs?: number;
}

export function defaultDeskConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'thirdring', 'desk.yaml');
}

export async function deskCommand(args: string[], seams: DeskCommandSeams = {}): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { config: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new DeskConfigError((error as Error).message);
  }
  const [sub, ...rest] = parsed.positionals;
  if (rest.length > 0 || (sub !== undefined && !['install', 'away', 'back'].includes(sub))) {
    throw new DeskConfigError(`unknown argument "${[sub, ...rest].join(' ')}"; expected install, away or back\n\n${DESK_USAGE}`);
  }
  const configFile = parsed.values.config ?? defaultDeskConfigPath();
  const config = loadDeskConfig(configFile);
  if (sub === 'install') return install(config);
  if (sub === 'away' || sub === 'back') return sayPresence(config, sub === 'away' ? 'away' : 'present');
  return run(config, seams);
}

async function run(config: DeskConfig, seams: DeskCommandSeams): Promise<void> {
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()}  desk ${config.desk}  ${line}\n`);
  const desk = composeDeskAgent(config, {
    password: deskPassword(config),
    hidBackend: seams.hidBackend ?? nodeHid,
    ...(seams.presenceSource !== undefined ? { presenceSource: seams.presenceSource } : {}),
    ...(seams.hidPollMs !== undefined ? { hidPollMs: seams.hidPollMs } : {}),
    log,
  });
  desk.link.on('connected', () => log(`connected to ${config.broker.url} as desk-${config.desk}`));
  desk.start();
  log(`started (site ${config.site}, presence from ${desk.presence ? 'logind' : 'the light and thirdring desk away|back'})`);
  await untilSignal();
  await desk.stop();
}

/** node-hid is loaded only when a device is configured (a desk without one runs without the native module). */
function nodeHid(): HidBackend {
  return new LazyNodeHid();
}

class LazyNodeHid implements HidBackend {
  private backend: HidBackend | null = null;
  private failed: Error | null = null;
  private loading: Promise<void> | null = null;

  constructor() {
    this.loading = import('../devices/hid-headset/node-hid-backend.js').then(
      (m) => void (this.backend = new m.NodeHidBackend()),
      (error: unknown) => void (this.failed = error instanceof Error ? error : new Error(String(error))),
    );
  }

  list() {
    if (this.failed) throw new Error(`node-hid not available: ${this.failed.message}`);
    return this.backend?.list() ?? [];
  }

  open(path: string) {
    if (!this.backend) throw new Error('node-hid not loaded yet');
    return this.backend.open(path);
  }
}

/** `thirdring desk away|back`: the same action the agent would send, as the desk's account, then done. */
async function sayPresence(config: DeskConfig, presence: 'present' | 'away'): Promise<void> {
  const topics = topicsFor(config.site);
  const client = await mqtt
    .connectAsync(config.broker.url, { ...deskClientOptions(config, deskPassword(config)), clientId: `${agentClientId(config.desk)}-cli-${process.pid}`, reconnectPeriod: 0, clean: true })
    .catch((error: Error) => {
      throw new DeskConfigError(`${config.broker.url}: cannot connect as desk-${config.desk}: ${error.message}`);
    });
  try {
    await client.publishAsync(topics.deskAction(config.desk), JSON.stringify({ action: presence }), { qos: 1 });
    process.stdout.write(`desk ${config.desk}: ${presence}\n`);
  } finally {
    await client.endAsync();
  }
}

function install(config: DeskConfig): void {
  // The command that is running now, run the same way by systemd (node, its flags, the CLI script).
  const command = [process.execPath, ...process.execArgv, process.argv[1]!];
  const path = installUnit({ configFile: config.file, command, desk: config.desk });
  const out = (text: string) => process.stdout.write(text);
  out(`wrote ${path}\nstart it now and at every login:\n  systemctl --user daemon-reload && systemctl --user enable --now ${UNIT_NAME}\n`);
  if (!config.passwordFile) {
    out(`note: a user service does not see your shell's environment; set passwordFile in ${config.file} (or ${config.passwordEnv} in a drop-in).\n`);
  }
  out(`\nfor the headset and the light, as root (then unplug and plug them in again):\n\n${udevRules()}\n  sudo udevadm control --reload && sudo udevadm trigger\n`);
}
