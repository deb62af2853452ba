import type { Bridge, Feature } from '../bridge.js';
import { cadenceFor } from '../../core/index.js';
import { NodeHidBackend } from '../../devices/hid-headset/node-hid-backend.js';
import type { HidBackend } from '../../devices/hid-headset/types.js';
import { KuandoBox } from '../../devices/kuando-box/kuando-box.js';

/** Every Kuando Busylight Box in the config (`kuandoBoxes`), each the ring sensor of its line. */
export class KuandoBoxFeature implements Feature {
  readonly name = 'kuando-box';
  readonly boxes: KuandoBox[] = [];

  constructor(
    private readonly bridge: Bridge,
    private readonly backend: () => HidBackend = () => new NodeHidBackend(),
  ) {}

  start(): void {
    const { config } = this.bridge;
    if (config.kuandoBoxes.length === 0) return;
    const backend = this.backend();
    for (const box of config.kuandoBoxes) {
      const line = config.lines.find((l) => l.id === box.line)!;
      const cadence = typeof line.cadence === 'string' ? (cadenceFor(line.cadence) ?? 'auto') : line.cadence;
      const device = new KuandoBox({
        backend,
        line: box.line,
        cadence,
        ...(box.serialNumber !== undefined ? { serialNumber: box.serialNumber } : {}),
        ...(box.path !== undefined ? { path: box.path } : {}),
        settings: { sensitivity: box.sensitivity, timeoutSeconds: box.timeoutSeconds, triggerMs: box.triggerMs },
        clock: this.bridge.clock,
      });
      device.on('input', (input, at) => this.bridge.input(input, at));
      device.on('device', (event) => this.bridge.reportDevice(event));
      device.start();
      this.boxes.push(device);
    }
  }

  stop(): void {
    for (const box of this.boxes) box.stop();
    this.boxes.length = 0;
  }
}
