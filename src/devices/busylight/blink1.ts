// ThingM blink(1): 8-byte feature reports with report ID 1 (blink1-lib sends them in a 9-byte buffer: the ID, the
// 8 bytes, the last one 0).
//
// Facts, from todbot/blink1 docs/blink1-hid-commands.md and todbot/blink1-tool blink1-lib.h
// (blink1_report_id 1, blink1_report_size 8, blink1_buf_size = report size + 1):
// - Fade to RGB: {0x01, 'c', r, g, b, th, tl, n}: th/tl = the fade time in 10 ms ticks, high/low byte; n = 0 all LEDs.
// - Server tickle: {0x01, 'D', on, th, tl, st, 0, 0}: on = 1 arms it, 0 disarms it; th/tl = the timeout in 10 ms
//   ticks; st = 1 keeps the state, 0 resets to off (mk2 firmware) when the host stops tickling before the timeout.
// The blink(1) has no hardware blink and no sound: blinks are timed here (fade time 0), the pulse is two fades.
import { normalize, rgbOf, TIMING, type LightPlan, type Report, type Rgb } from './plan.js';
import type { BusylightIndication } from './types.js';

const REPORT_ID = 0x01;
const FADE = 0x63; // 'c'
const TICKLE = 0x44; // 'D'

/**
 * The server tickle: armed with a 15 s timeout (0x05DC ticks of 10 ms) and re-armed every 5 s while something is
 * shown, so if the agent dies the blink(1) stops showing a stale "answer now" by itself within 15 s.
 */
export const TICKLE_TIMEOUT_MS = 15_000;
export const TICKLE_EVERY_MS = 5000;

const feature = (bytes: number[]): Report => ({ kind: 'feature', bytes: [REPORT_ID, ...bytes, 0x00] });

export function blink1Fade(rgb: Rgb, fadeMs: number): Report {
  const ticks = Math.round(fadeMs / 10);
  const [r, g, b] = rgb.map(Math.round) as [number, number, number];
  return feature([FADE, r, g, b, ticks >> 8, ticks & 0xff, 0x00]);
}

export function blink1Tickle(on: boolean): Report {
  const ticks = on ? TICKLE_TIMEOUT_MS / 10 : 0;
  return feature([TICKLE, on ? 1 : 0, ticks >> 8, ticks & 0xff, 0x00, 0x00, 0x00]);
}

const SOLID_FADE_MS = 100;

export function blink1Plan(indication: BusylightIndication): LightPlan {
  const { color, pattern } = normalize(indication);
  const rgb = rgbOf(color);
  const tickle = { everyMs: TICKLE_EVERY_MS, atStart: true, reports: [blink1Tickle(true)] };
  const blink = (t: { onMs: number; offMs: number }) => [
    { reports: [blink1Fade(rgb, 0)], holdMs: t.onMs },
    { reports: [blink1Fade([0, 0, 0], 0)], holdMs: t.offMs },
  ];
  const half = TIMING.pulsePeriodMs / 2;
  switch (pattern) {
    case 'solid':
      return { once: [blink1Fade(rgb, SOLID_FADE_MS)], cycle: [], keepAlive: tickle };
    case 'fast-blink':
      return { once: [], cycle: blink(TIMING.fastBlink), keepAlive: tickle };
    case 'slow-blink':
      return { once: [], cycle: blink(TIMING.slowBlink), keepAlive: tickle };
    case 'pulse':
      return {
        once: [],
        cycle: [
          { reports: [blink1Fade(rgb, half)], holdMs: half },
          { reports: [blink1Fade([0, 0, 0], half)], holdMs: half },
        ],
        keepAlive: tickle,
      };
    default:
      return { once: [blink1Fade([0, 0, 0], SOLID_FADE_MS), blink1Tickle(false)], cycle: [], keepAlive: null };
  }
}
