// Put a simulated ring sensor on a serial device path (e.g. the device side of a socat pty pair): what the
// firmware sends on USART0 is written to the path, and bytes read from the path go to its USART RX.
import { SerialPort } from 'serialport';
import type { AvrRingSensor } from './avr-ring-sensor.js';

export interface SerialBridge {
  readonly port: SerialPort;
  /** The last error the port reported, if any. */
  readonly lastError: Error | undefined;
  /** Stop forwarding, flush what the firmware already sent, close the port. */
  close(): Promise<void>;
}

export interface BridgeOptions {
  baudRate?: number;
  onError?: (error: Error) => void;
}

/**
 * Forward a simulated sensor's serial port to `path`. The simulation must be running for anything to happen:
 * call `sensor.pace()` (real time) or `sensor.runFor()` yourself; bytes are written after each run slice.
 */
export async function bridgeToSerialPath(
  sensor: AvrRingSensor,
  path: string,
  options: BridgeOptions = {},
): Promise<SerialBridge> {
  const port = new SerialPort({ path, baudRate: options.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));

  let lastError: Error | undefined;
  port.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });

  let pending: number[] = [];
  let flushQueued = false;
  const flush = () => {
    flushQueued = false;
    if (pending.length === 0 || !port.isOpen) return;
    port.write(Buffer.from(pending));
    pending = [];
  };
  const offByte = sensor.onByte((byte) => {
    pending.push(byte);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  });
  const onData = (chunk: Buffer) => sensor.writeRx(chunk);
  port.on('data', onData);

  return {
    port,
    get lastError() {
      return lastError;
    },
    async close() {
      offByte();
      port.off('data', onData);
      flush();
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.drain(() => resolve()));
      await new Promise<void>((resolve, reject) => port.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
