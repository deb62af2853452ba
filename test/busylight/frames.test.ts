// The exact reports each busylight family is sent, written out here by hand from the public protocol facts (never
// produced by the code under test), one block per family with its sources:
// - Kuando: Busylight API rev 2.2 (https://github.com/porsager/busylight/files/273865/Busylight.API.rev.2.2.-.22052015.pdf)
//   and JnyJny/busylight docs/hardware/devices/kuando.md (commit 16ad0fd): 7 steps of [cmd 0x10|target, repeat,
//   R, G, B (0..100), on, off (0.1 s), audio 0bcbbbbeee], then 00 00 00 FF FF FF and the 16-bit sum of bytes 0..61.
// - Luxafor: JnyJny/busylight docs/hardware/devices/luxafor.md: [1, LEDs 0xFF, R, G, B, 0, 0, 0], behind report ID 0.
// - Embrava / Poly: JnyJny/busylight packages/busylight-core/.../embrava/blynclight_protocol.py and
//   implementation/blynclight_fields.py: [0, R, B, G, control, music, volume, 0xFF, 0x22].
// - blink(1): todbot/blink1 docs/blink1-hid-commands.md: {0x01, 'c', r, g, b, th, tl, 0}, {0x01, 'D', on, th, tl, st, 0, 0},
//   in blink1-lib's 9-byte buffer (todbot/blink1-tool blink1-lib.h: blink1_buf_size = 8 + 1).
import { describe, expect, it } from 'vitest';
import { ALERT_LEDS } from '../../src/devices/busylight/busylight-command.js';
import { modelNamed } from '../../src/devices/busylight/models.js';
import { hexLine, type LightPlan } from '../../src/devices/busylight/plan.js';
import { frames, planFor } from '../../src/devices/busylight/plans.js';
import type { BuzzerPattern, DeskAlert } from '../../src/core/types.js';

const indication = (alert: DeskAlert, buzzer: BuzzerPattern = 'off') => ({ alert, led: ALERT_LEDS[alert], buzzer: { pattern: buzzer } });
const plan = (model: string, alert: DeskAlert, buzzer: BuzzerPattern = 'off'): LightPlan => planFor(modelNamed(model)!, indication(alert, buzzer));
const lines = (model: string, alert: DeskAlert, buzzer: BuzzerPattern = 'off') => frames(modelNamed(model)!, indication(alert, buzzer)).map(hexLine);

/** Report ID 0, then the 64 Kuando bytes: the given steps, zero steps up to 7, the footer and the checksum given. */
function kuando(steps: string[], checksum: string): string {
  const zeros = Array.from({ length: 7 - steps.length }, () => '00 00 00 00 00 00 00 00');
  return ['00', ...steps, ...zeros, '00 00 00 ff ff ff', checksum].join(' ');
}

