// Finds the headset's call controls in a parsed report descriptor: Telephony-page inputs (Hook Switch, Phone Mute,
// Flash, Hold) and LED-page outputs (Ring, Off-Hook, Mute, Hold). Constant-flagged fields count: the Jabra Link 380c
// flags its Hook Switch Constant yet reports it.

import type { ParsedDescriptor, ParsedField, ReportKind } from './report-descriptor.js';
import { usagePage } from './report-descriptor.js';
import type { ReportField, TelephonyFields } from './types.js';

export const TELEPHONY_PAGE = 0x0b;
export const LED_PAGE = 0x08;

const usage = (page: number, id: number) => page * 0x10000 + id;

export const TELEPHONY_USAGES = {
  hookSwitch: usage(TELEPHONY_PAGE, 0x20),
  flash: usage(TELEPHONY_PAGE, 0x21),
  hold: usage(TELEPHONY_PAGE, 0x23),
  phoneMute: usage(TELEPHONY_PAGE, 0x2f),
} as const;

export const LED_USAGES = {
  mute: usage(LED_PAGE, 0x09),
  offHook: usage(LED_PAGE, 0x17),
  ring: usage(LED_PAGE, 0x18),
  hold: usage(LED_PAGE, 0x20),
} as const;

/** Whether a field sits inside a collection whose usage is on the Telephony page. */
const inTelephonyCollection = (field: ParsedField) => field.collections.some((c) => usagePage(c.usage) === TELEPHONY_PAGE);

/**
 * The first single-element field carrying `target`: Variable fields first (inside a Telephony collection before
 * anywhere else), then, when the usage only appears in Array fields, the array's element.
 */
export function findUsageField(parsed: ParsedDescriptor, kind: ReportKind, target: number): ReportField | null {
  let preferred: ReportField | null = null;
  let fallback: ReportField | null = null;
  let inArray: ReportField | null = null;
  for (const field of parsed.fields) {
    if (field.kind !== kind || field.bitSize === 0 || field.count === 0) continue;
    const base = {
      reportId: field.reportId,
      bitSize: field.bitSize,
      relative: kind === 'input' && field.flags.relative,
      logicalMinimum: field.logicalMinimum,
      logicalMaximum: field.logicalMaximum,
    };
    if (field.flags.variable) {
      const index = field.usages.indexOf(target);
      if (index < 0) continue;
      const found: ReportField = { ...base, bitOffset: field.bitOffset + index * field.bitSize };
      if (inTelephonyCollection(field)) {
        if (preferred === null) preferred = found;
      } else if (fallback === null) {
        fallback = found;
      }
    } else if (inArray === null && field.usages.includes(target)) {
      inArray = { ...base, relative: false, bitOffset: field.bitOffset };
    }
    if (preferred !== null) break;
  }
  return preferred ?? fallback ?? inArray;
}

/** Telephony presence, call-control inputs, LED outputs and report lengths of a parsed descriptor. */
export function findTelephonyFields(parsed: ParsedDescriptor): TelephonyFields {
  const telephony =
    parsed.fields.some((f) => f.usages.some((u) => usagePage(u) === TELEPHONY_PAGE)) ||
    parsed.allCollections.some((c) => usagePage(c.usage) === TELEPHONY_PAGE);
  return {
    telephony,
    inputs: {
      hookSwitch: findUsageField(parsed, 'input', TELEPHONY_USAGES.hookSwitch),
      phoneMute: findUsageField(parsed, 'input', TELEPHONY_USAGES.phoneMute),
      flash: findUsageField(parsed, 'input', TELEPHONY_USAGES.flash),
      hold: findUsageField(parsed, 'input', TELEPHONY_USAGES.hold),
    },
    outputs: {
      ring: findUsageField(parsed, 'output', LED_USAGES.ring),
      offHook: findUsageField(parsed, 'output', LED_USAGES.offHook),
      mute: findUsageField(parsed, 'output', LED_USAGES.mute),
      hold: findUsageField(parsed, 'output', LED_USAGES.hold),
    },
    outputReportBytes: { ...parsed.reportBytes.output },
    inputReportBytes: { ...parsed.reportBytes.input },
  };
}
