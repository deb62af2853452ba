import { autoDetect, BindingsError, LinuxBinding, type BindingInterface, type BindingPortInterface, type LinuxOpenOptions, type LinuxPortBinding } from '@serialport/bindings-cpp';
import { readSync } from 'node:fs';

/**
 * The serial binding for the ring sensor: the platform's own, except that on Linux a read is done on the event
 * loop's thread once the port's poller says it is readable, not handed to libuv's thread pool (which
 * @serialport/bindings-cpp does for every read, also the one that only finds nothing to read yet). A sensor line
 * then costs one wake-up (the loop's) instead of three (the loop's, a pool thread's, the loop's again for the
 * result): in the external broker bench a line reached the bridge 0.1–0.2 ms sooner at p50 (README "Benchmark").
 * The port is open non-blocking (bindings-cpp opens it with O_NONBLOCK), so a read never waits on the loop's
 * thread: no data is EAGAIN, and the poller is asked again.
 */
export function loopReadBinding(): BindingInterface<BindingPortInterface, LinuxOpenOptions> {
  if (process.platform !== 'linux') return autoDetect();
  return {
    list: () => LinuxBinding.list(),
    open: async (options: LinuxOpenOptions) => new LoopReadPort(await LinuxBinding.open(options)),
  };
}

/** bindings-cpp's Linux port, reading with a non-blocking read() on the loop's thread. */
class LoopReadPort implements BindingPortInterface {
  constructor(private readonly port: LinuxPortBinding) {}

  get openOptions() {
    return this.port.openOptions;
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  /** At least one byte, as the binding interface asks; a read still waiting when the port closes fails `canceled`. */
  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      const fd = this.port.fd;
      if (fd === null) throw new BindingsError('Port is not open', { canceled: true });
      try {
        const bytesRead = readSync(fd, buffer, offset, length, null);
        if (bytesRead > 0) return { buffer, bytesRead };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Anything else ends the port: the stream reports it and closes (the binding interface's contract).
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      }
      // Nothing to read yet (EAGAIN; a 0-byte read, which a tty in raw mode does not give, is treated the same):
      // wait until the poller says readable.
      await new Promise<void>((resolve, reject) => this.port.poller.once('readable', (error) => (error ? reject(error) : resolve())));
    }
  }

  write(buffer: Buffer): Promise<void> {
    return this.port.write(buffer);
  }

  close(): Promise<void> {
    return this.port.close();
  }

  update(options: Parameters<LinuxPortBinding['update']>[0]): Promise<void> {
    return this.port.update(options);
  }

  set(options: Parameters<LinuxPortBinding['set']>[0]): Promise<void> {
    return this.port.set(options);
  }

  get() {
    return this.port.get();
  }

  getBaudRate() {
    return this.port.getBaudRate();
  }

  flush(): Promise<void> {
    return this.port.flush();
  }

  drain(): Promise<void> {
    return this.port.drain();
  }
}
