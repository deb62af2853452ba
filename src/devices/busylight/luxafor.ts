// Luxafor Flag / Orb / Mute: 8-byte output reports, no report IDs (node-hid writes a 0 first).
//
// Facts, from JnyJny/busylight docs/hardware/devices/luxafor.md (commit 16ad0fd) and
// packages/busylight-core/src/busylight_core/vendors/luxafor/implementation/enums.py and state.py:
// - Steady colour: command 1, LEDs, red, green, blue, then zeros. LEDs 0xFF = all six (0x41 back, 0x42 front).
// - The Flag also has fade (2), strobe (3), wave (4) and built-in patterns (6), but none is documented to repeat
//   forever at a known rate, so blinking and the pulse are timed here, with steady-colour commands.
// - The Mute's button (vendors/luxafor/mute.py): it sends [0x83, 0x00, ...] when pushed and [0x83, 0x01, ...] when
//   released. The Luxafor lights have no sound.
import type { BusylightButton } from './types.js';
import { normalize, PULSE_LEVELS, rgbOf, TIMING, type LightPlan, type Report, type Rgb } from './plan.js';
import type { BusylightIndication } from './types.js';

const STEADY = 0x01;
const ALL_LEDS = 0xff;
const BUTTON_REPORT = 0x83;

export function luxaforColor(rgb: Rgb): Report {
  const [r, g, b] = rgb.map(Math.round) as [number, number, number];
  return { kind: 'output', bytes: [0x00, STEADY, ALL_LEDS, r, g, b, 0x00, 0x00, 0x00] };
}

/** Solid and off are one write; blinks and the pulse are a software cycle of steady colours. Quiet: no sound. */
export function luxaforPlan(indication: BusylightIndication): LightPlan {
  const { color, pattern } = normalize(indication);
  const rgb = rgbOf(color);
  const blink = (t: { onMs: number; offMs: number }) => [
    { reports: [luxaforColor(rgb)], holdMs: t.onMs },
    { reports: [luxaforColor([0, 0, 0])], holdMs: t.offMs },
  ];
  switch (pattern) {
    case 'solid':
      return { once: [luxaforColor(rgb)], cycle: [], keepAlive: null };
    case 'fast-blink':
      return { once: [], cycle: blink(TIMING.fastBlink), keepAlive: null };
    case 'slow-blink':
      return { once: [], cycle: blink(TIMING.slowBlink), keepAlive: null };
    case 'pulse':
      return {
        once: [],
        cycle: PULSE_LEVELS.map((level) => ({ reports: [luxaforColor(rgb.map((c) => c * level) as unknown as Rgb)], holdMs: TIMING.pulsePeriodMs / PULSE_LEVELS.length })),
        keepAlive: null,
      };
    default:
      return { once: [luxaforColor([0, 0, 0])], cycle: [], keepAlive: null };
  }
}

/** A Mute's input report as a button press or release; null for anything else. */
export function luxaforButton(report: Buffer | number[], at: number): BusylightButton | null {
  if (report[0] !== BUTTON_REPORT || report.length < 2) return null;
  return { button: 'main', state: report[1] === 0 ? 'down' : 'up', at };
}
