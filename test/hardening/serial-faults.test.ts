import { describe, expect } from 'vitest';
import { frame } from '../../src/devices/ring-sensor/protocol.js';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { Decision } from '../../src/core/index.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import { RingSensorFeature } from '../../src/bridge/device-features/ring-sensor-feature.js';
import { SerialRingSensor } from '../../src/devices/ring-sensor/serial-ring-sensor.js';
import { emulatedSensor } from '../emulated-sensor.js';
import { itWithTools } from '../system-tools.js';
import { until } from '../wait.js';
import { tempDir } from '../helpers.js';

// The ring sensor over a real pseudo-terminal, as the adversarial run drove it.

const officeYaml = (serial: string) => `
site: t
mqtt: { port: 0, wsPort: false }
dataDir: ${tempDir('thirdring-data-')}
desks: [{ id: anna, at: [1, 1] }, { id: bram, at: [3, 1] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${serial}, channel: 1 } }]
`;

describe('ring sensor faults over a pty', () => {
  itWithTools(['socat'], 'a corrupted RING OFF while heartbeats go on: the burst is cut after 5 s (ring-stuck), the call missed, the next call rings 1', async () => {
    const { emulator, hostPath, close } = await emulatedSensor();
    const bridge = new Bridge(parseConfig(officeYaml(hostPath)));
    bridge.use(new RingSensorFeature(bridge));
    const seen: (Decision | DeviceEvent)[] = [];
    bridge.on('decision', (d) => seen.push(d));
    bridge.on('device', (e) => seen.push(e));
    await bridge.start();
    try {
      await until('online', () => seen.find((e) => e.type === 'device' && e.state === 'online'));
      emulator.edge(1, 'ring', 'on');
      const ring = await until('ring 1', () => seen.find((e): e is Extract<Decision, { type: 'ring' }> => e.type === 'ring'));
      emulator.raw('RING 1 OFF 1234*00\n'); // the OFF, with its checksum broken by noise
      const stuck = await until('ring-stuck', () => seen.find((e): e is Extract<Decision, { type: 'ring-stuck' }> => e.type === 'ring-stuck'), 8000);
      expect(stuck.t - ring.t).toBe(5000);
      const missed = await until('missed', () => seen.find((e) => e.type === 'missed'), 9000);
      expect(missed).toMatchObject({ line: 'front', rings: 1 });
      // The sensor stayed online throughout: heartbeats were fine, only the OFF was lost.
      expect(seen.filter((e) => e.type === 'device' && e.state === 'offline')).toEqual([]);
      expect(seen.some((e) => e.type === 'fault' && e.reason === 'bad-line:bad-checksum')).toBe(true);

      emulator.edge(1, 'ring', 'on');
      await until('next call', () => seen.filter((e) => e.type === 'ring').length === 2);
      expect(seen.filter((e): e is Extract<Decision, { type: 'ring' }> => e.type === 'ring').map((r) => r.ring)).toEqual([1, 1]);
    } finally {
      await bridge.stop();
      await close();
    }
  }, 25_000);

  itWithTools(['socat'], '20,000 ERR lines with made-up codes: all read, reported under one reason at most once a second', async () => {
    const { emulator, hostPath, close } = await emulatedSensor();
    const events: DeviceEvent[] = [];
    const sensor = new SerialRingSensor({ path: hostPath, lines: new Map([[1, 'front']]), now: Date.now });
    sensor.on('device', (e) => events.push(e));
    sensor.start();
    try {
      await until('online', () => sensor.firmware);
      const started = Date.now();
      const before = sensor.counters.lines;
      const total = 20_000;
      for (let sent = 0; sent < total; sent += 1000) {
        emulator.raw(Array.from({ length: 1000 }, (_, i) => frame(`ERR x${(sent + i).toString(36)}${Math.random().toString(36).slice(2, 8)} made up`)).join(''));
      }
      await until('all read', () => sensor.counters.lines - before >= total, 20_000);
      const seconds = (Date.now() - started) / 1000;
      const reported = events.filter((e) => e.type === 'fault');
      expect(new Set(reported.map((e) => e.type === 'fault' && e.reason))).toEqual(new Set(['sensor:other']));
      expect(reported.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      // Documented codes keep their own reason.
      emulator.line('ERR overflow rx buffer');
      await until('overflow reported', () => events.some((e) => e.type === 'fault' && e.reason === 'sensor:overflow'));
    } finally {
      await sensor.stop();
      await close();
    }
  }, 30_000);
});
