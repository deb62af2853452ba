// The compiled firmware in avr8js, paced to real time and bridged onto a socat pseudo-terminal pair; the other
// end is read like a real USB serial port (serialport + ReadlineParser), so the bytes go through real termios.
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { describe, expect } from 'vitest';
import { AvrRingSensor } from '../../firmware-sim/avr/avr-ring-sensor.js';
import { bridgeToSerialPath } from '../../firmware-sim/avr/bridge.js';
import { openPtyPair } from '../../firmware-sim/pty-pair.js';
import { parseSensorLine, type SensorMessage } from '../../src/devices/ring-sensor/protocol.js';
import { itWithTools } from '../system-tools.js';
import { buildFirmware } from './firmware-build.js';
import { tempDir } from '../helpers.js';

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ring-sensor firmware over a pseudo-terminal', () => {
  itWithTools(['make', 'avr-gcc', 'avr-objcopy', 'socat'], 'HELLO, RING 1 ON and command answers arrive through real termios', async () => {
    const sensor = AvrRingSensor.fromHexFile(buildFirmware().hexPath);
    const pair = await openPtyPair(tempDir('thirdring-pty-'));
    const host = new SerialPort({ path: pair.hostPath, baudRate: 115200, autoOpen: false });
    const received: string[] = [];
    let bridge: Awaited<ReturnType<typeof bridgeToSerialPath>> | undefined;
    let pacer: ReturnType<AvrRingSensor['pace']> | undefined;
    try {
      await new Promise<void>((resolve, reject) => host.open((error) => (error ? reject(error) : resolve())));
      host.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => received.push(line));
      bridge = await bridgeToSerialPath(sensor, pair.devicePath);
      pacer = sensor.pace({ speed: 1 });

      await waitFor('HELLO', () => received.length > 0, 5_000);
      const ringAt = sensor.uptimeMs + 100;
      const train = sensor.schedulePulseTrain(1, { hz: 25, durationMs: 500, startMs: ringAt });
      host.write('HELLO?*7D\n');
      host.write('PING*10\r\n');
      await waitFor('RING 1 ON', () => received.some((line) => line.startsWith('RING 1 ON ')), 5_000);
      await waitFor('RING 1 OFF', () => received.some((line) => line.startsWith('RING 1 OFF ')), 5_000);

      const messages: SensorMessage[] = received.map((line) => {
        const parsed = parseSensorLine(line);
        if (!parsed.ok) throw new Error(`bad line over the pty (${parsed.reason}): ${JSON.stringify(line)}`);
        return parsed.message;
      });
      expect(messages[0]).toEqual({ kind: 'hello', firmware: 'thirdring-ring-sensor', version: '1.0.0', proto: 1, channels: 4 });
      expect(messages.filter((m) => m.kind === 'hello'), 'boot HELLO + the answer to HELLO?').toHaveLength(2);
      expect(messages.some((m) => m.kind === 'hb'), 'HB answering PING').toBe(true);
      const on = messages.filter((m) => m.kind === 'ring' && m.state === 'on');
      expect(on).toHaveLength(1);
      expect(on[0]).toMatchObject({ channel: 1 });
      expect(Math.abs((on[0] as { ms: number }).ms - train.pulsesMs[0]!)).toBeLessThanOrEqual(1);
      expect(messages.filter((m) => m.kind === 'err')).toEqual([]);
    } finally {
      pacer?.stop();
      await bridge?.close();
      if (host.isOpen) await new Promise<void>((resolve) => host.close(() => resolve()));
      await pair.close();
    }
  }, 60_000);
});
