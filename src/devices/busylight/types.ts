// The busylight driver's public shapes: what the desk agent (thirdring desk) and the CLI use. Stable; the insides
// (one file per family, the model registry, the device class) may change behind them.
import type { DeviceEvent } from '../../common/device-events.js';
import type { Indication } from '../../core/types.js';
import type { HidBackend } from '../hid-headset/types.js';

/** What a busylight is asked to show: a desk's indication (the `line` is not needed). */
export type BusylightIndication = Pick<Indication, 'alert' | 'led' | 'buzzer'>;

/** A press or release of a light's own button (Luxafor Mute). */
export interface BusylightButton {
  button: 'main';
  state: 'down' | 'up';
  at: number;
}

/** Timers the driver uses for software blinking, keep-alive and hot-plug polling; fake ones in tests. */
export interface BusylightTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OpenBusylightOptions {
  backend: HidBackend;
  /** A model name from the registry (`kuando-alpha`, `luxafor-flag`, `blink1`...); default: the first light found. */
  model?: string;
  /** Pick this light by its USB serial number (two identical lights on one PC). */
  serial?: string;
  /** Pick this light by its HID path (e.g. /dev/hidraw3). */
  path?: string;
  now: () => number;
  /** Defaults to the global setTimeout/clearTimeout. */
  timers?: BusylightTimers;
  /** How often the device list is scanned for the light appearing or going away (default 2000 ms). */
  pollMs?: number;
  /** Name in device events (default `busylight:<model>`). */
  name?: string;
}

export interface BusylightEvents {
  device: [event: DeviceEvent];
  button: [press: BusylightButton];
}

export interface Busylight {
  /** Shows an indication now and keeps showing it (blinks, keep-alive, replug) until the next show() or stop(). */
  show(indication: BusylightIndication): void;
  /** Turns the light off (best effort), stops every timer and closes the device. */
  stop(): void;
  readonly online: boolean;
  /** The model in use (once a light was found), else null. */
  readonly model: string | null;
  on<K extends keyof BusylightEvents>(event: K, listener: (...args: BusylightEvents[K]) => void): this;
  off<K extends keyof BusylightEvents>(event: K, listener: (...args: BusylightEvents[K]) => void): this;
}
