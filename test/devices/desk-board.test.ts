import { afterEach, describe, expect } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { DeviceInput } from '../../src/common/device-events.js';
import { DeskBoardFeature } from '../../src/bridge/device-features/desk-board-feature.js';
import type { Command } from '../../src/core/types.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import { DeskBoard } from '../../src/devices/desk-board/desk-board.js';
import { FirmataBoard, PIN_MODE } from '../../firmware-sim/firmata-board.js';
import { openPtyPair, type PtyPair } from '../../firmware-sim/pty-pair.js';
import { itWithTools } from '../system-tools.js';
import { sleep, until } from '../wait.js';
import { tempDir } from '../helpers.js';

const indicate = (desk: string, alert: 'yours' | 'nearby' | 'everyone' | 'none', buzzer: Command['buzzer']['pattern'] = 'off'): Command => {
  const led = { yours: { color: 'blue', pattern: 'fast-blink' }, nearby: { color: 'amber', pattern: 'slow-blink' }, everyone: { color: 'white', pattern: 'pulse' }, none: { color: 'off', pattern: 'off' } } as const;
  return { t: 0, type: 'indicate', desk, alert, line: alert === 'none' ? null : 'front', led: led[alert], buzzer: { pattern: buzzer } };
};

/** Level changes (digital, or PWM 0 ↔ >0) of an output pin since `from` (board ms). */
function levelChanges(sim: FirmataBoard, pin: number, from: number) {
  const changes: { t: number; level: number }[] = [];
  let last: number | null = null;
  for (const write of sim.writesTo(pin)) {
    if (write.kind === 'mode' || write.t < from) continue;
    const level = write.value > 0 ? 1 : 0;
    if (level !== last) changes.push({ t: write.t, level });
    last = level;
  }
  return changes;
}

