// What the latency benchmarks share: the mosquitto they start, free loopback ports, wall-clock stamps that two
// processes can compare, percentiles, and waiting for a child's line of output.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

export const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds since the epoch with sub-millisecond resolution: comparable across processes on one machine. */
export const wallClock = () => performance.timeOrigin + performance.now();

export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Lines of a child's stdout, each with a waiter: next(accept) resolves with the first later line accepted. */
export function lines(child: ChildProcess) {
  let waiting: { accept: (line: string) => boolean; resolve: (line: string) => void } | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (waiting?.accept(line)) {
      const { resolve } = waiting;
      waiting = null;
      resolve(line);
    }
  });
  return (accept: (line: string) => boolean) => new Promise<string>((resolve) => (waiting = { accept, resolve }));
}
