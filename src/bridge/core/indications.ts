import type { CoreState, DeskState } from './state.js';
import type { Command, Indication } from './types.js';

// What each alert looks like on a desk unit. Colors differ in hue and brightness and every alert has its own
// pattern, so nobody needs to tell red from green. Precedence when calls disagree about a desk:
// yours (assigned to one call) > nearby (one of the next nearest) > everyone (the widest level) > none.
const YOURS_LED = { color: 'blue', pattern: 'fast-blink' } as const;
const NEARBY_LED = { color: 'amber', pattern: 'slow-blink' } as const;
const EVERYONE_LED = { color: 'white', pattern: 'pulse' } as const;
const OFF_LED = { color: 'off', pattern: 'off' } as const;

export const NO_INDICATION: Indication = { alert: 'none', line: null, led: OFF_LED, buzzer: { pattern: 'off' } };

export function indicationOf(desk: DeskState, state: CoreState): Indication {
  if (!desk.present) return NO_INDICATION;
  const call = desk.assignedTo;
  if (call) return { alert: 'yours', line: call.line.id, led: YOURS_LED, buzzer: { pattern: call.buzzer } };
  if (desk.nearbyClaims > 0) return { alert: 'nearby', line: null, led: NEARBY_LED, buzzer: { pattern: 'off' } };
  if (desk.everyoneClaims > 0 || state.callsLightingEveryone > 0) {
    return { alert: 'everyone', line: null, led: EVERYONE_LED, buzzer: { pattern: 'off' } };
  }
  return NO_INDICATION;
}

export function indicationKey(indication: Indication): string {
  const { alert, line, led, buzzer } = indication;
  return `${alert}|${line ?? ''}|${led.color}|${led.pattern}|${buzzer.pattern}`;
}

export const NO_INDICATION_KEY = indicationKey(NO_INDICATION);

/** Commands for the desks whose indication changed; `candidates` are the desks the step may have changed. */
export function changedIndications(state: CoreState, candidates: Iterable<DeskState>, t: number): Command[] {
  const commands: Command[] = [];
  for (const desk of candidates) {
    const indication = indicationOf(desk, state);
    const key = indicationKey(indication);
    if (key === desk.shownKey) continue;
    desk.shownKey = key;
    commands.push({ t, type: 'indicate', desk: desk.id, ...indication });
  }
  return commands;
}
