import type { HidConnection } from './types.js';

// What every driver on the HID seam (headsets, busylights, the Kuando Box) needs when a device goes away.

/** Closes a connection whose device may already be unplugged. */
export function closeQuietly(conn: HidConnection): void {
  try {
    conn.close();
  } catch {
    // already gone
  }
}

/** node-hid throws Errors, strings and whatever hidapi gave it: one line for a fault's detail. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
