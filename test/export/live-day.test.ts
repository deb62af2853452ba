import { DateTime } from 'luxon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSY_DAY, officeDay } from '../../firmware-sim/office-day.js';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig, toCoreConfig } from '../../src/bridge/config/load.js';
import { exportCommand } from '../../src/bridge/export/export-command.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { RecorderFeature } from '../../src/bridge/recorder/recorder-feature.js';
import { reportCommand } from '../../src/bridge/report/report-command.js';
import { GROUPINGS } from '../../src/bridge/report/report.js';
import type { DeviceInput } from '../../src/common/device-events.js';
import { manualClock } from '../manual-clock.js';
import { tempDir, until } from '../mqtt-helpers.js';
import { storedCount } from '../recorder/log-entries.js';
import { writeFile } from './what-if-day.js';

const ZONE = 'Europe/Amsterdam';
const DAY = '2026-03-03'; // a Tuesday
const OPEN = DateTime.fromISO(`${DAY}T08:30`, { zone: ZONE }).toMillis();
const DAY_END = DateTime.fromISO(`${DAY}T00:00`, { zone: ZONE }).plus({ days: 1 }).toMillis();

/** examples/demo-office.yaml (20 desks, 4 lines, one with cadence auto) with lunch schedules, run on its own embedded broker. */
const officeYaml = readFileSync('examples/demo-office.yaml', 'utf8').replace(/^site: .*$/m, 'site: live-day')
  + `timezone: ${ZONE}
mqtt: { url: embedded, port: 0, wsPort: false }
dashboard: { enabled: false }
recorder: { enabled: true }
schedules:
  - { name: lunch, desks: [teller-1, office-2], away: ["12:00", "12:45"] }
`;

describe('a day run live, exported and replayed', () => {
  it('gives the report the recorder recorded, by line, desk, hour and day', async () => {
    const dataDir = tempDir('thirdring-live-day-');
    const config = parseConfig(officeYaml, 'office.yaml');
    const { clock, advanceTo } = manualClock(OPEN - 60_000);
    const bridge = new Bridge({ ...config, dataDir }, clock);
    const mqtt = new MqttFeature(bridge);
    const recorder = new RecorderFeature(bridge, mqtt, () => {});
    bridge.use(mqtt).use(recorder);
    await bridge.start();

    // A busy 8-hour day from firmware-sim/office-day.ts, fed as the devices would: each input at its time, the
    // core's wake-ups (silences running out, hold reminders, schedules) as the clock passes them.
    let fed = 0;
    for (const { t, ...input } of officeDay(toCoreConfig(config), { ...BUSY_DAY, seed: 13 })) {
      advanceTo(OPEN + t);
      bridge.input(input as DeviceInput);
      // Let the outbox, the broker and the recorder keep up (they run on the real event loop).
      if (++fed % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    advanceTo(DAY_END);
    const outbox = mqtt.outbox!;
    await until('the recorder to store the whole log', () => recorder.recorder!.storedUpTo('live-day', outbox.stream) >= outbox.lastSeq, 60_000);
    const logged = outbox.lastSeq;
    await bridge.stop();
    const db = recorder.databasePath;
    expect(storedCount(db)).toBe(logged);

    const events = join(dataDir, 'day.jsonl');
    const exported = await exportCommand(['--db', db, '--from', DAY, '--to', '2026-03-04', '--tz', ZONE, '-o', events]);
    expect(exported.events, 'the bridge logs what it feeds the core (input entries, #13)').toBe(fed);
    const replayConfig = writeFile(dataDir, 'office.yaml', officeYaml);
    for (const by of GROUPINGS) {
      const report = JSON.parse(reportCommand(['--db', db, '--replay', replayConfig, events, '--by', by, '--format', 'json']));
      for (const row of [...report.groups, report.total]) {
        expect(row.whatIf, `${by} ${row.group ?? 'total'}`).toEqual(row.recorded);
      }
      if (by === 'line') {
        // A real day, not an empty one: every line had calls, some late and some missed, and callbacks are owed.
        expect(report.groups).toHaveLength(4);
        expect(report.total.recorded.calls).toBeGreaterThan(300);
        expect(report.total.recorded.late).toBeGreaterThan(10);
        expect(report.total.recorded.missed).toBeGreaterThan(10);
        expect(report.total.recorded.callbacksOwed).toBeGreaterThan(0);
        // Seed 13 (at this writing): 3,613 inputs, 7,028 log entries; 488 calls, 295 on time, 97 late, 96 missed, 60.5 %.
      }
    }
  }, 120_000);
});
