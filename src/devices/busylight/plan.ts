// What a busylight driver writes for one indication, as data: the reports to write once, a software-timed cycle
// for what the hardware cannot time itself, and a keep-alive the hardware needs to stay lit. Pure; the device
// class (busylight.ts) runs it on a real light, `thirdring busylight frames` prints it.
import type { BuzzerPattern, LedPattern } from '../../core/types.js';
import type { BusylightIndication } from './types.js';

/** One HID report as node-hid writes it: the report ID first (0 when the device uses none). */
export interface Report {
  /** 'output': hid.write(); 'feature': hid.sendFeatureReport() (blink(1)). */
  kind: 'output' | 'feature';
  bytes: number[];
}

/** One step of a software-timed cycle: write these reports, then wait `holdMs` before the next step. */
export interface CycleStep {
  reports: Report[];
  holdMs: number;
}

export interface LightPlan {
  /** Written once, when the indication is shown (or the light comes back). */
  once: Report[];
  /** Written in turn, from the first step, over and over; empty when the hardware runs the pattern itself. */
  cycle: CycleStep[];
  /** Written every `everyMs` while the indication is shown (and once at once when `atStart`); null: not needed. */
  keepAlive: { everyMs: number; atStart: boolean; reports: Report[] } | null;
}

/** Every report a plan writes, each once, in the order first written: the once-reports, the cycle, the keep-alive. */
export function planReports(plan: LightPlan): Report[] {
  return [...plan.once, ...plan.cycle.flatMap((step) => step.reports), ...(plan.keepAlive?.reports ?? [])];
}

/** A report as `thirdring busylight frames` prints it: two-digit hex bytes separated by spaces, report ID first. */
export function hexLine(report: Report): string {
  return report.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export type Rgb = readonly [number, number, number];

/**
 * The desk unit's colours (hardware/desk-unit/src/config.example.h: COLOR_BLUE, COLOR_AMBER, COLOR_WHITE), so a
 * busylight and a desk unit show the same amber. An unknown colour name shows as white rather than nothing.
 */
export const COLORS: Record<string, Rgb> = {
  off: [0, 0, 0],
  blue: [0, 0, 255],
  amber: [255, 90, 0],
  white: [255, 255, 255],
};

export function rgbOf(color: string): Rgb {
  return COLORS[color] ?? COLORS.white!;
}

/**
 * Blink timing shared by every family, so all lights blink alike. The desk unit's fast blink is 4 Hz (125 ms
 * halves, hardware/desk-unit/src/patterns.h); the Kuando times in 0.1 s steps cannot hold 125 ms, so the
 * busylights use 200 ms halves (2.5 Hz) — still clearly "fast" next to the 500 ms halves of the slow blink.
 * The pulse breathes over the desk unit's 2 s period.
 */
export const TIMING = {
  fastBlink: { onMs: 200, offMs: 200 },
  slowBlink: { onMs: 500, offMs: 500 },
  pulsePeriodMs: 2000,
} as const;

/** The indication, with defaults for a missing led/buzzer (none: off). */
export function normalize(indication: BusylightIndication): { color: string; pattern: LedPattern; buzzer: BuzzerPattern } {
  const pattern = indication.led?.pattern ?? 'off';
  const color = pattern === 'off' ? 'off' : (indication.led?.color ?? 'off');
  return { color: color === 'off' ? 'off' : color, pattern: color === 'off' ? 'off' : pattern, buzzer: indication.buzzer?.pattern ?? 'off' };
}

/**
 * The pulse as steps of brightness (fractions of the colour), each a quarter of the pulse period: bright, half,
 * nearly dark, half — the desk unit's raised-cosine breathing (patterns.cpp) sampled four times, the dark end kept
 * faintly lit so a pulse never looks like a blink.
 */
export const PULSE_LEVELS = [1, 0.5, 0.1, 0.5] as const;