describe('Kuando Busylight (64-byte program, report ID 0)', () => {
  it('yours = blue fast blink: 0.2 s on / 0.2 s off, blue at 100 %, step 0 sets the audio off, step 1 loops', () => {
    // step 0: jump to 1, repeat 1, R0 G0 B100 (0x64), on 2, off 2, audio 0x80 (c = 1, tone 0, volume 000: stop)
    // step 1: jump to 1 (itself), same colour and times, audio 0x00 (c = 0: leave it)
    // checksum: (0x11+1+0x64+2+2+0x80 = 250) + (0x11+1+0x64+2+2 = 122) + 3 × 0xFF (765) = 1137 = 0x0471
    expect(lines('kuando-alpha', 'yours')).toEqual([
      kuando(['11 01 00 00 64 02 02 80', '11 01 00 00 64 02 02 00'], '04 71'),
      kuando(['8f 00 00 00 00 00 00 00'], '03 8c'),
    ]);
  });

  it('ring = TelephoneNordic (tone 6) at volume 5: audio byte 1 0110 101 = 0xB5, started once in step 0', () => {
    // checksum: (0x11+1+0x64+2+2+0xB5 = 303) + 122 + 765 = 1190 = 0x04A6
    expect(lines('kuando-omega', 'yours', 'ring')[0]).toBe(kuando(['11 01 00 00 64 02 02 b5', '11 01 00 00 64 02 02 00'], '04 a6'));
  });

  it('hold with its chirp = blue solid (on 1 s, off 0) with Quiet (tone 2) at volume 2: 1 0010 010 = 0x92', () => {
    // checksum: (0x11+1+0x64+0x0A+0+0x92 = 274) + (0x11+1+0x64+0x0A = 128) + 765 = 1167 = 0x048F
    expect(lines('kuando-uc', 'hold', 'chirp')[0]).toBe(kuando(['11 01 00 00 64 0a 00 92', '11 01 00 00 64 0a 00 00'], '04 8f'));
  });

  it('nearby = amber slow blink: amber 255,90,0 is 100 %, 35 %, 0 %; 0.5 s on / 0.5 s off', () => {
    // checksum: (0x11+1+0x64+0x23+0+5+5+0x80 = 291) + (163) + 765 = 1219 = 0x04C3
    expect(lines('kuando-alpha', 'nearby')[0]).toBe(kuando(['11 01 64 23 00 05 05 80', '11 01 64 23 00 05 05 00'], '04 c3'));
  });

  it('everyone = white pulse: four 0.5 s steps at 100, 50, 10, 50 % chained 1→2→3→4→1 behind the audio step', () => {
    // sums: 451 (0x11+1+300+5+0x80), 324 (0x12+1+300+5), 175 (0x13+1+150+5), 56 (0x14+1+30+5), 173 (0x11+1+150+5)
    // = 1179, + 765 = 1944 = 0x0798
    expect(lines('kuando-alpha', 'everyone')[0]).toBe(
      kuando(['11 01 64 64 64 05 00 80', '12 01 64 64 64 05 00 00', '13 01 32 32 32 05 00 00', '14 01 0a 0a 0a 05 00 00', '11 01 32 32 32 05 00 00'], '07 98'),
    );
  });

  it('callback = amber solid', () => {
    // (0x11+1+0x64+0x23+0x0A+0x80 = 291) + 163 + 765 = 1219 = 0x04C3
    expect(lines('kuando-alpha', 'callback')[0]).toBe(kuando(['11 01 64 23 00 0a 00 80', '11 01 64 23 00 0a 00 00'], '04 c3'));
  });

  it('none = dark and silent, and no keep-alive: the light may quiesce', () => {
    // (0x11+1+0x0A+0x80 = 156) + (0x11+1+0x0A = 28) + 765 = 949 = 0x03B5
    expect(lines('kuando-omega', 'none')).toEqual([kuando(['11 01 00 00 00 0a 00 80', '11 01 00 00 00 0a 00 00'], '03 b5')]);
    expect(plan('kuando-omega', 'none').keepAlive).toBeNull();
  });

  it('keep-alive: step 0 = 0x8F (keep alive, 15 s), sent every 5 s, not at once (the program has just been sent)', () => {
    const keep = plan('kuando-alpha', 'hold').keepAlive!;
    expect(keep.everyMs).toBe(5000);
    expect(keep.atStart).toBe(false);
    // 0x8F + 765 = 908 = 0x038C
    expect(keep.reports.map(hexLine)).toEqual([kuando(['8f 00 00 00 00 00 00 00'], '03 8c')]);
  });

  it('every packet: 65 bytes, and bytes 62..63 are the sum of bytes 0..61 (the spec, checked on all alerts and tones)', () => {
    for (const alert of Object.keys(ALERT_LEDS) as DeskAlert[]) {
      for (const buzzer of ['off', 'chirp', 'ring'] as const) {
        for (const report of frames(modelNamed('kuando-omega')!, indication(alert, buzzer))) {
          const data = report.bytes.slice(1);
          expect(report.bytes).toHaveLength(65);
          let sum = 0;
          for (let i = 0; i < 62; i++) sum += data[i]!;
          expect((data[62]! << 8) | data[63]!).toBe(sum);
        }
      }
    }
  });
});

describe('Luxafor Flag / Orb / Mute (8 bytes behind report ID 0)', () => {
  const on = '00 01 ff 00 00 ff 00 00 00'; // steady colour, all LEDs, blue
  const dark = '00 01 ff 00 00 00 00 00 00';
  it('yours: the driver times the blink, 200 ms blue, 200 ms dark', () => {
    const p = plan('luxafor-flag', 'yours');
    expect(p.once).toEqual([]);
    expect(p.cycle.map((s) => [s.reports.map(hexLine), s.holdMs])).toEqual([[[on], 200], [[dark], 200]]);
    expect(p.keepAlive).toBeNull();
  });

  it('nearby: amber (255, 90 = 0x5A, 0) 500 ms / dark 500 ms', () => {
    expect(plan('luxafor-orb', 'nearby').cycle.map((s) => [s.reports.map(hexLine), s.holdMs])).toEqual([
      [['00 01 ff ff 5a 00 00 00 00'], 500],
      [[dark], 500],
    ]);
  });

  it('everyone: white at 255, 128, 26, 128 for 500 ms each (a pulse that never goes dark)', () => {
    expect(plan('luxafor-flag', 'everyone').cycle.map((s) => [s.reports.map(hexLine), s.holdMs])).toEqual([
      [['00 01 ff ff ff ff 00 00 00'], 500],
      [['00 01 ff 80 80 80 00 00 00'], 500],
      [['00 01 ff 1a 1a 1a 00 00 00'], 500],
      [['00 01 ff 80 80 80 00 00 00'], 500],
    ]);
  });

  it('hold, callback, none: one steady-colour write; no sound, so a ring changes nothing', () => {
    expect(lines('luxafor-flag', 'hold')).toEqual([on]);
    expect(lines('luxafor-flag', 'callback')).toEqual(['00 01 ff ff 5a 00 00 00 00']);
    expect(lines('luxafor-mute', 'none')).toEqual([dark]);
    expect(lines('luxafor-mute', 'yours', 'ring')).toEqual(lines('luxafor-mute', 'yours', 'off'));
  });
});

