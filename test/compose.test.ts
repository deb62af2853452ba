import { rmSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { composeBridge } from '../src/bridge/compose.js';
import { parseConfig } from '../src/bridge/config/load.js';
import type { Command } from '../src/core/types.js';
import { FirmataBoard } from '../firmware-sim/firmata-board.js';
import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { subscriber, tempDir, until } from './mqtt-helpers.js';
import { itWithTools } from './system-tools.js';

describe('composeBridge: the bridge as thirdring start and the demo put it together', () => {
  itWithTools(['socat'], "a desk board's button ack, pressed while the desk is alerted, reaches the ring log; stop leaves no listener behind", async () => {
    const pty = await openPtyPair();
    const sim = new FirmataBoard({ path: pty.devicePath });
    const dataDir = tempDir('thirdring-compose-');
    try {
      await sim.open();
      const config = parseConfig(`
site: t
dataDir: ${dataDir}
mqtt: { port: 0, wsPort: false }
dashboard: { port: 0 }
recorder: { enabled: true }
boards: [{ id: uno, port: ${pty.hostPath} }]
desks: [{ id: anna, at: [1, 0], indicator: { board: uno, led: 9, button: 2 } }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
`);
      const lines: string[] = [];
      const { bridge, features } = composeBridge(config, { log: { write: (line) => lines.push(line) }, recorderReport: () => {} });
      expect(features.recorder).not.toBeNull();
      expect(features.dashboard).not.toBeNull();
      const alerts: Command[] = [];
      bridge.on('indicate', (command) => alerts.push(command));
      await bridge.start();
      try {
        features.log.begin(['first']);
        const sub = await subscriber(features.mqtt.broker!.url, ['thirdring/t/log']);
        try {
          await until('board online', () => features.deskBoards.boards[0]?.isOnline, 10_000);
          await until('button pulled up', () => sim.pins[2]?.pullup && sim.reportedPorts.has(0));
          bridge.input({ type: 'ring', line: 'front', state: 'on' });
          await until('anna alerted', () => alerts.some((c) => c.desk === 'anna' && c.alert !== 'none'));
          await sim.pressButton(2, 60);
          const entries = () => sub.received.map((r) => JSON.parse(r.payload) as { type: string });
          const ack = await until('ack in the ring log', () => entries().find((e) => e.type === 'desk-action'), 5000);
          expect(ack).toMatchObject({ type: 'desk-action', desk: 'anna', action: 'ack', line: 'front' });
        } finally {
          await sub.client.endAsync(true);
        }
      } finally {
        await bridge.stop();
      }
      expect(lines[0]).toBe('first');
      expect(lines.some((l) => /desk-board.*online/.test(l))).toBe(true);
      // Every feature's listeners went with its stop: only this test's own is left.
      expect(bridge.listenerCount('indicate')).toBe(1);
      for (const event of ['input', 'decision', 'device', 'deskAction', 'started'] as const) expect(bridge.listenerCount(event), event).toBe(0);
    } finally {
      await sim.close();
      await pty.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 20_000);
});
