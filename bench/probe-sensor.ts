import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { frame } from '../src/devices/ring-sensor/protocol.js';

/** Opens the device side of a pty for blocking writes (a full pty blocks the writer: the reader's back-pressure). */
export const openPty = (path: string) => openSync(path, constants.O_WRONLY | constants.O_NOCTTY);

/** Writes all of `data` with one blocking write() (the tty write lock is held for all of it); returns the ms it blocked. */
export function writeAll(fd: number, data: Buffer): number {
  const started = performance.now();
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done);
  return performance.now() - started;
}

/**
 * A probe's ring sensor (protocol v1) on the pty's device side: HELLO, a heartbeat a second, and one call at a
 * time on channel 1. No heartbeat goes out while a ring is on its way to the LED (a write that blocks on a full pty
 * would hold up the probe and the arrival time with it); it follows right after, a few ms late at most.
 */
export function probeSensor(ptyPath: string) {
  const fd = openPty(ptyPath);
  const bootedAt = performance.now();
  const uptime = () => Math.floor(performance.now() - bootedAt);
  const write = (...bodies: string[]) => writeAll(fd, Buffer.from(bodies.map(frame).join(''), 'latin1'));
  write('HELLO thirdring-bench 1.0.0 proto=1 channels=4');
  let seq = 0;
  let timing = false;
  let heartbeatDue = false;
  const heartbeat = () => {
    heartbeatDue = false;
    write(`HB ${seq++} ${uptime()}`);
  };
  const timer = setInterval(() => (timing ? (heartbeatDue = true) : heartbeat()), 1000);
  return {
    /**
     * Writes RING ON and waits for `lit` (the arrival of the desk command, set up before); `onSent` runs just before
     * the write. Returns when RING ON was written and when the command arrived (null: it did not).
     */
    async ring(lit: Promise<number | null>, onSent: () => void = () => {}) {
      timing = true;
      const sentAt = performance.now();
      onSent();
      write(`RING 1 ON ${uptime()}`);
      const litAt = await lit;
      timing = false;
      if (heartbeatDue) heartbeat();
      return { sentAt, litAt };
    },
    /** Answered at the line's phone and hung up: the call ends (the next ring is ring 1 of a new one). */
    endCall() {
      write(`HOOK 1 OFF ${uptime()}`, `RING 1 OFF ${uptime()}`, `HOOK 1 ON ${uptime()}`);
    },
    close() {
      clearInterval(timer);
      closeSync(fd);
    },
  };
}
