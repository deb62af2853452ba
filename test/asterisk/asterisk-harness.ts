import { fileURLToPath } from 'node:url';
import { AmiTranscriptServer, loadAmiTranscript } from '../../firmware-sim/asterisk-ami-server.js';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { AsteriskFeature } from '../../src/bridge/device-features/asterisk-feature.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import type { Decision } from '../../src/core/index.js';
import { manualClock } from '../manual-clock.js';
import { tempDir } from '../helpers.js';

export const transcript = (name: string) => loadAmiTranscript(fileURLToPath(new URL(`../fixtures/asterisk/${name}.ami`, import.meta.url)));

/** The office of test/mqtt/bridge-harness.ts, its line rung by the PBX: the muppets of the AMI examples are its phones. */
export const officeYaml = (port: number, secret = 'kermit-secret') => `
site: t
timezone: UTC
desks:
  - { id: anna, at: [1, 0] }
  - { id: bram, at: [3, 0] }
  - { id: chloe, at: [6, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
asterisk:
  port: ${port}
  username: thirdring
  secret: ${secret}
  lines:
    - { line: front, members: [animal, drteeth] }
  desks:
    - { extension: animal, desk: chloe }
    - { extension: drteeth, desk: bram }
`;

/** Monday 30 November 2026, 10:00 UTC: business hours. */
export const MONDAY_10 = Date.UTC(2026, 10, 30, 10, 0, 0);

/** A transcript server and a bridge with only the Asterisk feature, on a clock the test moves. */
export async function startAsteriskBridge(options: { secret?: string } = {}) {
  const server = new AmiTranscriptServer({ username: 'thirdring', secret: 'kermit-secret' });
  const port = await server.start();
  const time = manualClock(MONDAY_10);
  const bridge = new Bridge({ ...parseConfig(officeYaml(port, options.secret)), dataDir: tempDir('thirdring-asterisk-') }, time.clock);
  const decisions: Decision[] = [];
  const devices: DeviceEvent[] = [];
  bridge.on('decision', (d) => decisions.push(d));
  bridge.on('device', (e) => devices.push(e));
  const feature = new AsteriskFeature(bridge, { reconnectMinMs: 50, reconnectMaxMs: 200 });
  bridge.use(feature);
  await bridge.start();
  const stop = async () => {
    await bridge.stop();
    await server.stop();
  };
  return { server, bridge, feature, time, decisions, devices, stop };
}
