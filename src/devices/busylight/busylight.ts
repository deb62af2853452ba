import type { Busylight, OpenBusylightOptions } from './types.js';

/** First version: the interface only; the driver follows. */
export function openBusylight(options: OpenBusylightOptions): Busylight {
  void options;
  throw new Error('busylight driver not implemented yet');
}
