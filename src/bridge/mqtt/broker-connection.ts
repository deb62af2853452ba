import type { IClientOptions } from 'mqtt';
import { readFileSync } from 'node:fs';
import type { ThirdringConfig } from '../config/schema.js';

export interface BrokerConnection {
  url: string;
  /** Credentials and TLS files; no session or client id settings. */
  options: IClientOptions;
}

/**
 * How a client on this machine reaches the bridge's broker: the embedded one over loopback (or `embeddedUrl`, the
 * running broker's own address, which knows the port when the config says 0), an external one by its URL; with
 * the config's credentials and TLS files.
 */
export function brokerConnection(settings: ThirdringConfig['mqtt'], embeddedUrl?: string): BrokerConnection {
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  return {
    url: settings.url === 'embedded' ? (embeddedUrl ?? `mqtt://${loopbackFor(settings.host)}:${settings.port}`) : settings.url,
    options: {
      ...(settings.username ? { username: settings.username } : {}),
      ...(settings.password ? { password: settings.password } : {}),
      ...(settings.ca ? { ca: file(settings.ca) } : {}),
      ...(settings.cert ? { cert: file(settings.cert) } : {}),
      ...(settings.key ? { key: file(settings.key) } : {}),
      rejectUnauthorized: settings.rejectUnauthorized,
    },
  };
}

function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
