// Shared shapes of the HID headset support: what the report-descriptor parser finds, and the thin device seam
// the headset adapter talks to (node-hid in production, a fake fed with real descriptors in tests).

/** One field of a report: where its bits are. `bitOffset` counts from the first data bit after the report-ID byte. */
export interface ReportField {
  /** 0 when the device uses no report IDs */
  reportId: number;
  bitOffset: number;
  bitSize: number;
  /** Relative (One Shot / toggle) input; always false for outputs. */
  relative: boolean;
  logicalMinimum?: number;
  logicalMaximum?: number;
}

export interface TelephonyFields {
  /** A Telephony (0x0B) usage appears anywhere in the descriptor. */
  telephony: boolean;
  inputs: { hookSwitch: ReportField | null; phoneMute: ReportField | null; flash: ReportField | null; hold?: ReportField | null };
  outputs: { ring: ReportField | null; offHook: ReportField | null; mute: ReportField | null; hold: ReportField | null };
  /** Data length in bytes (without the report-ID byte) of each output report, by report ID. */
  outputReportBytes?: Record<number, number>;
  /** Data length in bytes (without the report-ID byte) of each input report, by report ID. */
  inputReportBytes?: Record<number, number>;
}

/** What enumeration tells about a HID device (node-hid's `Device`, the parts used). */
export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

/** An open HID device: input reports in, output reports out. */
export interface HidConnection {
  /** Input reports as received (with the report-ID byte first when the device uses report IDs). */
  onReport(listener: (report: Buffer) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Writes an output report; the first byte is the report ID (0 when the device uses none). */
  write(report: number[]): void;
  /**
   * Writes a feature report (SET_REPORT on the control pipe), the first byte the report ID: what a blink(1) takes.
   * Optional so that backends and fakes made for headsets, which never need it, stay valid.
   */
  sendFeatureReport?(report: number[]): void;
  /** The device's raw report descriptor. */
  reportDescriptor(): Buffer;
  close(): void;
}

/** The seam: node-hid implements it on real machines, tests implement it with recorded descriptors. */
export interface HidBackend {
  list(): HidDeviceInfo[];
  open(path: string): HidConnection;
}
