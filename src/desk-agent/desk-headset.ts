// The person's USB headset at their own desk: the bridge's headset driver, with its hook and hold going out as
// this desk's actions instead of into a bridge, and its Ring LED following what the desk shows.
import type { DeviceEvent } from '../common/device-events.js';
import { HidHeadset, type HidHeadsetMatch } from '../devices/hid-headset/headset.js';
import { parseReportDescriptor } from '../devices/hid-headset/report-descriptor.js';
import { findTelephonyFields } from '../devices/hid-headset/telephony-fields.js';
import type { HidBackend } from '../devices/hid-headset/types.js';
import type { DeskIndicator } from './agent.js';
import type { Shown } from './desk-view.js';

const TELEPHONY_USAGE_PAGE = 0x0b;

export interface DeskHeadsetOptions {
  backend: HidBackend;
  desk: string;
  match: HidHeadsetMatch;
  now: () => number;
  onHook: (state: 'off' | 'on') => void;
  onHold: (state: 'on' | 'off') => void;
  onDevice: (event: DeviceEvent) => void;
  pollMs?: number;
}

export class DeskHeadset implements DeskIndicator {
  readonly headset: HidHeadset;

  constructor(private readonly options: DeskHeadsetOptions) {
    // No headset named: only telephony interfaces, so keyboards and mice are never opened to read their descriptors.
    const anyHeadset = Object.keys(options.match).length === 0;
    const backend: HidBackend = anyHeadset
      ? { list: () => options.backend.list().filter((d) => d.usagePage === TELEPHONY_USAGE_PAGE), open: (path) => options.backend.open(path) }
      : options.backend;
    this.headset = new HidHeadset({
      backend,
      desk: options.desk,
      match: options.match,
      fieldsOf: (descriptor) => findTelephonyFields(parseReportDescriptor(descriptor)),
      now: options.now,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      name: 'headset',
    });
    this.headset.on('input', (input) => {
      if (input.type === 'hook') options.onHook(input.state);
      else if (input.type === 'hold') options.onHold(input.state);
    });
    this.headset.on('device', options.onDevice);
  }

  start(): void {
    this.headset.start();
  }

  show(shown: Shown): void {
    this.headset.indicate({ desk: this.options.desk, alert: shown.alert });
  }

  stop(): void {
    this.headset.stop();
  }
}