describe('Embrava Blynclight family and Poly Status Indicator (9 bytes, R-B-G, the light flashes and plays itself)', () => {
  it('yours: blue goes in the second colour byte; control 0x24 = flash (bit 2) + fast (4 << 3)', () => {
    expect(lines('blynclight', 'yours')).toEqual(['00 00 ff 00 24 00 00 ff 22']);
    expect(plan('blynclight', 'yours').cycle).toEqual([]);
  });

  it('nearby: amber R=FF B=00 G=5A, control 0x0C = flash + slow (1 << 3); everyone: white, flash + medium (2 << 3) = 0x14', () => {
    expect(lines('blynclight-plus', 'nearby')).toEqual(['00 ff 00 5a 0c 00 00 ff 22']);
    expect(lines('blynclight-plus', 'everyone')).toEqual(['00 ff ff ff 14 00 00 ff 22']);
  });

  it('hold and callback steady (control 0), none = the off bit (0x01)', () => {
    expect(lines('blynclight-mini', 'hold')).toEqual(['00 00 ff 00 00 00 00 ff 22']);
    expect(lines('blynclight', 'callback')).toEqual(['00 ff 00 5a 00 00 00 ff 22']);
    expect(lines('blynclight-plus', 'none')).toEqual(['00 00 00 00 01 00 00 ff 22']);
  });

  it('ring on a Plus: tune 1 + play (0x10) + repeat (0x20) = 0x31 at volume 10; the chirp: tune 2 = 0x32 at volume 3', () => {
    expect(lines('blynclight-plus', 'yours', 'ring')).toEqual(['00 00 ff 00 24 31 0a ff 22']);
    expect(lines('poly-status-indicator', 'hold', 'chirp')).toEqual(['00 00 ff 00 00 32 03 ff 22']);
  });

  it('the plain Blynclight has no speaker: quiet whatever the buzzer', () => {
    expect(lines('blynclight', 'yours', 'ring')).toEqual(['00 00 ff 00 24 00 00 ff 22']);
  });
});

describe('ThingM blink(1) (feature reports, report ID 1)', () => {
  const tickle = '01 44 01 05 dc 00 00 00 00'; // 'D', on, 1500 ticks of 10 ms = 15 s (0x05DC), st 0 = reset to off
  it('yours: blue and dark in turn, 200 ms each, fade time 0; the server tickle armed at once and every 5 s', () => {
    const p = plan('blink1', 'yours');
    expect(p.cycle.map((s) => [s.reports.map(hexLine), s.holdMs])).toEqual([
      [['01 63 00 00 ff 00 00 00 00'], 200], // 'c' = 0x63, r g b, th tl = 0
      [['01 63 00 00 00 00 00 00 00'], 200],
    ]);
    expect(p.keepAlive).toEqual({ everyMs: 5000, atStart: true, reports: [{ kind: 'feature', bytes: [0x01, 0x44, 0x01, 0x05, 0xdc, 0, 0, 0, 0] }] });
    expect(lines('blink1', 'yours')).toEqual(['01 63 00 00 ff 00 00 00 00', '01 63 00 00 00 00 00 00 00', tickle]);
  });

  it('everyone: fade to white over 1 s (100 ticks = 0x0064), fade to dark over 1 s', () => {
    expect(plan('blink1', 'everyone').cycle.map((s) => [s.reports.map(hexLine), s.holdMs])).toEqual([
      [['01 63 ff ff ff 00 64 00 00'], 1000],
      [['01 63 00 00 00 00 64 00 00'], 1000],
    ]);
  });

  it('hold: one fade to blue over 100 ms (10 ticks); none: fade to dark and the tickle disarmed', () => {
    expect(lines('blink1', 'hold')).toEqual(['01 63 00 00 ff 00 0a 00 00', tickle]);
    expect(lines('blink1', 'none')).toEqual(['01 63 00 00 00 00 0a 00 00', '01 44 00 00 00 00 00 00 00']);
    expect(frames(modelNamed('blink1')!, indication('hold')).every((r) => r.kind === 'feature')).toBe(true);
  });
});
