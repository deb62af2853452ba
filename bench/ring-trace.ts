// Preloaded into each path process of bench/external-broker.bench.ts with EXTERNAL_BENCH_TRACE=<dir>
// (node --import): records, in CLOCK_MONOTONIC µs (the probe's clock), when the process read bytes from a file
// descriptor (the serial port: fs.read through the thread pool, or fs.readSync on the loop), wrote to a socket
// (the desk command to the broker, or from the embedded broker to the desk), and collected garbage. Written to
// $THIRDRING_BENCH_TRACE_FILE when the process exits; the bench cuts it ring by ring.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const file = process.env.THIRDRING_BENCH_TRACE_FILE;
if (file) {
  /** [what, µs, bytes or GC duration in µs] */
  const events: [string, number, number][] = [];
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);

  const read = fs.read;
  const tracedRead = function (this: unknown, ...args: unknown[]) {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = function (this: unknown, error: Error | null, bytesRead: number, ...rest: unknown[]) {
        if (!error && bytesRead > 0) events.push(['read', nowUs(), bytesRead]);
        return callback.call(this, error, bytesRead, ...rest);
      };
    }
    return (read as (...a: unknown[]) => unknown).apply(this, args);
  };
  // fs.read's own promisified form (used by @serialport/bindings-cpp) resolves to { bytesRead, buffer }.
  for (const symbol of Object.getOwnPropertySymbols(read)) Object.assign(tracedRead, { [symbol]: (read as unknown as Record<symbol, unknown>)[symbol] });
  fs.read = tracedRead as typeof fs.read;

  const readSync = fs.readSync;
  fs.readSync = function (this: unknown, ...args: Parameters<typeof fs.readSync>) {
    const bytesRead = (readSync as (...a: unknown[]) => number).apply(this, args);
    if (bytesRead > 0) events.push(['read', nowUs(), bytesRead]);
    return bytesRead;
  } as typeof fs.readSync;

  // `import { readSync } from 'node:fs'` sees the traced one too.
  syncBuiltinESMExports();

  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
  for (const method of ['_write', '_writev'] as const) {
    const original = proto[method];
    proto[method] = function (this: net.Socket, ...args: unknown[]) {
      // Sockets only, not the pipes to the bench (stdout is a net.Socket too).
      if (this.remotePort !== undefined) events.push(['write', nowUs(), 0]);
      return original.apply(this, args);
    };
  }

  const offsetUs = nowUs() - performance.now() * 1000;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) events.push(['gc', Math.round(offsetUs + entry.startTime * 1000), Math.round(entry.duration * 1000)]);
  }).observe({ entryTypes: ['gc'] });

  process.once('exit', () => fs.writeFileSync(file, JSON.stringify(events)));
}
