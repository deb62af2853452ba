/** What device adapters report about themselves; the bridge logs these next to the core's decisions. */
export type DeviceEvent =
  | { type: 'device'; family: DeviceFamily; device: string; state: 'online'; detail?: string }
  | { type: 'device'; family: DeviceFamily; device: string; state: 'offline'; reason: string; lines?: string[] }
  | { type: 'fault'; family: DeviceFamily; device: string; reason: string; detail: string; count: number };

export type DeviceFamily = 'ring-sensor' | 'hid-headset' | 'desk-unit' | 'desk-board' | 'busylight' | 'asterisk' | 'softphone' | 'kuando-box' | 'zigbee';

/** Input for the core from a device: a core event without its time, and when it happened (bridge clock). */
export type DeviceInput =
  | { type: 'ring'; line: string; state: 'on' | 'off' }
  | { type: 'hook'; line?: string; desk?: string; state: 'off' | 'on' }
  | { type: 'presence'; desk: string; state: 'present' | 'away' }
  | { type: 'hold'; line?: string; desk?: string; state: 'on' | 'off' }
  | { type: 'ack'; desk: string; line?: string }
  | { type: 'takeover'; desk: string; from: string; state: 'on' | 'off' };
