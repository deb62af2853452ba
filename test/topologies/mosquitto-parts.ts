// What the mosquitto topology tests share: a throwaway CA and server certificate, password files, mosquitto run
// from an example config (listeners and paths moved into a temp folder), and a WAN link that can be cut.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { throwawayCertificates } from '../../bench/throwaway-certificates.js';
import { freePort, until } from '../mqtt-helpers.js';

export const TOPOLOGIES = fileURLToPath(new URL('../../examples/topologies/', import.meta.url));
export const MOSQUITTO_EXAMPLE = fileURLToPath(new URL('../../examples/mosquitto/', import.meta.url));

export const HQ_PASSWORDS = { 'bridge-branch-01': 'b1-at-hq', 'bridge-branch-02': 'b2-at-hq', 'thirdring-recorder': 'rec-at-hq', facilities: 'fac-at-hq' };

/** A CA and a certificate for 127.0.0.1 signed by it (headquarters' mqtts:// listener). */
export function makeCertificates(dir: string) {
  const { ca, server } = throwawayCertificates(dir);
  return { ca, ...server };
}

export function passwordFile(path: string, passwords: Record<string, string>): void {
  Object.entries(passwords).forEach(([user, password], i) => {
    const made = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', path, user, password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
  });
  chmodSync(path, 0o644);
}

/**
 * An example config with its listener on a loopback port and its files in `dir`; `replace` maps more lines
 * (each must be in the file exactly once).
 */
export function exampleConfig(example: string, dir: string, replace: [RegExp, string][]): string {
  let conf = readFileSync(example, 'utf8');
  for (const [line, by] of replace) {
    const matches = conf.match(new RegExp(line.source, 'gm'));
    if (matches?.length !== 1) throw new Error(`${line} is not in ${example} exactly once`);
    conf = conf.replace(new RegExp(line.source, 'm'), by);
  }
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(data, 0o777);
  const path = join(dir, 'mosquitto.conf');
  writeFileSync(path, conf.replace(/^persistence_location .*$/m, `persistence_location ${data}/`));
  return path;
}

export interface Mosquitto {
  log(): string;
  stop(): Promise<number | null>;
}

export async function startMosquitto(conf: string): Promise<Mosquitto> {
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until('mosquitto running', () => / running$/m.test(log) || child.exitCode !== null, 5000);
  if (child.exitCode !== null) throw new Error(`mosquitto did not start: ${log.trim()}`);
  return {
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Headquarters (examples/topologies/central): the example config and ACL, TLS on a loopback port with `certs`. */
export async function startHeadquarters(dir: string, certs: ReturnType<typeof makeCertificates>) {
  const port = await freePort();
  copyFileSync(join(TOPOLOGIES, 'central/acl'), join(dir, 'acl'));
  passwordFile(join(dir, 'passwd'), HQ_PASSWORDS);
  const conf = exampleConfig(join(TOPOLOGIES, 'central/mosquitto.conf'), dir, [
    [/^listener 8883$/, `listener ${port} 127.0.0.1`],
    [/^certfile .*$/, `certfile ${certs.cert}`],
    [/^keyfile .*$/, `keyfile ${certs.key}`],
    [/^password_file .*$/, `password_file ${join(dir, 'passwd')}`],
    [/^acl_file .*$/, `acl_file ${join(dir, 'acl')}`],
  ]);
  return { port, url: `mqtts://127.0.0.1:${port}`, broker: await startMosquitto(conf) };
}

/**
 * A TCP relay standing for the WAN: cut() drops every connection through it and stops listening (headquarters
 * unreachable: connection refused) until mend().
 */
export async function wanLink(targetPort: number, port: number) {
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => (sockets.delete(a), b.destroy()));
    }
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const cut = () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return closed;
  };
  await listen();
  return { cut, mend: listen, close: () => (server.listening ? cut() : Promise.resolve()) };
}
