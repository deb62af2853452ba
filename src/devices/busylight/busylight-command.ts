// `thirdring busylight frames <model> <alert> [--buzzer off|chirp|ring]` and `thirdring busylight list`.
import { parseArgs } from 'node:util';
import type { BuzzerPattern, DeskAlert, Indication } from '../../core/types.js';
import type { HidBackend } from '../hid-headset/types.js';
import { MODELS, modelNamed, modelOf, MODEL_NAMES } from './models.js';
import { hexLine } from './plan.js';
import { frames } from './plans.js';

export const BUSYLIGHT_USAGE = `Usage: thirdring busylight frames <model> <alert> [--buzzer off|chirp|ring]
       thirdring busylight list

frames prints, without a device, the exact HID reports the busylight driver writes for a desk's alert: one line
per report, two-digit hex bytes separated by spaces, the report ID first (00 where the light has none) as node-hid
writes it — first what is written once, then each step of a blink the driver times itself, then the keep-alive
(Kuando) or server tickle (blink(1)) it repeats every 5 s. The alerts look as on a desk unit: yours = blue fast
blink, hold = blue solid, nearby = amber slow blink, everyone = white pulse, callback = amber solid, none = off.
--buzzer (default off) picks the light's own tone where it has a speaker; other lights stay quiet.
list shows the busylights plugged into this machine (needs read access to /dev/hidraw*, see README).

Models: ${MODEL_NAMES.join(', ')}
Alerts: yours, hold, nearby, everyone, callback, none`;

/** A usage mistake: the CLI prints the message and exits 2. */
export class BusylightUsageError extends Error {}

/** The desk-unit contract (src/core/indications.ts): what each alert looks like. */
export const ALERT_LEDS: Record<DeskAlert, Indication['led']> = {
  yours: { color: 'blue', pattern: 'fast-blink' },
  hold: { color: 'blue', pattern: 'solid' },
  nearby: { color: 'amber', pattern: 'slow-blink' },
  everyone: { color: 'white', pattern: 'pulse' },
  callback: { color: 'amber', pattern: 'solid' },
  none: { color: 'off', pattern: 'off' },
};
const ALERTS = Object.keys(ALERT_LEDS) as DeskAlert[];
const BUZZERS: readonly BuzzerPattern[] = ['off', 'chirp', 'ring'];

/** Runs the subcommand; each output line goes to `out`. */
export function busylightCommand(args: string[], out: (line: string) => void, backend: () => HidBackend): void {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { buzzer: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new BusylightUsageError(`${(error as Error).message}\n\n${BUSYLIGHT_USAGE}`);
  }
  const [sub, ...rest] = parsed.positionals;
  if (sub === 'frames' && rest.length === 2) {
    const [modelName, alert] = rest as [string, string];
    const model = modelNamed(modelName);
    if (!model) throw new BusylightUsageError(`unknown model "${modelName}"; models: ${MODEL_NAMES.join(', ')}`);
    if (!(ALERTS as string[]).includes(alert)) throw new BusylightUsageError(`unknown alert "${alert}"; alerts: ${ALERTS.join(', ')}`);
    const buzzer = parsed.values.buzzer ?? 'off';
    if (!(BUZZERS as string[]).includes(buzzer)) throw new BusylightUsageError(`--buzzer: expected one of ${BUZZERS.join(', ')}, got "${buzzer}"`);
    const indication = { alert: alert as DeskAlert, led: ALERT_LEDS[alert as DeskAlert], buzzer: { pattern: buzzer as BuzzerPattern } };
    for (const report of frames(model, indication)) out(hexLine(report));
    return;
  }
  if (sub === 'list' && rest.length === 0 && parsed.values.buzzer === undefined) {
    const found = backend()
      .list()
      .map((device) => ({ device, model: modelOf(device) }))
      .filter((d) => d.model !== null);
    if (found.length === 0) out(`no busylight found (known: ${MODELS.map((m) => m.label).join(', ')})`);
    for (const { device, model } of found) {
      const id = `${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`;
      out(`${device.path}  usb ${id}  ${model!.name} (${model!.label})${device.serialNumber ? `  serial ${device.serialNumber}` : ''}`);
    }
    return;
  }
  throw new BusylightUsageError(BUSYLIGHT_USAGE);
}
