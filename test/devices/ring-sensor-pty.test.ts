import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect } from 'vitest';
import { openPtyPair } from '../../firmware-sim/pty-pair.js';
import { cadenceEdges, RingSensorEmulator } from '../../firmware-sim/ring-sensor-emulator.js';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { Decision } from '../../src/core/index.js';
import type { DeviceEvent, DeviceInput } from '../../src/common/device-events.js';
import { RingSensorFeature } from '../../src/bridge/device-features/ring-sensor-feature.js';
import { SerialRingSensor } from '../../src/devices/ring-sensor/serial-ring-sensor.js';
import { emulatedSensor } from '../emulated-sensor.js';
import { itWithTools } from '../system-tools.js';
import { until } from '../wait.js';
import { tempDir } from '../helpers.js';

const NL = [1000, 4000];
const officeYaml = (serial: string) => `
site: pty-test
mqtt: { port: 0, wsPort: false }
dashboard: { port: 0 }
dataDir: ${tempDir('thirdring-data-')}
desks: [{ id: anna, at: [1, 1] }, { id: bram, at: [3, 1] }, { id: chloe, at: [6, 1] }]
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${serial}, channel: 1 } }
  - { id: back, phone: { at: [6, 0] }, cadence: nl, sensor: { serial: ${serial}, channel: 2 } }
`;