describe('DeskBoard (johnny-five over Firmata on a pty)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  itWithTools(['socat'], 'drives LED and buzzer pins, reports the button, goes offline and back online', async () => {
    let pty: PtyPair = await openPtyPair(tempDir('thirdring-pty-'));
    cleanups.push(() => pty.close());
    let sim = new FirmataBoard({ path: pty.devicePath });
    await sim.open();
    cleanups.push(() => sim.close());

    const board = new DeskBoard({
      id: 'uno-1',
      path: pty.hostPath,
      desks: [
        { desk: 'alice', led: 9, buzzer: 3, button: 2 },
        { desk: 'bob', led: 10 },
      ],
      reconnectMinMs: 200,
      reconnectMaxMs: 400,
      holdMs: 300,
    });
    const events: DeviceEvent[] = [];
    const presses: string[] = [];
    const covers: string[] = [];
    board.on('device', (e) => events.push(e));
    board.on('button', ({ desk }) => presses.push(desk));
    board.on('cover', ({ desk }) => covers.push(desk));
    board.start();
    cleanups.push(() => board.stop());

    await until('board online', () => events.find((e) => e.type === 'device' && e.state === 'online'), 8000);
    expect(events[0]).toMatchObject({ family: 'desk-board', state: 'online', detail: 'StandardFirmata.ino 2.5' });
    await until('button pin pulled up, port 0 reported', () => sim.pins[2]?.pullup && sim.reportedPorts.has(0));
    expect(sim.pins[2]?.mode).toBe(PIN_MODE.INPUT);

    // yours: pin 9 blinks at ~125 ms on/off.
    const sentAt = Date.now();
    const from = sim.writes.at(-1)?.t ?? 0;
    board.indicate(indicate('alice', 'yours', 'chirp'));
    await until('first write to pin 9', () => sim.writes.find((w) => w.pin === 9 && w.kind !== 'mode' && w.at >= sentAt));
    const firstWrite = sim.writes.find((w) => w.pin === 9 && w.kind !== 'mode' && w.at >= sentAt);
    console.log(`indicate → first pin 9 write: ${(firstWrite?.at ?? 0) - sentAt} ms`);
    await sleep(1100);
    const changes = levelChanges(sim, 9, from);
    expect(changes.length).toBeGreaterThanOrEqual(7);
    for (let i = 1; i < changes.length; i++) expect(changes[i]?.level).not.toBe(changes[i - 1]?.level);
    const gaps = changes.slice(2).map((c, i) => c.t - (changes[i + 1]?.t ?? 0));
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(meanGap).toBeGreaterThan(100);
    expect(meanGap).toBeLessThan(160);

    // chirp: the buzzer pin went high and low again.
    const buzz = sim.writesTo(3, 'digital').filter((w) => w.t >= from);
    expect(buzz.map((w) => w.value).slice(0, 4)).toEqual([1, 0, 1, 0]);
    // The other desk's LED is left alone.
    expect(levelChanges(sim, 10, from)).toEqual([]);

    // none: pin 9 low and stays low, buzzer quiet.
    board.indicate(indicate('alice', 'none'));
    await until('pin 9 low', () => sim.level(9) === 0 && sim.level(3) === 0);
    // The buzzer pin may have been low already (between beeps): let the quieting writes arrive (slow under load).
    await sleep(100);
    const quietFrom = sim.writes.at(-1)?.t ?? 0;
    await sleep(400);
    expect(sim.level(9)).toBe(0);
    expect(sim.writes.filter((w) => w.t > quietFrom && (w.pin === 9 || w.pin === 3))).toEqual([]);

    // nearby on desk bob: pin 10 blinks slower.
    board.indicate(indicate('bob', 'nearby'));
    await until('pin 10 toggles', () => levelChanges(sim, 10, quietFrom).length >= 2, 2000);
    // everyone on a PWM pin: a pulse (many PWM levels), then off.
    const pulseFrom = sim.writes.at(-1)?.t ?? 0;
    board.indicate(indicate('bob', 'everyone'));
    await until('pin 10 pulses', () => new Set(sim.writesTo(10, 'pwm').filter((w) => w.t > pulseFrom).map((w) => w.value)).size >= 8, 2000);
    board.indicate(indicate('bob', 'none'));
    await until('pin 10 off', () => sim.level(10) === 0);
    const offFrom = sim.writes.at(-1)?.t ?? 0;
    await sleep(200);
    expect(sim.writesTo(10).filter((w) => w.t > offFrom)).toEqual([]);

    // Button on pin 2 (active low).
    await sim.pressButton(2, 80);
    await until('button press', () => presses.length > 0);
    expect(presses).toEqual(['alice']);
    expect(covers).toEqual([]);
    // Held past holdMs: cover while still held, once however long it is held, and no short press on release.
    const heldAt = Date.now();
    sim.setInput(2, 0);
    await until('cover', () => covers.length > 0);
    const coverAfter = Date.now() - heldAt;
    expect(coverAfter).toBeGreaterThanOrEqual(250);
    expect(coverAfter).toBeLessThan(1000);
    await sleep(Math.max(0, 1000 - (Date.now() - heldAt))); // johnny-five says 'hold' again at 600 and 900 ms
    sim.setInput(2, 1);
    await sleep(150);
    expect(covers).toEqual(['alice']);
    expect(presses).toEqual(['alice']);
    await sim.pressButton(2, 80);
    await until('short press again', () => presses.length === 2);
    expect(covers).toEqual(['alice']);

    // Unplug: the pty goes away → offline; back → online again, and the current indication is shown again.
    board.indicate(indicate('alice', 'yours'));
    await sim.close();
    await pty.close();
    await until('offline', () => events.find((e) => e.type === 'device' && e.state === 'offline'), 5000);
    expect(events.filter((e) => e.type === 'device').map((e) => (e.type === 'device' ? e.state : ''))).toEqual(['online', 'offline']);

    const dir = pty.hostPath.replace(/\/host$/, '');
    pty = await openPtyPair(dir);
    sim = new FirmataBoard({ path: pty.devicePath });
    await sim.open();
    await until('online again', () => events.filter((e) => e.type === 'device' && e.state === 'online').length === 2, 8000);
    await until('pin 9 blinks again', () => levelChanges(sim, 9, 0).length >= 3, 2000);
  }, 20_000);

  itWithTools(['socat'], 'in the bridge: a ring blinks the assigned desk; its button toggles presence, or acks while alerted; held, it toggles cover', async () => {
    const pty = await openPtyPair(tempDir('thirdring-pty-'));
    cleanups.push(() => pty.close());
    const sim = new FirmataBoard({ path: pty.devicePath });
    await sim.open();
    cleanups.push(() => sim.close());
    const config = parseConfig(`
site: t
boards: [{ id: uno, port: ${pty.hostPath} }]
desks:
  - { id: anna, at: [1, 0], indicator: { board: uno, led: 9, buzzer: 3, button: 2 }, coverFor: bram }
  - { id: bram, at: [5, 0], indicator: { board: uno, led: 10 } }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
`);
    const bridge = new Bridge(config);
    const feature = new DeskBoardFeature(bridge);
    const inputs: DeviceInput[] = [];
    const acks: { desk: string; line: string | null }[] = [];
    bridge.on('input', ({ t: _t, ...input }) => inputs.push(input as DeviceInput));
    feature.on('ack', (ack) => acks.push(ack));
    bridge.use(feature);
    await bridge.start();
    cleanups.push(() => bridge.stop());

    await until('board online', () => feature.boards[0]?.isOnline);
    await until('button pulled up', () => sim.pins[2]?.pullup && sim.reportedPorts.has(0));
    await sim.pressButton(2, 60);
    await until('presence away', () => inputs.find((i) => i.type === 'presence'));
    expect(inputs.filter((i) => i.type === 'presence')).toEqual([{ type: 'presence', desk: 'anna', state: 'away' }]);
    await sim.pressButton(2, 60);
    await until('presence back', () => inputs.filter((i) => i.type === 'presence').length === 2);
    expect(inputs.filter((i) => i.type === 'presence').at(-1)).toMatchObject({ desk: 'anna', state: 'present' });
    // Anna is sent away from elsewhere (an MQTT `away`; a schedule does the same): her button brings her back,
    // from the core's presence, not from what the button last sent.
    bridge.input({ type: 'presence', desk: 'anna', state: 'away' });
    await sim.pressButton(2, 60);
    await until('presence back after an away from elsewhere', () => inputs.filter((i) => i.type === 'presence').length === 4);
    expect(inputs.filter((i) => i.type === 'presence').slice(2)).toEqual([
      { type: 'presence', desk: 'anna', state: 'away' },
      { type: 'presence', desk: 'anna', state: 'present' },
    ]);
    expect(bridge.runner.state.deskById.get('anna')!.present).toBe(true);

    const from = sim.writes.at(-1)?.t ?? 0;
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await until('anna blinks', () => levelChanges(sim, 9, from).length >= 3, 2000);
    await sim.pressButton(2, 60);
    await until('ack', () => acks.length > 0);
    expect(acks).toEqual([{ desk: 'anna', line: 'front' }]);
    expect(inputs.filter((i) => i.type === 'presence')).toHaveLength(4);

    // Held 1.5 s: anna takes over bram's calls (desks[].coverFor); held again: gives them back. Neither is a short press.
    const bram = bridge.runner.state.deskById.get('bram')!;
    await sim.pressButton(2, 1700);
    await until('anna covers bram', () => bram.coveredBy?.id === 'anna');
    await sim.pressButton(2, 1700);
    await until('cover released', () => bram.coveredBy === null);
    expect(inputs.filter((i) => i.type === 'takeover')).toEqual([
      { type: 'takeover', desk: 'anna', from: 'bram', state: 'on' },
      { type: 'takeover', desk: 'anna', from: 'bram', state: 'off' },
    ]);
    await sleep(100);
    expect(acks).toHaveLength(1);
    expect(inputs.filter((i) => i.type === 'presence')).toHaveLength(4);
  }, 20_000);
});
