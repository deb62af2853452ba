// The Kuando (Plenom) Busylight Box, USB 27BB:3BCC: an analog-line activity detector on the Busylight HID protocol.
//
// Facts, from the Busylight API rev 2.2 (Kuando/Plenom, "Busylight/Kuando Box HID communication protocol
// specification", as summarised in JnyJny/busylight docs/hardware/devices/kuando.md and tckb/busylight_rest's
// README) and yaddran/busylight src/busylight.ts (a node-hid driver that lists 0x3BCC as "Kuando Box"):
// - Output: the 64-byte Busylight report. Step 0 = 0x80 | timeout is keep-alive (nothing else changes); bytes 56,
//   57, 58 are the Box's sensitivity (0 high .. 31 low), timeout (s, 1..30: how long activity is held after the
//   last detection) and trigger time (ms, 1..250); bytes 59..61 must be 0xFF; 62..63 the sum of bytes 0..61, high
//   byte first. yaddran/busylight sends keep-alives every 5 s with sensitivity 4, timeout 4, trigger 0x55.
// - Input: a 64-byte report whose byte 0 says whether line activity is detected. yaddran/busylight reads it as a
//   character: '1' (0x31) = activity; the issue that asked for this driver says the byte is 1. Both are taken as
//   active, '0' (0x30) and 0 as idle; any other value is a bad report (counted, dropped). Bytes 1..3 are '001' on a
//   Busylight and something else on a Box (yaddran/busylight), which is not relied on.

export const KUANDO_BOX_VENDOR_ID = 0x27bb;
export const KUANDO_BOX_PRODUCT_ID = 0x3bcc;

const KEEP_ALIVE = 0x80;
const KEEP_ALIVE_TIMEOUT_S = 15;

export interface BoxSettings {
  /** 0 (most sensitive) .. 31 */
  sensitivity: number;
  /** Seconds activity is held after the last detection, 1..30. */
  timeoutSeconds: number;
  /** ms, 1..250 */
  triggerMs: number;
}

/** The keep-alive with the Box's settings, behind report ID 0 (the device uses none). */
export function boxKeepAlive(settings: BoxSettings): number[] {
  const bytes = new Array<number>(64).fill(0);
  bytes[0] = KEEP_ALIVE | KEEP_ALIVE_TIMEOUT_S;
  bytes[56] = settings.sensitivity;
  bytes[57] = settings.timeoutSeconds;
  bytes[58] = settings.triggerMs;
  bytes[59] = bytes[60] = bytes[61] = 0xff;
  const sum = bytes.slice(0, 62).reduce((a, b) => a + b, 0) & 0xffff;
  bytes[62] = sum >> 8;
  bytes[63] = sum & 0xff;
  return [0x00, ...bytes];
}

/** Line activity from one input report, or why the report is refused. */
export function boxActivity(report: Buffer): boolean | { refused: string } {
  // node-hid gives the 64 data bytes (no report ID); a stray leading report ID 0 would make it 65.
  if (report.length !== 64) return { refused: 'report-length' };
  switch (report[0]) {
    case 0x31:
    case 0x01:
      return true;
    case 0x30:
    case 0x00:
      return false;
    default:
      return { refused: 'activity-byte' };
  }
}