describe('ring sensor over a real pseudo-terminal', () => {
  itWithTools(['socat'], 'thirdring start (a separate process) turns three NL rings from the sensor into ring 1, 2, 3 and the core decisions', async () => {
    const pty = await openPtyPair(tempDir('thirdring-pty-'));
    const sensor = new RingSensorEmulator(pty.devicePath);
    await sensor.start();
    const dir = tempDir('thirdring-start-');
    writeFileSync(join(dir, 'office.yaml'), officeYaml(pty.hostPath));
    const bridge = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--config', join(dir, 'office.yaml'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: (Decision | DeviceEvent)[] = [];
    let stderr = '';
    bridge.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: bridge.stdout }).on('line', (line) => out.push(JSON.parse(line)));
    try {
      await until('sensor online', () => out.find((e) => e.type === 'device' && e.state === 'online'));
      await sensor.play(cadenceEdges(1, NL, 3));
      sensor.edge(1, 'hook', 'off');
      const answered = await until('answered', () => out.find((e): e is Extract<Decision, { type: 'answered' }> => e.type === 'answered'));

      const decisions = out.filter((e): e is Decision => 'line' in e && typeof e.t === 'number');
      expect(decisions.map((d) => d.type)).toEqual(['ring', 'assign', 'ring', 'escalate', 'ring', 'escalate', 'answered']);
      const rings = decisions.filter((d): d is Extract<Decision, { type: 'ring' }> => d.type === 'ring');
      expect(rings.map((r) => r.ring)).toEqual([1, 2, 3]);
      // Edge times come from the sensor's uptime, so ring starts are one NL period apart (± a few ms of scheduling).
      expect(Math.abs(rings[1]!.t - rings[0]!.t - 5000)).toBeLessThan(60);
      expect(Math.abs(rings[2]!.t - rings[1]!.t - 5000)).toBeLessThan(60);
      expect(decisions[1]).toMatchObject({ type: 'assign', line: 'front', desk: 'anna' });
      expect(answered).toMatchObject({ line: 'front', rings: 3, onTime: false });
      expect(sensor.received).toContain('HELLO?*7D');
    } finally {
      bridge.kill('SIGTERM');
      await new Promise((resolve) => bridge.once('exit', resolve));
      await sensor.stop();
      await pty.close();
    }
    expect(stderr).toBe('');
    expect(bridge.exitCode).toBe(0);
  }, 30_000);

  itWithTools(['socat'], 'drops and counts line noise without losing the good lines', async () => {
    const { emulator, hostPath, close } = await emulatedSensor();
    const inputs: DeviceInput[] = [];
    const sensor = new SerialRingSensor({ path: hostPath, lines: new Map([[1, 'front']]), now: Date.now });
    sensor.on('input', (input) => inputs.push(input));
    sensor.start();
    try {
      await until('online', () => sensor.firmware);
      emulator.raw(Buffer.from([0x00, 0xff, 0x13, 0x0a]));
      emulator.raw('RING 1 ON 5*00\n');
      emulator.raw(Buffer.alloc(2000, 0x55));
      emulator.edge(1, 'ring', 'on');
      emulator.raw('HOOK 1 OFF 7\n');
      emulator.edge(1, 'ring', 'off');
      await until('both good edges', () => inputs.length >= 2);
      expect(inputs).toEqual([
        { type: 'ring', line: 'front', state: 'on' },
        { type: 'ring', line: 'front', state: 'off' },
      ]);
      expect(sensor.counters.badLines).toBeGreaterThanOrEqual(3);
      expect(sensor.badLinesByReason).toMatchObject({ 'not-ascii': 1, 'bad-checksum': 1, 'no-checksum': expect.any(Number) });
      expect(sensor.counters.resynced).toBe(1);
    } finally {
      await sensor.stop();
      await close();
    }
  }, 20_000);

  itWithTools(['socat'], 'reconnects after the port disappears and comes back (unplug, replug)', async () => {
    const dir = tempDir('thirdring-replug-');
    let pty = await openPtyPair(dir);
    let emulator = new RingSensorEmulator(pty.devicePath);
    await emulator.start();
    const events: DeviceEvent[] = [];
    const inputs: DeviceInput[] = [];
    const sensor = new SerialRingSensor({ path: pty.hostPath, lines: new Map([[1, 'front']]), now: Date.now, reconnectMinMs: 100, reconnectMaxMs: 400 });
    sensor.on('device', (e) => events.push(e));
    sensor.on('input', (i) => inputs.push(i));
    sensor.start();
    try {
      await until('online', () => events.find((e) => e.type === 'device' && e.state === 'online'));
      await emulator.stop();
      await pty.close();
      await until('offline', () => events.find((e) => e.type === 'device' && e.state === 'offline'));

      pty = await openPtyPair(dir);
      emulator = new RingSensorEmulator(pty.devicePath);
      await emulator.start();
      await until('online again', () => events.filter((e) => e.type === 'device' && e.state === 'online').length === 2);
      emulator.edge(1, 'ring', 'on');
      await until('ring after reconnect', () => inputs.length === 1);
      expect(sensor.counters.reconnects).toBeGreaterThanOrEqual(1);
      expect(events.map((e) => (e.type === 'device' ? e.state : e.type))).toEqual(['online', 'offline', 'online']);
    } finally {
      await sensor.stop();
      await emulator.stop();
      await pty.close();
    }
  }, 20_000);

  itWithTools(['socat'], 'a silent sensor goes offline after 3 missed heartbeats, and its ringing call still ends (missed), not lost', async () => {
    const { emulator, hostPath, close } = await emulatedSensor();
    const bridge = new Bridge(parseConfig(officeYaml(hostPath)));
    const feature = new RingSensorFeature(bridge);
    bridge.use(feature);
    const seen: (Decision | DeviceEvent)[] = [];
    bridge.on('decision', (d) => seen.push(d));
    bridge.on('device', (e) => seen.push(e));
    await bridge.start();
    try {
      await until('online', () => seen.find((e) => e.type === 'device' && e.state === 'online'));
      emulator.edge(2, 'ring', 'on');
      await until('ring 1', () => seen.find((e) => e.type === 'ring'));
      emulator.muted = true;
      const offline = await until('offline', () => seen.find((e) => e.type === 'device' && e.state === 'offline'), 6000);
      expect(offline).toMatchObject({ reason: 'no heartbeat for 3 s', lines: ['back'] });
      const missed = await until('missed', () => seen.find((e) => e.type === 'missed'), 9000);
      expect(missed).toMatchObject({ line: 'back', rings: 1 });
      expect(emulator.received.filter((l) => l === 'PING*10').length).toBeGreaterThanOrEqual(1);
    } finally {
      await bridge.stop();
      await close();
    }
  }, 25_000);
});
