import type { LedPattern } from '../../core/types.js';
import type { LightAbility } from './z2m-payloads.js';

// What a desk's Zigbee light is sent for each of the desk contract's patterns, on <base>/<light>/set. Keys from
// Zigbee2MQTT's docs (guide/usage/mqtt_topics_and_messages.md "zigbee2mqtt/FRIENDLY_NAME/set": state, brightness,
// color; the device pages' light section: color as {"hex": "#547CFF"}, "transition" in seconds; the `effect` enum:
// blink, breathe, okay, channel_change, finish_effect, stop_effect — "Value will not be published in the state").

/**
 * effect: colour + one Zigbee effect, re-armed at each ring (2 messages a ring at most; the effect is the light's
 * own, cannot be read back, and some lights have none). timed: the bridge switches the light on and off itself
 * (readable in the light's state, but one message per change, as slow as the rate limit). solid: colour only.
 */
export type LightMode = 'effect' | 'timed' | 'solid';

export interface LightPlanOptions {
  mode: LightMode;
  /** 1–254 (Zigbee's level). */
  brightness: number;
  /** Seconds; 0 = at once. */
  transition: number;
  /** The effect shown for each blinking pattern. */
  effects: Record<BlinkingPattern, string>;
}

export type BlinkingPattern = Exclude<LedPattern, 'off' | 'solid'>;

const HEX: Record<string, string> = { blue: '#0000FF', amber: '#FFB000', white: '#FFFFFF' };

export const FULL_ABILITY: LightAbility = { known: true, light: true, colour: true, brightness: true, effects: [] };

export const isBlinking = (pattern: LedPattern): pattern is BlinkingPattern => pattern !== 'off' && pattern !== 'solid';

/** How long the light stays on, then off, in timed mode (before the rate limit stretches it). */
export const HALF_PERIOD_MS: Record<BlinkingPattern, number> = { 'fast-blink': 250, 'slow-blink': 1000, pulse: 1500 };

export interface LightShow {
  /** The payload for `set` (whole: a later one replaces an earlier one still waiting for the rate limit). */
  on: Record<string, unknown>;
  /** The effect it carries, when it has one: sending `on` again shows it again. */
  effect: string | null;
}

export function lightShow(led: { color: string; pattern: LedPattern }, options: LightPlanOptions, ability: LightAbility): LightShow {
  const transition = options.transition > 0 ? { transition: options.transition } : {};
  if (led.pattern === 'off') return { on: { state: 'OFF', ...transition }, effect: null };
  const effectName = options.mode === 'effect' && isBlinking(led.pattern) ? options.effects[led.pattern] : null;
  // Before bridge/devices is read every light is taken to have the effect (ability.effects empty means unknown).
  const effect = effectName !== null && (ability === FULL_ABILITY || ability.effects.includes(effectName)) ? effectName : null;
  return {
    on: {
      state: 'ON',
      ...(ability.brightness ? { brightness: options.brightness } : {}),
      ...(ability.colour ? { color: { hex: HEX[led.color] ?? HEX.white } } : {}),
      ...transition,
      ...(effect ? { effect } : {}),
    },
    effect,
  };
}

export const LIGHT_OFF = { state: 'OFF' } as const;
