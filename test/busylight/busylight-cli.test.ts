// `thirdring busylight` as its own process: the frames it prints (bytes from the public layouts, see
// frames.test.ts for the sources and the sums), exit 2 with the lists on unknown input, and list without a device.
import { describe, expect, it } from 'vitest';
import { runThirdring } from '../thirdring-process.js';

describe('thirdring busylight', () => {
  it('frames: one line per report, hex bytes, report ID first — a Kuando program and its keep-alive', () => {
    const run = runThirdring(['busylight', 'frames', 'kuando-omega', 'yours', '--buzzer', 'ring']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const z = ' 00 00 00 00 00 00 00 00';
    expect(run.stdout).toBe(
      `00 11 01 00 00 64 02 02 b5 11 01 00 00 64 02 02 00${z.repeat(5)} 00 00 00 ff ff ff 04 a6\n` +
        `00 8f 00 00 00 00 00 00 00${z.repeat(6)} 00 00 00 ff ff ff 03 8c\n`,
    );
  });

  it('frames: a blink(1) blink is two fades and the tickle; a Blynclight one 9-byte report', () => {
    expect(runThirdring(['busylight', 'frames', 'blink1', 'nearby']).stdout).toBe('01 63 ff 5a 00 00 00 00 00\n01 63 00 00 00 00 00 00 00\n01 44 01 05 dc 00 00 00 00\n');
    expect(runThirdring(['busylight', 'frames', 'blynclight-plus', 'hold', '--buzzer', 'chirp']).stdout).toBe('00 00 ff 00 00 32 03 ff 22\n');
  });

  it('an unknown model or alert, or a bad --buzzer: exit 2 with the list, nothing on stdout', () => {
    const model = runThirdring(['busylight', 'frames', 'kuando-zeta', 'yours']);
    expect([model.status, model.stdout]).toEqual([2, '']);
    expect(model.stderr).toContain('unknown model "kuando-zeta"; models: kuando-alpha, kuando-uc, kuando-omega, luxafor-mute, luxafor-orb, luxafor-flag, blynclight, blynclight-plus, blynclight-mini, poly-status-indicator, blink1');
    const alert = runThirdring(['busylight', 'frames', 'blink1', 'mine']);
    expect(alert.status).toBe(2);
    expect(alert.stderr).toContain('unknown alert "mine"; alerts: yours, hold, nearby, everyone, callback, none');
    const buzzer = runThirdring(['busylight', 'frames', 'blink1', 'yours', '--buzzer', 'loud']);
    expect(buzzer.status).toBe(2);
    expect(buzzer.stderr).toContain('--buzzer: expected one of off, chirp, ring, got "loud"');
    const bare = runThirdring(['busylight']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('Usage: thirdring busylight frames <model> <alert>');
  });

  it('--help prints the usage with the models; list runs without a light (none here: no USB device)', () => {
    const help = runThirdring(['busylight', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Models: kuando-alpha');
    const list = runThirdring(['busylight', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^no busylight found|usb [0-9a-f]{4}:[0-9a-f]{4}/);
  });
});
