import mqtt, { type MqttClient } from 'mqtt';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export { sleep, until } from './wait.js';
export { tempDir } from './helpers.js';
import { sleep } from './wait.js';
import { tempDir } from './helpers.js';

export { freePort } from '../bench/bench-kit.js';
import { freePort } from '../bench/bench-kit.js';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  /** The broker redelivered it (QoS 1, after a reconnect). */
  dup: boolean;
}

/** A subscriber that records everything it receives. */
export async function subscriber(url: string, topics: string[], options: mqtt.IClientOptions = {}): Promise<{ client: MqttClient; received: Received[] }> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 200, ...options });
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => received.push({ topic, payload: payload.toString(), retain: packet.retain, dup: packet.dup }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return { client, received };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface TestBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Until called, the bridge (client id thirdring-bridge-*) is refused, so subscribers can get ready first. */
  admitBridge(): void;
}

/** A standalone aedes on a loopback port that can hold the bridge back after a restart. */
export async function startTestAedes(port?: number, holdBridge = false): Promise<TestBroker> {
  const { Aedes } = await import('aedes');
  const chosen = port ?? (await freePort());
  const aedes = await Aedes.createBroker();
  let admitted = !holdBridge;
  aedes.authenticate = (client, _user, _password, done) => {
    if (!admitted && client.id.startsWith('thirdring-bridge')) return done(Object.assign(new Error('not yet'), { returnCode: 3 }), false);
    done(null, true);
  };
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(chosen, '127.0.0.1', () => resolve());
  });
  return {
    url: `mqtt://127.0.0.1:${chosen}`,
    port: chosen,
    admitBridge: () => void (admitted = true),
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** mosquitto with persistence, so sessions (and QoS 1 messages queued for them) survive its restart. */
export async function startPersistentMosquitto(port?: number, dir = tempDir('thirdring-mosquitto-')): Promise<TestBroker & { dir: string }> {
  const chosen = port ?? (await freePort());
  // mosquitto started as root drops to its own user, which must be able to write its persistence file here.
  chmodSync(dir, 0o777);
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${chosen} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\nautosave_interval 0\nlog_dest none\n`);
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  while (!(await portAnswers(chosen))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`mosquitto did not start on port ${chosen}: ${stderr.trim()}`);
    }
    await sleep(20);
  }
  return {
    url: `mqtt://127.0.0.1:${chosen}`,
    port: chosen,
    dir,
    admitBridge: () => {},
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
