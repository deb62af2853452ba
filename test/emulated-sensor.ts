import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { RingSensorEmulator } from '../firmware-sim/ring-sensor-emulator.js';
import { tempDir } from './helpers.js';

/**
 * The ring sensor emulator on one end of a real pseudo-terminal pair; the bridge opens `hostPath`. The pty links
 * go in `dir`, by default a tempDir removed after the test file.
 */
export async function emulatedSensor(dir = tempDir('thirdring-pty-')) {
  const pty = await openPtyPair(dir);
  const emulator = new RingSensorEmulator(pty.devicePath);
  await emulator.start();
  return {
    emulator,
    hostPath: pty.hostPath,
    async close() {
      await emulator.stop();
      await pty.close();
    },
  };
}
