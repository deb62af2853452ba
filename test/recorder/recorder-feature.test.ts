import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { Outbox } from '../../src/bridge/mqtt/outbox.js';
import { RecorderFeature } from '../../src/bridge/recorder/recorder-feature.js';
import { officeYaml, oneAnsweredCall } from '../mqtt/bridge-harness.js';
import { tempDir } from '../mqtt-helpers.js';
import { storedSeqs } from './log-entries.js';

describe('recorder inside the bridge (recorder.enabled)', () => {
  it('records the bridge\'s own log from its embedded broker into <dataDir>/ring-log.sqlite, up to the last entry', async () => {
    const dataDir = tempDir();
    const config = parseConfig(officeYaml('{ port: 0, wsPort: false }') + 'recorder: { enabled: true }\n');
    const bridge = new Bridge({ ...config, dataDir });
    const mqtt = new MqttFeature(bridge);
    const recorder = new RecorderFeature(bridge, mqtt, () => {});
    bridge.use(mqtt).use(recorder);
    await bridge.start();
    expect(recorder.databasePath).toBe(join(dataDir, 'ring-log.sqlite'));
    oneAnsweredCall(bridge);
    const stream = mqtt.outbox!.stream;
    // Stopping right away: the recorder waits for the entries still on their way through the broker.
    await bridge.stop();
    const logged = mqtt.counters.logQueued;
    expect(logged).toBeGreaterThanOrEqual(4);
    expect(storedSeqs(join(dataDir, 'ring-log.sqlite'), 't', stream)).toEqual(Array.from({ length: logged }, (_, i) => i + 1));
  });

  it('records the backlog a crashed bridge left in its outbox: the log waits until the recorder is subscribed', async () => {
    const dataDir = tempDir();
    // What a bridge that died before its broker acknowledged anything leaves behind.
    const leftover = new Outbox(join(dataDir, 'outbox.sqlite'), 1000);
    for (let i = 0; i < 50; i++) {
      leftover.push('thirdring/t/log', (seq) => JSON.stringify({ t: 1_000 + i, type: 'ring', line: 'front', ring: 1, ts: new Date(1_000 + i).toISOString(), site: 't', stream: leftover.stream, seq }));
    }
    const stream = leftover.stream;
    leftover.close();

    const config = parseConfig(officeYaml('{ port: 0, wsPort: false }') + 'recorder: { enabled: true }\n');
    const bridge = new Bridge({ ...config, dataDir });
    const mqtt = new MqttFeature(bridge);
    bridge.use(mqtt).use(new RecorderFeature(bridge, mqtt, () => {}));
    await bridge.start();
    await bridge.stop();
    expect(storedSeqs(join(dataDir, 'ring-log.sqlite'), 't', stream)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
