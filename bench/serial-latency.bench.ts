// npm run bench — ring sensor line in → core decision out, over a real pseudo-terminal (socat), in one process:
// the emulator writes `RING 1 ON` on the device side; the adapter (serialport + readline + checksum) reads it on
// the host side and the core decides `ring 1`. Compared with a bare pty hop (the same write, read by a plain
// serialport listener) measured the same way.
import { SerialPort } from 'serialport';
import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { RingSensorEmulator } from '../firmware-sim/ring-sensor-emulator.js';
import { Bridge } from '../src/bridge/bridge.js';
import { parseConfig } from '../src/bridge/config/load.js';
import { RingSensorFeature } from '../src/bridge/device-features/ring-sensor-feature.js';
import { frame } from '../src/devices/ring-sensor/protocol.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};
const summary = (values: number[]) => `median ${percentile(values, 0.5).toFixed(2)} ms, p99 ${percentile(values, 0.99).toFixed(2)} ms`;

async function ringToDecision(samples: number, gapMs: number): Promise<number[]> {
  const pty = await openPtyPair();
  const emulator = new RingSensorEmulator(pty.devicePath);
  await emulator.start();
  const bridge = new Bridge(parseConfig(`
site: bench
desks: [{ id: d1, at: [1, 1] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${pty.hostPath}, channel: 1 } }]
`));
  bridge.use(new RingSensorFeature(bridge));
  let waiting: ((at: number) => void) | null = null;
  bridge.on('decision', (d) => {
    if (d.type === 'ring') waiting?.(performance.now());
  });
  let online: () => void = () => {};
  const isOnline = new Promise<void>((resolve) => (online = resolve));
  bridge.on('device', (e) => e.type === 'device' && e.state === 'online' && online());
  await bridge.start();
  await isOnline;
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const decided = new Promise<number>((resolve) => (waiting = resolve));
    const sentAt = performance.now();
    emulator.edge(1, 'ring', 'on');
    latencies.push((await decided) - sentAt);
    waiting = null;
    emulator.edge(1, 'hook', 'off');
    emulator.edge(1, 'ring', 'off');
    emulator.edge(1, 'hook', 'on');
    await sleep(gapMs);
  }
  await bridge.stop();
  await emulator.stop();
  await pty.close();
  return latencies;
}

async function barePtyHop(samples: number, gapMs: number): Promise<number[]> {
  const pty = await openPtyPair();
  const open = (path: string) =>
    new Promise<SerialPort>((resolve, reject) => {
      const port = new SerialPort({ path, baudRate: 115200 }, (error) => (error ? reject(error) : resolve(port)));
    });
  const device = await open(pty.devicePath);
  const host = await open(pty.hostPath);
  let waiting: ((at: number) => void) | null = null;
  host.on('data', () => waiting?.(performance.now()));
  const latencies: number[] = [];
  const line = frame('RING 1 ON 1000');
  for (let i = 0; i < samples; i++) {
    const arrived = new Promise<number>((resolve) => (waiting = resolve));
    const sentAt = performance.now();
    device.write(line);
    latencies.push((await arrived) - sentAt);
    waiting = null;
    await sleep(gapMs);
  }
  await new Promise((resolve) => device.close(resolve));
  await new Promise((resolve) => host.close(resolve));
  await pty.close();
  return latencies;
}

for (const [label, samples, gap] of [['hot loop (every 20 ms)', 300, 20], ['a ring per second', 40, 1000]] as const) {
  const bare = await barePtyHop(samples, gap);
  const full = await ringToDecision(samples, gap);
  const ratio = percentile(full, 0.5) / percentile(bare, 0.5);
  console.log(`serial, ${label}: line → decision ${summary(full)}; bare pty hop ${summary(bare)}; median ratio ×${ratio.toFixed(2)} (${samples} samples)`);
}
