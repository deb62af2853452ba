import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { throwawayCertificates } from '../../bench/throwaway-certificates.js';
import { freePort, subscriber, tempDir, until } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { officeYaml, oneAnsweredCall, startMqttBridge } from './bridge-harness.js';

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate for the bridge. */
function makeCertificates(dir: string) {
  const { ca, server, client } = throwawayCertificates(dir, 'thirdring-bridge');
  return { ca, cert: client!.cert, key: client!.key, serverCert: server.cert, serverKey: server.key };
}

describe('MQTT over TLS and Home Assistant discovery', () => {
  itWithTools(['mosquitto', 'openssl'], 'connects to mosquitto over mqtts:// with a CA and a client certificate (required by the broker)', async () => {
    const dir = tempDir('thirdring-tls-');
    const certs = makeCertificates(dir);
    const port = await freePort();
    writeFileSync(join(dir, 'mosquitto.conf'), [
      `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest none',
      `cafile ${certs.ca}`, `certfile ${certs.serverCert}`, `keyfile ${certs.serverKey}`, 'require_certificate true', '',
    ].join('\n'));
    const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const yaml = officeYaml(`{ url: "mqtts://127.0.0.1:${port}", ca: ${certs.ca}, cert: ${certs.cert}, key: ${certs.key} }`);
    const { bridge, mqtt } = await startMqttBridge(yaml, tempDir());
    let tail: ReturnType<typeof spawn> | null = null;
    try {
      await until('TLS connection', () => mqtt.client!.connected, 10_000);
      const sub = await subscriber(`mqtts://127.0.0.1:${port}`, ['thirdring/t/desk/anna/set'], {
        ca: readFileSync(certs.ca), cert: readFileSync(certs.cert), key: readFileSync(certs.key),
      });
      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      await until('set over TLS', () => sub.received.find((r) => JSON.parse(r.payload).led.color === 'blue'));
      await sub.client.endAsync(true);

      // `thirdring log --config` reaches the same broker with the config's CA and client certificate.
      const configFile = join(dir, 'thirdring.yaml');
      writeFileSync(configFile, yaml);
      tail = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'log', '--config', configFile, '--type', 'answered'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [], errors: string[] = [];
      createInterface({ input: tail.stdout! }).on('line', (l) => lines.push(l));
      createInterface({ input: tail.stderr! }).on('line', (l) => errors.push(l));
      // A call every 200 ms until the tail has subscribed and shows one (it starts in its own time).
      let nextCall = 0;
      await until('thirdring log over TLS shows an answered call', () => {
        if (Date.now() >= nextCall) {
          oneAnsweredCall(bridge);
          nextCall = Date.now() + 200;
        }
        return lines.find((l) => / t {2}front {2}answered after 1 ring/.test(l));
      }, 15_000);
      expect(errors.filter((l) => l.startsWith('thirdring log:'))).toEqual([]);
    } finally {
      if (tail) {
        tail.kill('SIGTERM');
        if (tail.exitCode === null) await new Promise((resolve) => tail!.once('exit', resolve));
      }
      await bridge.stop();
      broker.kill();
    }
    expect(tail?.exitCode).toBe(0);
  }, 30_000);

  it('publishes retained Home Assistant device discovery configs on the embedded broker when enabled', async () => {
    const { bridge, mqtt } = await startMqttBridge(officeYaml('{ port: 0, wsPort: false, homeAssistant: { enabled: true } }'), tempDir());
    try {
      const sub = await subscriber(mqtt.broker!.url, ['homeassistant/device/+/config']);
      const configs = await until('a device per bridge, line and desk', () => sub.received.length >= 1 + 1 + 2 && sub.received);
      const byTopic = Object.fromEntries(configs.map((r) => [r.topic, JSON.parse(r.payload)]));
      expect(configs.every((r) => r.retain)).toBe(true);
      expect(byTopic['homeassistant/device/thirdring_t_line_front/config']).toMatchObject({
        dev: { ids: ['thirdring_t_line_front'], via_device: 'thirdring_t' },
        availability: [{ topic: 'thirdring/t/bridge/state' }],
        cmps: { ringing: { p: 'binary_sensor', state_topic: 'thirdring/t/line/front', unique_id: 'thirdring_t_line_front_ringing' } },
      });
      expect(byTopic['homeassistant/device/thirdring_t_desk_anna/config']).toMatchObject({ cmps: { presence: { state_topic: 'thirdring/t/desk/anna', device_class: 'occupancy' } } });
      await sub.client.endAsync(true);
    } finally {
      await bridge.stop();
    }
  });
});
