// Issue #19, topology (a): each branch's bridge straight to headquarters' mosquitto (examples/topologies/central)
// over mqtts, with its own account: its log reaches the recorder there, and it may not publish another site's.
import mqtt from 'mqtt';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { sleep, tempDir, until } from '../mqtt-helpers.js';
import { storedSeqs } from '../recorder/log-entries.js';
import { itWithTools } from '../system-tools.js';
import { startThirdring } from '../thirdring-process.js';
import { HQ_PASSWORDS, makeCertificates, startHeadquarters } from './mosquitto-parts.js';
import { sentByOutbox } from './outbox-file.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

describe('topology (a): branch bridges straight to a central broker over mqtts', () => {
  itWithTools(['mosquitto', 'mosquitto_passwd', 'openssl'], 'the log reaches headquarters over TLS; a branch account cannot publish another site', async () => {
    const certs = makeCertificates(tempDir('thirdring-certs-'));
    const hq = await startHeadquarters(tempDir('thirdring-hq-'), certs);
    cleanups.push(() => hq.broker.stop());
    const db = join(tempDir('thirdring-hq-recorder-'), 'ring-log.sqlite');
    const recorder = startThirdring(['record', '--url', hq.url, '--db', db, '--client-id', 'thirdring-recorder-hq', '--username', 'thirdring-recorder', '--password', HQ_PASSWORDS['thirdring-recorder']], { env: { NODE_EXTRA_CA_CERTS: certs.ca } });
    cleanups.push(() => recorder.stop('SIGKILL'));
    await until('the recorder recording', () => recorder.output.stderr.includes('recording thirdring/+/log'), 20_000);

    const dir = tempDir('thirdring-branch-01-');
    writeFileSync(join(dir, 'bridge.yaml'), `
site: branch-01
dataDir: ./data
dashboard: { enabled: false }
mqtt: { url: "${hq.url}", ca: ${certs.ca}, username: bridge-branch-01, password: ${HQ_PASSWORDS['bridge-branch-01']} }
desks:
  - { id: anna, at: [1, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
`);
    const bridge = startThirdring(['start', '--config', 'bridge.yaml'], { cwd: dir });
    cleanups.push(() => bridge.stop('SIGKILL'));
    await until('the bridge connected over TLS', () => /MQTT broker: mqtts:\/\/127\.0\.0\.1:\d+, connected/.test(bridge.output.stdout), 30_000);
    // The branch account, from the bridge's site: its requests are taken; another site's log is dropped.
    const branch = await mqtt.connectAsync(hq.url, { protocolVersion: 4, clientId: 'branch-01-tool', username: 'bridge-branch-01', password: HQ_PASSWORDS['bridge-branch-01'], ca: readFileSync(certs.ca) });
    cleanups.push(() => branch.endAsync(true));
    for (const state of ['away', 'present', 'away', 'present']) await branch.publishAsync('thirdring/branch-01/bridge/request/presence', JSON.stringify({ desk: 'anna', state }), { qos: 1 });
    await branch.publishAsync('thirdring/branch-02/log', JSON.stringify({ t: 1, type: 'ring', line: 'front', ring: 1, ts: '2026-01-01T00:00:00Z', site: 'branch-02', stream: 'forged', seq: 1 }), { qos: 1 });
    await sleep(1000);
    expect(await bridge.stop()).toBe(0);

    const sent = sentByOutbox(dir);
    expect(sent.seqs.length).toBeGreaterThanOrEqual(4);
    await until('the bridge\'s log recorded', () => storedSeqs(db, 'branch-01', sent.stream).length === sent.seqs.length, 10_000);
    expect(storedSeqs(db, 'branch-01', sent.stream)).toEqual(sent.seqs);
    expect(storedSeqs(db, 'branch-02', 'forged')).toEqual([]);
  }, 60_000);
});
