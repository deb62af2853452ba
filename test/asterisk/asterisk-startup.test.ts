import { afterEach, describe, expect, it } from 'vitest';
import { AmiTranscriptServer } from '../../firmware-sim/asterisk-ami-server.js';
import { composeBridge } from '../../src/bridge/compose.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { describeStartup, StartupWatch } from '../../src/bridge/console-log.js';
import { tempDir } from '../helpers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function start(port: number) {
  const config = parseConfig(`
site: t
dataDir: ${tempDir('thirdring-asterisk-startup-')}
mqtt: { port: 0, wsPort: false }
dashboard: { enabled: false }
desks: [{ id: anna, at: [1, 0] }]
lines: [{ id: front, phone: { at: [0, 0] } }]
asterisk: { port: ${port}, username: thirdring, secret: kermit-secret, lines: [{ line: front, dialled: ["600"] }] }
`);
  const { bridge, features } = composeBridge(config, { log: { write: () => {} } });
  const watch = new StartupWatch(bridge);
  await bridge.start();
  cleanup.push(() => bridge.stop());
  return watch.report({ configFile: 'thirdring.yaml', ...features }, undefined, 2000);
}

describe('thirdring start with an Asterisk PBX (composeBridge)', () => {
  it('the start-up report waits for the AMI login and says so', async () => {
    const server = new AmiTranscriptServer({ username: 'thirdring', secret: 'kermit-secret' });
    const port = await server.start();
    cleanup.push(() => server.stop());
    const record = await start(port);
    expect(record.pbx).toEqual({ server: `127.0.0.1:${port}`, state: 'online', detail: 'Asterisk Call Manager/2.0.0' });
    expect(describeStartup(record)).toContain(`  PBX (Asterisk AMI) 127.0.0.1:${port}: online, Asterisk Call Manager/2.0.0`);
  });

  it('a PBX that cannot be reached is reported as not logged in, without waiting the full time', async () => {
    const server = new AmiTranscriptServer({ username: 'thirdring', secret: 'kermit-secret' });
    const port = await server.start();
    await server.stop();
    const started = Date.now();
    const record = await start(port);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(record.pbx).toEqual({ server: `127.0.0.1:${port}`, state: 'waiting' });
    expect(describeStartup(record).find((l) => l.includes('PBX'))).toBe(
      `  PBX (Asterisk AMI) 127.0.0.1:${port}: NOT LOGGED IN YET — retrying every 0.5–30 s; an "online" line follows when it logs in`,
    );
  });
});
