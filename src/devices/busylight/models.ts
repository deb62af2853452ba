// The busylights thirdring drives, by model: USB ids (facts, with their sources), and what each can do.
import type { HidDeviceInfo } from '../hid-headset/types.js';

export type BusylightFamily = 'kuando' | 'luxafor' | 'embrava' | 'blink1';

export interface UsbId {
  vendorId: number;
  productId: number;
}

export interface BusylightModel {
  name: string;
  family: BusylightFamily;
  label: string;
  ids: UsbId[];
  /**
   * Luxafor Flag, Orb and Mute share one USB id and differ only by the product string's last word
   * (JnyJny/busylight, packages/busylight-core/src/busylight_core/vendors/luxafor/luxafor_base.py, `claims`).
   */
  productWord?: string;
  /** Has built-in tones (buzzer off/chirp/ring become the device's own tones); otherwise it stays quiet. */
  sound: boolean;
  /** Has a button the driver reports (Luxafor Mute). */
  button: boolean;
}

const id = (vendorId: number, productId: number): UsbId => ({ vendorId, productId });

/** In detection order: where ids are shared (Luxafor), the product-string models come before the fallback. */
export const MODELS: readonly BusylightModel[] = [
  // Kuando: Busylight API rev 2.2 (Kuando/Plenom, "Busylight/Kuando Box HID communication protocol
  // specification", https://github.com/porsager/busylight/files/273865/Busylight.API.rev.2.2.-.22052015.pdf):
  // VID 0x27BB, PID 0x3BCA Alpha, 0x3BCB UC, 0x3BCD Omega. The others: JnyJny/busylight,
  // packages/busylight-core/src/busylight_core/vendors/kuando/busylight_alpha.py and busylight_omega.py.
  { name: 'kuando-alpha', family: 'kuando', label: 'Kuando Busylight Alpha', ids: [id(0x27bb, 0x3bca), id(0x27bb, 0x3bce), id(0x04d8, 0xf848)], sound: true, button: false },
  { name: 'kuando-uc', family: 'kuando', label: 'Kuando Busylight UC', ids: [id(0x27bb, 0x3bcb)], sound: true, button: false },
  { name: 'kuando-omega', family: 'kuando', label: 'Kuando Busylight Omega', ids: [id(0x27bb, 0x3bcd), id(0x27bb, 0x3bcf)], sound: true, button: false },
  // Luxafor: VID 0x04D8 PID 0xF372 for Flag, Mute, Orb (JnyJny/busylight docs/hardware/devices/luxafor.md, commit
  // 16ad0fd; busylight-core vendors/luxafor/flag.py, mute.py, orb.py).
  { name: 'luxafor-mute', family: 'luxafor', label: 'Luxafor Mute', ids: [id(0x04d8, 0xf372)], productWord: 'mute', sound: false, button: true },
  { name: 'luxafor-orb', family: 'luxafor', label: 'Luxafor Orb', ids: [id(0x04d8, 0xf372)], productWord: 'orb', sound: false, button: false },
  { name: 'luxafor-flag', family: 'luxafor', label: 'Luxafor Flag', ids: [id(0x04d8, 0xf372)], sound: false, button: false },
  // Embrava and Poly: JnyJny/busylight, packages/busylight-core/src/busylight_core/vendors/embrava/blynclight.py,
  // blynclight_plus.py, blynclight_mini.py (the Mini extends the Plus: it has sound) and
  // vendors/plantronics/status_indicator.py (0x047F 0xD005, a rebranded Blynclight Plus per
  // docs/hardware/devices/embrava.md).
  { name: 'blynclight', family: 'embrava', label: 'Embrava Blynclight', ids: [id(0x2c0d, 0x0001), id(0x2c0d, 0x000c), id(0x0e53, 0x2516)], sound: false, button: false },
  { name: 'blynclight-plus', family: 'embrava', label: 'Embrava Blynclight Plus', ids: [id(0x2c0d, 0x0002), id(0x2c0d, 0x0010)], sound: true, button: false },
  { name: 'blynclight-mini', family: 'embrava', label: 'Embrava Blynclight Mini', ids: [id(0x2c0d, 0x0003), id(0x2c0d, 0x000a), id(0x0e53, 0x2517), id(0x0e53, 0x2519)], sound: true, button: false },
  { name: 'poly-status-indicator', family: 'embrava', label: 'Plantronics/Poly Status Indicator', ids: [id(0x047f, 0xd005)], sound: true, button: false },
  // ThingM blink(1): VID 0x27B8 PID 0x01ED (todbot/blink1-tool, blink1-lib.h: BLINK1_VENDOR_ID, BLINK1_DEVICE_ID).
  { name: 'blink1', family: 'blink1', label: 'ThingM blink(1)', ids: [id(0x27b8, 0x01ed)], sound: false, button: false },
];

export const MODEL_NAMES: readonly string[] = MODELS.map((m) => m.name);

export function modelNamed(name: string): BusylightModel | undefined {
  return MODELS.find((m) => m.name === name);
}

/** The model a listed HID device is, or null when it is no busylight we know. */
export function modelOf(device: Pick<HidDeviceInfo, 'vendorId' | 'productId' | 'product'>): BusylightModel | null {
  const lastWord = device.product?.trim().split(/\s+/).pop()?.toLowerCase();
  for (const model of MODELS) {
    if (!model.ids.some((i) => i.vendorId === device.vendorId && i.productId === device.productId)) continue;
    if (model.productWord === undefined || model.productWord === lastWord) return model;
  }
  return null;
}

/** Every distinct USB id, by vendor: what the udev rule must cover. */
export function usbIdsByVendor(): Map<number, number[]> {
  const byVendor = new Map<number, number[]>();
  for (const model of MODELS) {
    for (const { vendorId, productId } of model.ids) {
      const list = byVendor.get(vendorId) ?? [];
      if (!list.includes(productId)) list.push(productId);
      byVendor.set(vendorId, list);
    }
  }
  return byVendor;
}
