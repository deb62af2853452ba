// mosquitto as a site runs it (examples/mosquitto): accounts in a password file, the example ACL, a loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, tempDir, until } from '../mqtt-helpers.js';

/** The example ACL is written for this site. */
export const SITE = 'branch-01';
export const PASSWORDS: Record<string, string> = {
  'thirdring-bridge': 'bridge-secret-1',
  'thirdring-recorder': 'recorder-secret-1',
  facilities: 'facilities-secret-1',
  'desk-anna': 'anna-secret-1',
  'desk-bram': 'bram-secret-1',
};

export interface SiteMosquitto {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startSiteMosquitto(): Promise<SiteMosquitto> {
  const port = await freePort();
  const dir = tempDir('thirdring-desk-mosquitto-');
  // mosquitto started as root reads its password and ACL files after dropping to its own user.
  chmodSync(dir, 0o755);
  copyFileSync(fileURLToPath(new URL('../../examples/mosquitto/acl', import.meta.url)), join(dir, 'acl'));
  Object.entries(PASSWORDS).forEach(([user, password], i) => {
    const made = spawnSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', join(dir, 'passwd'), user, password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
  });
  chmodSync(join(dir, 'passwd'), 0o644);
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${dir}/passwd\nacl_file ${dir}/acl\nset_tcp_nodelay true\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n`,
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await until(`mosquitto on port ${port}`, () => / running$/m.test(log) || child.exitCode !== null, 5000);
  if (child.exitCode !== null) throw new Error(`mosquitto did not start: ${log.trim()}`);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
