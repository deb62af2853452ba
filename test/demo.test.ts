import { describe, expect } from 'vitest';
import { startDemo } from '../src/bridge/demo.js';
import { until } from './mqtt-helpers.js';
import { itWithTools } from './system-tools.js';

describe('thirdring demo (npm start)', () => {
  itWithTools(['socat'], 'runs the office through the emulated serial sensor, the broker, desk units and the floor page', async () => {
    const lines: string[] = [];
    // Seed 7: the counter line rings within half a second and is answered a few seconds later.
    const demo = await startDemo({ configFile: 'examples/demo-office.yaml', seed: 7, durationMs: 9_000, ports: { mqtt: 0, ws: 0, dashboard: 0 }, write: (l) => lines.push(l) });
    try {
      expect(demo.sensorPath).not.toBeNull();
      await until('sensor online', () => lines.find((l) => /ring-sensor .*: online/.test(l)));
      await until('ring 1 from the sensor', () => lines.find((l) => /counter {2}ring 1$/.test(l)), 5000);
      const assigned = await until('assignment', () => lines.find((l) => /counter {2}→ \S+ answers \(nearest free\)/.test(l)));
      const desk = /→ (\S+) answers/.exec(assigned)![1]!;
      await until('answered', () => lines.find((l) => /counter {2}answered at \S+ after/.test(l)), 8000);
      const floor = await fetch(new URL('/api/floor', demo.dashboardUrl)).then((r) => r.json());
      expect(floor.desks).toHaveLength(20);
      expect(floor.lines.map((l: { id: string }) => l.id)).toEqual(['counter', 'back-office', 'mortgages', 'fax-line']);
      expect(desk).toMatch(/^teller-/);
    } finally {
      const summary = await demo.stop();
      expect(summary.calls).toBeGreaterThanOrEqual(1);
    }
  }, 30_000);
});
