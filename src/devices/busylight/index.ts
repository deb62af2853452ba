// The busylight driver's public face, for the desk agent (thirdring desk) and the CLI. Stable: build on this file
// only; the insides (one file per family, the model registry, the device class) may change behind it.
export type { Busylight, BusylightButton, BusylightEvents, BusylightIndication, BusylightTimers, OpenBusylightOptions } from './types.js';
export { openBusylight } from './busylight.js';
/** The model names `model` accepts, and every USB id the driver looks for by vendor (for a udev rule). */
export { MODEL_NAMES, usbIdsByVendor } from './models.js';
