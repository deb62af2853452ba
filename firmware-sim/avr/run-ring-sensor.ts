// Run the compiled ring-sensor firmware in avr8js in real time on a serial path, for trying the bridge against the
// real firmware without hardware:
//
//   make -C hardware/ring-sensor
//   npx tsx firmware-sim/avr/run-ring-sensor.ts            # makes a socat pty pair, prints the bridge's path
//   npx tsx firmware-sim/avr/run-ring-sensor.ts --serial /dev/pts/7 --speed 2
//
// Then type on stdin:  ring <ch> [ms] [hz]  |  hook <ch> off|on  |  send <body>  (framed for you)  |  quit
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { frame } from '../../src/devices/ring-sensor/protocol.js';
import { openPtyPair, type PtyPair } from '../pty-pair.js';
import { AvrRingSensor } from './avr-ring-sensor.js';
import { bridgeToSerialPath } from './bridge.js';

const { values } = parseArgs({
  options: {
    hex: { type: 'string', default: 'hardware/ring-sensor/build/ring-sensor.hex' },
    serial: { type: 'string' },
    speed: { type: 'string', default: '1' },
  },
});
const speed = Number(values.speed);
if (!(speed > 0)) throw new Error(`--speed must be a positive number, got ${values.speed}`);

const sensor = AvrRingSensor.fromHexFile(values.hex);
let pair: PtyPair | undefined;
let path = values.serial;
if (!path) {
  pair = await openPtyPair();
  path = pair.devicePath;
  console.log(`ring sensor on a pty: point the bridge at ${pair.hostPath}`);
}
const bridge = await bridgeToSerialPath(sensor, path, { onError: (error) => console.error(`serial: ${error.message}`) });
sensor.onLine((line) => console.log(`${line.ms.toFixed(0).padStart(9)} ms  ${line.text}`));
const pacer = sensor.pace({ speed });

async function shutdown(): Promise<void> {
  pacer.stop();
  await bridge.close();
  await pair?.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());

const input = createInterface({ input: process.stdin });
input.on('line', (text) => {
  const [command, ...args] = text.trim().split(/\s+/);
  const channel = Number(args[0]);
  try {
    switch (command) {
      case 'ring':
        sensor.schedulePulseTrain(channel, { hz: Number(args[2] ?? 25), durationMs: Number(args[1] ?? 2000) });
        break;
      case 'hook':
        sensor.setOffHook(channel, args[1] === 'off');
        break;
      case 'send':
        sensor.writeRx(frame(args.join(' ')));
        break;
      case 'quit':
        void shutdown();
        break;
      case '':
      case undefined:
        break;
      default:
        console.log('commands: ring <ch> [ms] [hz] | hook <ch> off|on | send <body> | quit');
    }
  } catch (error) {
    console.error((error as Error).message);
  }
});
