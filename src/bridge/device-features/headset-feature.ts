import type { Bridge, Feature } from '../bridge.js';
import { HidHeadset } from '../../devices/hid-headset/headset.js';
import { NodeHidBackend } from '../../devices/hid-headset/node-hid-backend.js';
import { parseReportDescriptor } from '../../devices/hid-headset/report-descriptor.js';
import { findTelephonyFields } from '../../devices/hid-headset/telephony-fields.js';
import type { HidBackend } from '../../devices/hid-headset/types.js';

export const fieldsOfDescriptor = (descriptor: Buffer) => findTelephonyFields(parseReportDescriptor(descriptor));

/** A USB telephony headset per desk that names one (desks[].headset): hook switch in, ring/off-hook LEDs out. */
export class HeadsetFeature implements Feature {
  readonly name = 'hid-headset';
  readonly headsets = new Map<string, HidHeadset>();

  constructor(
    private readonly bridge: Bridge,
    private readonly backend: () => HidBackend = () => new NodeHidBackend(),
  ) {}

  start(): void {
    const desks = this.bridge.config.desks.filter((d) => d.headset);
    if (desks.length === 0) return;
    const backend = this.backend();
    for (const desk of desks) {
      const headset = new HidHeadset({ backend, desk: desk.id, match: desk.headset!, fieldsOf: fieldsOfDescriptor, now: () => this.bridge.clock.now() });
      headset.on('input', (input, at) => this.bridge.input(input, at));
      headset.on('device', (event) => this.bridge.reportDevice(event));
      headset.start();
      this.headsets.set(desk.id, headset);
    }
    this.bridge.listen(this, 'indicate', (command) => this.headsets.get(command.desk)?.indicate(command));
  }

  stop(): void {
    for (const headset of this.headsets.values()) headset.stop();
    this.headsets.clear();
  }
}
