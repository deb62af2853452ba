// Pure bit helpers for HID reports: read one field out of an input report, build output reports that set LEDs.
import type { ReportField, TelephonyFields } from './types.js';

/** Whether the device numbers its reports (a report-ID byte leads every report). */
export function usesReportIds(fields: TelephonyFields): boolean {
  const all = [...Object.values(fields.inputs), ...Object.values(fields.outputs)];
  if (all.some((field) => field && field.reportId !== 0)) return true;
  const ids = [...Object.keys(fields.inputReportBytes ?? {}), ...Object.keys(fields.outputReportBytes ?? {})];
  return ids.some((id) => Number(id) !== 0);
}

/**
 * The value of `field` in `report` (unsigned, or sign-extended when the field's logical minimum is negative);
 * null when the report is for another report ID or too short to hold the field.
 */
export function readField(report: Buffer, field: ReportField, usesReportIds: boolean): number | null {
  let data = report;
  if (usesReportIds) {
    if (report.length < 1 || report[0] !== field.reportId) return null;
    data = report.subarray(1);
  }
  if (field.bitSize < 1 || data.length * 8 < field.bitOffset + field.bitSize) return null;
  let value = 0;
  for (let i = 0; i < field.bitSize; i++) {
    const bit = field.bitOffset + i;
    if (((data[bit >> 3] ?? 0) >> (bit & 7)) & 1) value += 2 ** i;
  }
  if ((field.logicalMinimum ?? 0) < 0 && value >= 2 ** (field.bitSize - 1)) value -= 2 ** field.bitSize;
  return value;
}

export interface OutputValues {
  ring?: boolean;
  offHook?: boolean;
  mute?: boolean;
  hold?: boolean;
}

/**
 * Output reports setting the telephony LEDs the device has: one report per report ID that holds any of them,
 * in report-ID order. First byte = report ID (0 when the device uses none), then the report's data bytes
 * (`outputReportBytes[reportId]`, or just enough for its highest LED bit). LEDs not given are written off,
 * as are any other bits of those reports.
 */
export function writeOutputReport(fields: TelephonyFields, values: OutputValues): number[][] {
  const byReport = new Map<number, Array<[ReportField, boolean]>>();
  for (const key of ['ring', 'offHook', 'mute', 'hold'] as const) {
    const field = fields.outputs[key];
    if (!field) continue;
    const list = byReport.get(field.reportId) ?? [];
    list.push([field, values[key] ?? false]);
    byReport.set(field.reportId, list);
  }
  const reports: number[][] = [];
  for (const [reportId, list] of [...byReport].sort(([a], [b]) => a - b)) {
    const highestBit = Math.max(...list.map(([field]) => field.bitOffset + field.bitSize));
    const dataBytes = Math.max(fields.outputReportBytes?.[reportId] ?? 0, Math.ceil(highestBit / 8));
    const report = new Array<number>(1 + dataBytes).fill(0);
    report[0] = reportId;
    for (const [field, on] of list) {
      if (!on) continue;
      // An LED is a 1-bit On/Off control; wider fields get their logical maximum (or 1).
      const value = field.bitSize === 1 ? 1 : Math.min(field.logicalMaximum ?? 1, 2 ** field.bitSize - 1);
      for (let i = 0; i < field.bitSize; i++) {
        if (!((value >> i) & 1)) continue;
        const bit = field.bitOffset + i;
        report[1 + (bit >> 3)] = (report[1 + (bit >> 3)] ?? 0) | (1 << (bit & 7));
      }
    }
    reports.push(report);
  }
  return reports;
}
