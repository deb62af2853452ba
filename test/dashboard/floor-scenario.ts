// A morning on a floor, played on a clock moved by hand, for the floor page at scale (floor-scale.test.ts) and its
// screenshots (scripts/floor-screenshots.ts): calls answered on time and late, one missed today and one yesterday
// whose callback is now overdue, a desk covering for another, desks away, an outgoing call, a caller on hold past
// the check-back time, and calls ringing at the end — one at ring 2 (nearby desks lit), the others at ring 1.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { lineStatus } from '../../src/core/index.js';
import { DashboardFeature } from '../../src/bridge/dashboard/dashboard-feature.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { manualClock } from '../manual-clock.js';
import { tempDir } from '../mqtt-helpers.js';

export interface FloorScene {
  /** The config file. */
  file: string;
  /** Overrides the config's time zone (the 20-desk demo has none: the machine's). */
  timezone?: string;
  /** Lines ringing at the end; the first at ring 2. */
  ringing: string[];
  /** A line answered and put on hold long enough for the hold reminder. */
  held: string;
  /** [covering desk, covered desk] */
  cover: [string, string];
  away: string[];
  /** A desk on an outgoing call. */
  outgoing: string;
}

export const SCENES: Record<20 | 60 | 200, FloorScene> = {
  20: {
    file: 'examples/demo-office.yaml',
    timezone: 'UTC',
    ringing: ['counter', 'mortgages'],
    held: 'back-office',
    cover: ['office-6', 'office-7'],
    away: ['office-12', 'advisor-3'],
    outgoing: 'office-9',
  },
  60: {
    file: 'examples/insurer-floor-60.yaml',
    ringing: ['sales', 'claims'],
    held: 'main',
    cover: ['cl-08', 'cl-09'],
    away: ['cl-14', 'sa-03', 'sa-11', 'sv-07', 'mgr-2'],
    outgoing: 'sa-16',
  },
  200: {
    file: 'examples/contact-centre-200.yaml',
    ringing: ['sales', 'roadside', 'complaints'],
    held: 'main',
    cover: ['C08', 'C09'],
    away: ['A11', 'B07', 'C15', 'D20', 'E02', 'F13', 'G05', 'G06', 'H17', 'TL-D'],
    outgoing: 'D02',
  },
};

/** Starts a bridge with the scene's config on free ports and plays the scene up to its end (the calls ringing). */
export async function playScene(scene: FloorScene) {
  const config = parseConfig(`${readFileSync(scene.file, 'utf8')}\nmqtt: { port: 0, wsPort: 0 }\ndashboard: { port: 0 }\n`);
  if (scene.timezone) config.timezone = scene.timezone;
  const zone = config.timezone;
  const at = (local: string) => DateTime.fromISO(local, { zone }).toMillis();
  const { clock, advanceTo } = manualClock(at('2026-03-09T09:55:00'));
  const bridge = new Bridge({ ...config, dataDir: tempDir('thirdring-floor-scale-') }, clock);
  const mqtt = new MqttFeature(bridge);
  const dash = new DashboardFeature(bridge, mqtt);
  bridge.use(mqtt).use(dash);
  await bridge.start();

  const lines = config.lines.map((l) => l.id);
  const assigned = (line: string) => lineStatus(bridge.runner.state, line).desk;
  /** A call on `line` (NL cadence: 1 s on, 4 s off) answered during ring `rings` by the desk asked, or missed. */
  const call = (line: string, rings: number, answered: boolean) => {
    const start = clock.now();
    for (let ring = 0; ring < rings; ring++) {
      advanceTo(start + ring * 5000);
      bridge.input({ type: 'ring', line, state: 'on' });
      if (answered && ring === rings - 1) {
        advanceTo(start + ring * 5000 + 500);
        const desk = assigned(line);
        if (desk) bridge.input({ type: 'hook', desk, state: 'off' });
        advanceTo(start + ring * 5000 + 1000);
        bridge.input({ type: 'ring', line, state: 'off' });
        return desk;
      }
      advanceTo(start + ring * 5000 + 1000);
      bridge.input({ type: 'ring', line, state: 'off' });
    }
    advanceTo(clock.now() + 10_000);
    return null;
  };
  const hangUp = (desk: string | null, after: number) => {
    advanceTo(clock.now() + after);
    if (desk) bridge.input({ type: 'hook', desk, state: 'on' });
  };

  // Yesterday 10:00: a call nobody answered. Its callback was due today at 10:00: overdue now.
  advanceTo(at('2026-03-09T10:00:00'));
  call(lines[1]!, 4, false);

  // Today from 09:00: a call every seven minutes, most answered at once, one late, one missed.
  const today = at('2026-03-10T09:00:00');
  for (let i = 0; i < 12; i++) {
    advanceTo(today + i * 7 * 60_000);
    const line = lines[i % lines.length]!;
    if (i === 5) call(line, 4, false);
    else hangUp(call(line, i === 8 ? 3 : 1 + (i % 2), true), 90_000);
  }

  // 10:20 on: desks away, one covering another, an outgoing call.
  advanceTo(at('2026-03-10T10:20:00'));
  for (const desk of [...scene.away, scene.cover[1]]) bridge.input({ type: 'presence', desk, state: 'away' });
  bridge.input({ type: 'takeover', desk: scene.cover[0], from: scene.cover[1], state: 'on' });
  bridge.input({ type: 'hook', desk: scene.outgoing, state: 'off' });

  // 10:26: a call answered and put on hold; two minutes later (rules.holdCheckSeconds) the desk is to check back.
  advanceTo(at('2026-03-10T10:26:00'));
  const holding = call(scene.held, 1, true);
  advanceTo(at('2026-03-10T10:26:20'));
  if (holding) bridge.input({ type: 'hold', desk: holding, state: 'on' });

  // 10:29:50: the calls ringing now. The first rings twice (nearby desks lit), the others once. The clock stops
  // between two bursts, so none is cut as stuck and none is missed while the page is looked at.
  const [first, ...others] = scene.ringing;
  advanceTo(at('2026-03-10T10:29:50'));
  bridge.input({ type: 'ring', line: first!, state: 'on' });
  advanceTo(at('2026-03-10T10:29:51'));
  bridge.input({ type: 'ring', line: first!, state: 'off' });
  advanceTo(at('2026-03-10T10:29:55'));
  bridge.input({ type: 'ring', line: first!, state: 'on' });
  for (const line of others) bridge.input({ type: 'ring', line, state: 'on' });
  advanceTo(at('2026-03-10T10:29:56'));
  for (const line of scene.ringing) bridge.input({ type: 'ring', line, state: 'off' });
  advanceTo(at('2026-03-10T10:29:57'));

  return { bridge, dash, config, ringing: scene.ringing, held: scene.held, holding };
}
