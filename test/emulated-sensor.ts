import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { RingSensorEmulator } from '../firmware-sim/ring-sensor-emulator.js';

/** The ring sensor emulator on one end of a real pseudo-terminal pair; the bridge opens `hostPath`. */
export async function emulatedSensor(dir?: string) {
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
