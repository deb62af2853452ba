// Kuando Busylight Alpha / UC / Omega: one 64-byte output report, a program of 7 steps and a footer.
//
// Facts, from the Busylight API rev 2.2 (Kuando/Plenom, "Busylight/Kuando Box HID communication protocol
// specification", https://github.com/porsager/busylight/files/273865/Busylight.API.rev.2.2.-.22052015.pdf) and
// JnyJny/busylight docs/hardware/devices/kuando.md (commit 16ad0fd):
// - 64 bytes: 7 steps of 8 bytes, then sensitivity, timeout, trigger (unused by Alpha/Omega: 0), three pad bytes
//   that must be 0xFF, and a 16-bit checksum, high byte first: the sum of bytes 0..61.
// - A step: cmd, repeat [1..255], red, green, blue (PWM on time 0..100 = 0..100 %), on time and off time in
//   0.1 s steps, and an audio byte 0bcbbbbeee: c = 1 changes the audio (c = 0 leaves it), bbbb = the ringtone,
//   eee = the volume (000 stops the ringtone).
// - cmd 0b00010aaa: show this step, then jump to step aaa. cmd 0b1000xxxx: keep alive, no change, xxxx = timeout in
//   seconds [0..15]. Without keep-alives the light stops its program and goes dark.
// - Ringtones (the audio byte's bbbb, from the Ring values 136..216 = 0x80 | tone << 3 in JnyJny/busylight,
//   packages/busylight-core/src/busylight_core/vendors/kuando/implementation/enums.py): 1 OpenOffice, 2 Quiet,
//   3 Funky, 4 FairyTale, 5 KuandoTrain, 6 TelephoneNordic, 7 TelephoneOriginal, 8 TelephonePickMeUp, 11 Buzz.
import type { BuzzerPattern } from '../../core/types.js';
import { normalize, PULSE_LEVELS, rgbOf, TIMING, type LightPlan, type Report, type Rgb } from './plan.js';
import type { BusylightIndication } from './types.js';

const STEPS = 7;
const JUMP = 0x10;
const KEEP_ALIVE = 0x80;
const AUDIO_CHANGE = 0x80;

/** The ringtone and volume (0..7) for each buzzer stage: a soft tone for the chirp, a telephone ring for the ring. */
export const KUANDO_TONES: Record<Exclude<BuzzerPattern, 'off'>, { tone: number; volume: number }> = {
  chirp: { tone: 2, volume: 2 }, // Quiet, low
  ring: { tone: 6, volume: 5 }, // TelephoneNordic
};

/**
 * Keep-alive: each one asks the light to stay on for KEEP_ALIVE_TIMEOUT_S (15 s, the most the 4-bit field holds);
 * one is sent every KEEP_ALIVE_EVERY_MS (5 s), so two in a row can be late or lost (a busy event loop, a USB
 * hiccup) before the light quiesces — and when the agent dies the light goes dark within 15 s instead of showing a
 * stale "answer now".
 */
export const KEEP_ALIVE_TIMEOUT_S = 15;
export const KEEP_ALIVE_EVERY_MS = 5000;

interface KuandoStep {
  rgb: Rgb;
  /** 0.1 s units */
  on: number;
  off: number;
}

/** 0..255 → the Kuando's 0..100 PWM scale, rounded. */
const pwm = (value: number) => Math.round((value / 255) * 100);
const tenths = (ms: number) => Math.round(ms / 100);

function patternSteps(color: string, pattern: string): KuandoStep[] {
  const rgb = rgbOf(color);
  switch (pattern) {
    case 'solid':
      return [{ rgb, on: 10, off: 0 }];
    case 'fast-blink':
      return [{ rgb, on: tenths(TIMING.fastBlink.onMs), off: tenths(TIMING.fastBlink.offMs) }];
    case 'slow-blink':
      return [{ rgb, on: tenths(TIMING.slowBlink.onMs), off: tenths(TIMING.slowBlink.offMs) }];
    case 'pulse':
      return PULSE_LEVELS.map((level) => ({ rgb: rgb.map((c) => c * level) as unknown as Rgb, on: tenths(TIMING.pulsePeriodMs / PULSE_LEVELS.length), off: 0 }));
    default:
      return [{ rgb: [0, 0, 0], on: 10, off: 0 }];
  }
}

function audioByte(buzzer: BuzzerPattern, sound: boolean): number {
  if (buzzer === 'off' || !sound) return AUDIO_CHANGE; // change the audio: volume 000, the ringtone stops
  const { tone, volume } = KUANDO_TONES[buzzer];
  return AUDIO_CHANGE | (tone << 3) | volume;
}

/** The 64 bytes with the footer's pad and checksum filled in, behind report ID 0. */
function packet(steps: number[][]): Report {
  const bytes = new Array<number>(64).fill(0);
  steps.forEach((step, i) => step.forEach((b, j) => (bytes[i * 8 + j] = b)));
  bytes[59] = bytes[60] = bytes[61] = 0xff;
  const sum = bytes.slice(0, 62).reduce((a, b) => a + b, 0) & 0xffff;
  bytes[62] = sum >> 8;
  bytes[63] = sum & 0xff;
  return { kind: 'output', bytes: [0x00, ...bytes] };
}

function stepBytes(step: KuandoStep, target: number, audio: number): number[] {
  const [r, g, b] = step.rgb.map(pwm) as [number, number, number];
  return [JUMP | target, 1, r, g, b, step.on, step.off, audio];
}

/** The keep-alive report: step 0 = keep alive for KEEP_ALIVE_TIMEOUT_S, nothing else changes. */
export function kuandoKeepAlive(): Report {
  return packet([[KEEP_ALIVE | KEEP_ALIVE_TIMEOUT_S, 0, 0, 0, 0, 0, 0, 0]]);
}

/**
 * The program: step 0 sets the audio (a tone, or silence) while showing the pattern's first step, then jumps to
 * step 1; steps 1..n are the pattern with the audio left alone, the last jumping back to step 1 — so the tone is
 * started once, not restarted at every blink. The light runs it by itself; a keep-alive every 5 s keeps it going.
 */
export function kuandoPlan(indication: BusylightIndication, sound = true): LightPlan {
  const { color, pattern, buzzer } = normalize(indication);
  const steps = patternSteps(color, pattern);
  const program = [stepBytes(steps[0]!, 1, audioByte(buzzer, sound)), ...steps.map((s, i) => stepBytes(s, i + 1 < steps.length ? i + 2 : 1, 0))];
  if (program.length > STEPS) throw new Error(`kuando: ${program.length} steps do not fit in ${STEPS}`);
  const dark = pattern === 'off' && (buzzer === 'off' || !sound);
  return {
    once: [packet(program)],
    cycle: [],
    keepAlive: dark ? null : { everyMs: KEEP_ALIVE_EVERY_MS, atStart: false, reports: [kuandoKeepAlive()] },
  };
}
