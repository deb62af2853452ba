// Embrava Blynclight / Blynclight Plus / Mini and the Plantronics (Poly) Status Indicator: one 9-byte output
// report that holds the whole state; the light flashes and plays its tunes by itself.
//
// Facts, from JnyJny/busylight docs/hardware/devices/embrava.md (commit 16ad0fd) and
// packages/busylight-core/src/busylight_core/vendors/embrava/blynclight_protocol.py (`__bytes__`: 0, the state,
// 0xFF, 0x22) and implementation/blynclight_fields.py, blynclight_enums.py:
// - Bytes: 0x00 (the report ID), red, BLUE, GREEN (R-B-G order), control, music, volume, 0xFF, 0x22.
// - Control byte: bit 0 off, bit 1 dim, bit 2 flash, bits 3..5 flash speed 1 slow / 2 medium / 4 fast.
// - Music byte: bits 0..3 the tune [0..15], bit 4 play (0 stops), bit 5 repeat (0 plays once).
// - Volume byte: bits 0..3 the volume [0..15], bit 4 mute.
//   (The doc's C struct numbers these bits from the top of each byte, but declares them first-field-first, which
//   compilers lay out from bit 0; busylight-core's fields, used on the devices, put them from bit 0 as above.)
// - The plain Blynclight has no speaker; the Plus, the Mini and the Status Indicator (a rebranded Plus) do.
import type { BuzzerPattern } from '../../core/types.js';
import { normalize, rgbOf, type LightPlan, type Report } from './plan.js';
import type { BusylightIndication } from './types.js';

const OFF = 0x01;
const FLASH = 0x04;
const SPEED = { slow: 1 << 3, medium: 2 << 3, fast: 4 << 3 } as const;
const PLAY = 0x10;
const REPEAT = 0x20;

/** Tune and volume (0..15) for each buzzer stage; both repeat until the indication changes, as the desk unit's do. */
export const EMBRAVA_TUNES: Record<Exclude<BuzzerPattern, 'off'>, { tune: number; volume: number }> = {
  chirp: { tune: 2, volume: 3 },
  ring: { tune: 1, volume: 10 },
};

/**
 * One report. fast-blink → fast flash, slow-blink → slow flash, pulse → medium flash (the light cannot fade; the
 * three speeds keep the three ringing alerts apart, as their colours do).
 */
export function embravaPlan(indication: BusylightIndication, sound: boolean): LightPlan {
  const { color, pattern, buzzer } = normalize(indication);
  const [r, g, b] = rgbOf(color);
  let control: number;
  if (pattern === 'off') control = OFF;
  else if (pattern === 'fast-blink') control = FLASH | SPEED.fast;
  else if (pattern === 'slow-blink') control = FLASH | SPEED.slow;
  else if (pattern === 'pulse') control = FLASH | SPEED.medium;
  else control = 0;
  let music = 0;
  let volume = 0;
  if (sound && buzzer !== 'off') {
    const t = EMBRAVA_TUNES[buzzer];
    music = t.tune | PLAY | REPEAT;
    volume = t.volume;
  }
  const report: Report = { kind: 'output', bytes: [0x00, r, b, g, control, music, volume, 0xff, 0x22] };
  return { once: [report], cycle: [], keepAlive: null };
}
