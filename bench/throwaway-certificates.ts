import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throwaway CA, a server certificate for 127.0.0.1 signed by it and, when `clientName` is given, a client
 * certificate with that common name, made with openssl in `dir` (the ring → LED bench's mqtts:// listener, the TLS
 * and topology tests).
 */
export function throwawayCertificates(dir: string, clientName?: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=thirdring throwaway CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  const sign = (name: string, commonName: string, extra: string[]) => {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, ...extra);
    return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  };
  const server = sign('server', '127.0.0.1', ['-extfile', 'san.ext']);
  const client = clientName === undefined ? null : sign('client', clientName, []);
  // mosquitto started as root drops to its own user: let it read these throwaway files.
  chmodSync(dir, 0o755);
  for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
  return { ca: join(dir, 'ca.crt'), server, client };
}
