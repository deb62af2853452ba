import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect } from 'vitest';
import type { StartupRecord } from '../src/bridge/console-log.js';
import { emulatedSensor } from './emulated-sensor.js';
import { tempDir, until } from './mqtt-helpers.js';
import { itWithTools } from './system-tools.js';

// What `thirdring start` says it opened, and what not: a sensor that answers and a port that is not there.

function office(sensorPort: string): string {
  const dir = tempDir('thirdring-startup-');
  const file = join(dir, 'office.yaml');
  writeFileSync(
    file,
    `site: t
dataDir: ${dir}/data
mqtt: { port: 0, wsPort: false }
dashboard: { port: 0 }
recorder: { enabled: true }
desks: [{ id: anna, at: [1, 0] }]
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${sensorPort}, channel: 1 } }
  - { id: fax, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${dir}/no-such-port, channel: 1 } }
`,
  );
  return file;
}

async function run(configFile: string, json: boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--config', configFile, ...(json ? ['--json'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await until('start-up and the sensor online', () => lines.length > 0 && lines.some((l) => /ring-sensor.*online/.test(l)), 15_000);
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  return lines;
}

describe('thirdring start: what it opened', () => {
  itWithTools(['socat'], '--json: a {"type":"startup"} record first, naming each sensor port (online / missing), the broker, floor page and recorder', async () => {
    const sensor = await emulatedSensor();
    try {
      const file = office(sensor.hostPath);
      const lines = await run(file, true);
      const startup = JSON.parse(lines[0]!) as StartupRecord;
      const dir = join(file, '..');
      expect(startup).toMatchObject({
        type: 'startup',
        site: 't',
        config: file,
        ringSensors: [
          { port: sensor.hostPath, lines: ['front'], state: 'online', firmware: 'thirdring-emulator 1.0.0' },
          { port: `${dir}/no-such-port`, lines: ['fax'], state: 'missing' },
        ],
        mqtt: { broker: 'embedded', url: expect.stringMatching(/^mqtt:\/\/127\.0\.0\.1:\d+$/), websocket: null },
        floorPage: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
        recorderDatabase: `${dir}/data/ring-log.sqlite`,
        deskBoards: [],
        headsets: [],
      });
      expect(Date.parse(startup.ts)).not.toBeNaN();
      // Every line after it is JSON too; the sensor's online event still follows, as a device event.
      expect(lines.slice(1).map((l) => JSON.parse(l).type)).toContain('device');

      const readable = await run(file, false);
      expect(readable[0]).toBe(`thirdring start: site t, config ${file}`);
      expect(readable).toContain(`  ring sensor ${sensor.hostPath} (line front): online, thirdring-emulator 1.0.0`);
      expect(readable.find((l) => l.includes('no-such-port'))).toMatch(/\(line fax\): MISSING — no such port .*; retrying every 0\.5–10 s; an "online" line follows when it answers$/);
      expect(readable.find((l) => l.startsWith('  MQTT broker: embedded, listening on 127.0.0.1:'))).toBeDefined();
      expect(readable).toContain(`  ring log:    recorded into ${dir}/data/ring-log.sqlite`);
      expect(readable.findIndex((l) => l === 'thirdring: running — Ctrl-C to stop')).toBeLessThan(readable.findIndex((l) => /ring-sensor .*online/.test(l)));
    } finally {
      await sensor.close();
    }
  }, 40_000);
});
