// Test helpers, one place to look. What lives where:
//   helpers.ts (this file)   tempDir (removed after the test file), core config and replay helpers
//   wait.ts                  sleep, until (polling with a deadline)
//   manual-clock.ts          manualClock: a Clock the test moves by hand
//   system-tools.ts          hasTool, itWithTools (tests that need socat, mosquitto, avr-gcc...)
//   thirdring-process.ts     runThirdring / startThirdring: the CLI from source in its own process
//   mqtt-helpers.ts          freePort, subscriber, startTestAedes, startPersistentMosquitto (also re-exports
//                            sleep, until and tempDir)
//   mqtt/bridge-harness.ts   officeYaml, startMqttBridge (a bridge with only the MQTT feature), oneAnsweredCall
//   emulated-sensor.ts       emulatedSensor: the ring sensor emulator on a socat pty pair
//   devices/fake-hid.ts      a fake HID backend; firmware/firmware-build.ts builds the AVR firmware once per file
//   dashboard/floor-scenario.ts  the floor-page scenes

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ConfigError, parseConfig, toCoreConfig } from '../src/bridge/config/load.js';
import type { CoreConfig, CoreEvent, Decision } from '../src/core/index.js';
import { replay } from '../src/bridge/replay.js';

/** Directories tempDir made for the test file being run (each test file has its own copy of this module). */
const madeHere: string[] = [];

/**
 * A fresh directory under the OS temp dir. It is removed, with everything in it, when the test file has finished
 * (after the file's own afterAll hooks, which stop what still writes there: vitest runs after-hooks last-in first).
 */
export function tempDir(prefix = 'thirdring-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeHere.push(dir);
  return dir;
}

// Registered when a test file first imports this module, so it runs after every hook the file registers itself.
afterAll(() => {
  for (const dir of madeHere.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // Something the file left running still writes there: say so, but do not fail tests that passed.
      console.warn(`tempDir: could not remove ${dir}: ${(error as Error).message}`);
    }
  }
});

export function coreConfig(yaml: string): CoreConfig {
  return toCoreConfig(parseConfig(yaml, 'test.yaml'));
}

/** The ring/on-off events of `rings` full cadence periods starting at `start`; `stretch` scales each segment. */
export function ringBursts(
  line: string,
  pattern: readonly number[],
  start: number,
  rings: number,
  stretch: (segment: number) => number = () => 1,
): CoreEvent[] {
  const events: CoreEvent[] = [];
  let t = start;
  let segment = 0;
  for (let ring = 0; ring < rings; ring++) {
    for (let i = 0; i < pattern.length; i += 2) {
      events.push({ t: Math.round(t), type: 'ring', line, state: 'on' });
      t += pattern[i]! * stretch(segment++);
      events.push({ t: Math.round(t), type: 'ring', line, state: 'off' });
      t += pattern[i + 1]! * stretch(segment++);
    }
  }
  return events;
}

export function run(config: CoreConfig, events: CoreEvent[]): Decision[] {
  return [...replay(config, events)] as Decision[];
}

export function ofType<T extends Decision['type']>(decisions: Decision[], type: T): Extract<Decision, { type: T }>[] {
  return decisions.filter((d): d is Extract<Decision, { type: T }> => d.type === type);
}

export function byTime(events: CoreEvent[]): CoreEvent[] {
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
}

/** The problems `parseConfig` reports for a config that must be refused, one per line. */
export function configProblems(yaml: string): string[] {
  try {
    parseConfig(yaml, 'office.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split('\n');
  }
  throw new Error('config was accepted');
}
