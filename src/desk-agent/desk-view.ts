// What the desk shows, from what the agent last heard: the bridge's command (desk/<id>/set), the desk's state
// (desk/<id>), whether the bridge is there (bridge/state) and whether the broker is.
import { z } from 'zod';
import type { DeskAlert, Indication } from '../core/types.js';

export type Shown = Pick<Indication, 'alert' | 'led' | 'buzzer'>;

/**
 * "No bridge": white, slow blink, silent — a pattern no alert uses (everyone is white *pulse*), so a stale "answer
 * now" never stays lit while nobody decides who should answer.
 */
export const NO_BRIDGE: Shown = { alert: 'none', led: { color: 'white', pattern: 'slow-blink' }, buzzer: { pattern: 'off' } };
export const NOTHING: Shown = { alert: 'none', led: { color: 'off', pattern: 'off' }, buzzer: { pattern: 'off' } };

const alert = z.enum(['yours', 'hold', 'nearby', 'everyone', 'callback', 'none']);
const led = z.looseObject({ color: z.string().max(32), pattern: z.enum(['off', 'solid', 'fast-blink', 'slow-blink', 'pulse']) });
const buzzer = z.looseObject({ pattern: z.enum(['off', 'chirp', 'ring']) });

/** desk/<id>/set; `alert` and `line` come from bridges that send them (older ones send led and buzzer only). */
export const deskSetSchema = z.looseObject({ led, buzzer, alert: alert.optional(), line: z.string().max(200).nullable().optional() });
/** desk/<id>, the parts the agent uses. */
export const deskStateSchema = z.looseObject({
  presence: z.enum(['present', 'away']),
  alert: alert.optional(),
  alertLine: z.string().max(200).nullable().optional(),
  led: led.optional(),
  buzzer: buzzer.optional(),
});

export type DeskSet = z.infer<typeof deskSetSchema>;
export type DeskState = z.infer<typeof deskStateSchema>;

export interface DeskView {
  connected: boolean;
  /** bridge/state as last heard; unknown until it is (or when the broker does not let desks read it). */
  bridge: 'online' | 'offline' | 'unknown';
  set: DeskSet | null;
  state: DeskState | null;
}

export const emptyView = (): DeskView => ({ connected: false, bridge: 'unknown', set: null, state: null });

/** Why there is nobody to decide, or null when the bridge is there. */
export function noBridgeReason(view: DeskView): string | null {
  if (!view.connected) return 'broker not reachable';
  if (view.bridge === 'offline') return 'bridge offline';
  return null;
}

export function shownOf(view: DeskView): Shown {
  if (noBridgeReason(view) !== null) return NO_BRIDGE;
  const { set, state } = view;
  if (set) return { alert: set.alert ?? state?.alert ?? 'none', led: set.led, buzzer: set.buzzer };
  if (state?.led && state.buzzer) return { alert: state.alert ?? 'none', led: state.led, buzzer: state.buzzer };
  return NOTHING;
}

const RINGING: ReadonlySet<DeskAlert> = new Set(['yours', 'nearby', 'everyone']);

/** The line a pick-up at this desk answers: the one it is alerted for while a call rings for it, else none. */
export function alertLineOf(view: DeskView): string | null {
  const shown = shownOf(view);
  if (!RINGING.has(shown.alert)) return null;
  return view.set?.line ?? view.state?.alertLine ?? null;
}

/** A payload as JSON, or null. */
export function parseJsonPayload(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
}
