import type { Bridge, Feature } from '../bridge.js';
import { SerialRingSensor } from '../../devices/ring-sensor/serial-ring-sensor.js';

/** Every serial ring sensor named in the config (one per port, with its channel → line map). */
export class RingSensorFeature implements Feature {
  readonly name = 'ring-sensor';
  readonly sensors: SerialRingSensor[] = [];

  constructor(private readonly bridge: Bridge) {}

  start(): void {
    const byPort = new Map<string, { baudRate: number; lines: Map<number, string> }>();
    for (const line of this.bridge.config.lines) {
      if (!line.sensor) continue;
      const port = byPort.get(line.sensor.serial) ?? { baudRate: line.sensor.baudRate, lines: new Map() };
      port.lines.set(line.sensor.channel, line.id);
      byPort.set(line.sensor.serial, port);
    }
    for (const [path, { baudRate, lines }] of byPort) {
      const sensor = new SerialRingSensor({ path, baudRate, lines, now: () => this.bridge.clock.now() });
      sensor.on('input', (input, at) => this.bridge.input(input, at));
      sensor.on('device', (event) => this.bridge.reportDevice(event));
      sensor.start();
      this.sensors.push(sensor);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.sensors.map((sensor) => sensor.stop()));
    this.sensors.length = 0;
  }
}
