// npm run bench — indication → Firmata pin write over a real pty: DeskBoard (johnny-five + firmata-io on
// serialport 13) on one side, the simulated StandardFirmata board on the other; the board stamps each write as
// it receives it.
import { FirmataBoard } from '../firmware-sim/firmata-board.js';
import { openPtyPair } from '../firmware-sim/pty-pair.js';
import type { Command } from '../src/core/index.js';
import { DeskBoard } from '../src/devices/desk-board/desk-board.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

const pty = await openPtyPair();
const sim = new FirmataBoard({ path: pty.devicePath });
const simClockStart = performance.now();
await sim.open();
const board = new DeskBoard({ id: 'uno', path: pty.hostPath, desks: [{ desk: 'anna', led: 9 }] });
let online: () => void = () => {};
const isOnline = new Promise<void>((resolve) => (online = resolve));
board.on('device', (e) => e.type === 'device' && e.state === 'online' && online());
board.start();
await isOnline;
await sleep(300);

const command = (alert: Command['alert']): Command => ({
  t: 0, type: 'indicate', desk: 'anna', alert, line: alert === 'none' ? null : 'front',
  led: alert === 'none' ? { color: 'off', pattern: 'off' } : { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' },
});
const latencies: number[] = [];
for (let i = 0; i < 60; i++) {
  const before = sim.writes.length;
  const sentAt = performance.now() - simClockStart;
  board.indicate(command('yours'));
  while (!sim.writes.slice(before).some((w) => w.pin === 9 && w.kind !== 'mode')) await sleep(1);
  const first = sim.writes.slice(before).find((w) => w.pin === 9 && w.kind !== 'mode')!;
  latencies.push(first.t - sentAt);
  board.indicate(command('none'));
  await sleep(200);
}
await board.stop();
await sim.close();
await pty.close();
console.log(`desk board: indication → first LED pin write over the pty median ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms (60 samples)`);
