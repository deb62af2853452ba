import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';

/** A port the config names could not be opened: says which setting, which address, and what to do. */
export class ListenError extends Error {
  override name = 'ListenError';
}

/** Listens on host:port; failures become a ListenError naming `setting` (e.g. `mqtt.port`). */
export function listenOn(server: Server | HttpServer, port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(new ListenError(explain(error, `${host.includes(':') ? `[${host}]` : host}:${port}`, setting)));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

function explain(error: NodeJS.ErrnoException, address: string, setting: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${address} (${setting}): another program uses that port — stop it, or set ${setting} to a free port (0 picks one)`;
    case 'EACCES':
      return `cannot listen on ${address} (${setting}): not allowed (ports below 1024 need privileges) — set ${setting} to a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${address} (${setting}): this machine has no such address — check the host setting`;
    default:
      return `cannot listen on ${address} (${setting}): ${error.message}`;
  }
}
