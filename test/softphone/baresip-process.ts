import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, sleep } from '../mqtt-helpers.js';

export interface Baresip {
  aor: string;
  sipPort: number;
  baseTopic: string;
  output(): string;
  stop(): Promise<void>;
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A SIP port whose next port is free too: baresip's SIP/TLS listens on the SIP port + 1. */
export async function freeSipPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await portFree(port + 1))) return port;
  }
}

/**
 * A headless baresip (Debian baresip-core 1.0) on loopback: no audio device (aubridge), menu for the long
 * commands, mqtt publishing to the broker on `brokerPort` under /<baseTopic>. One account, no registration.
 */
export async function startBaresip(options: { dir: string; user: string; baseTopic: string; brokerPort: number; login?: { username: string; password: string } }): Promise<Baresip> {
  const sipPort = await freeSipPort();
  const dir = join(options.dir, options.user);
  mkdirSync(dir, { recursive: true });
  const settings = [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    'net_interface 127.0.0.1',
    'audio_player aubridge,x',
    'audio_source aubridge,x',
    'audio_alert aubridge,x',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aubridge.so',
    'module menu.so',
    'module_app account.so',
    'module_app mqtt.so',
    'mqtt_broker_host 127.0.0.1',
    `mqtt_broker_port ${options.brokerPort}`,
    `mqtt_basetopic ${options.baseTopic}`,
    `mqtt_broker_clientid baresip-${options.baseTopic}`,
    ...(options.login ? [`mqtt_broker_user ${options.login.username}`, `mqtt_broker_password ${options.login.password}`] : []),
  ];
  writeFileSync(join(dir, 'config'), settings.join('\n') + '\n');
  const aor = `sip:${options.user}@127.0.0.1:${sipPort}`;
  writeFileSync(join(dir, 'accounts'), `<${aor}>;regint=0\n`);
  const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  while (!output.includes('mqtt: connected to broker')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`baresip ${options.user} did not connect to the broker:\n${output}`);
    }
    await sleep(20);
  }
  return {
    aor,
    sipPort,
    baseTopic: options.baseTopic,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
      await exited;
    },
  };
}
