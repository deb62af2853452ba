import type { CoreState, DeskState } from './state.js';
import type { BuzzerPattern, Command, Indication } from './types.js';

// What each alert looks like on a desk unit. Colors differ in hue and brightness and every alert has its own
// pattern, so nobody needs to tell red from green. Precedence when calls disagree about a desk:
// yours (assigned to one call) > nearby (one of the next nearest) > everyone (the widest level) > none.
const YOURS_LED = { color: 'blue', pattern: 'fast-blink' } as const;
const NEARBY_LED = { color: 'amber', pattern: 'slow-blink' } as const;
const EVERYONE_LED = { color: 'white', pattern: 'pulse' } as const;
const OFF_LED = { color: 'off', pattern: 'off' } as const;
const BUZZERS: readonly BuzzerPattern[] = ['off', 'chirp', 'ring'];
const BUZZER = Object.fromEntries(BUZZERS.map((pattern) => [pattern, { pattern }])) as Record<BuzzerPattern, { pattern: BuzzerPattern }>;

export const NO_INDICATION: Indication = { alert: 'none', line: null, led: OFF_LED, buzzer: BUZZER.off };
const NEARBY: Indication = { alert: 'nearby', line: null, led: NEARBY_LED, buzzer: BUZZER.off };
const EVERYONE: Indication = { alert: 'everyone', line: null, led: EVERYONE_LED, buzzer: BUZZER.off };

// An indication as one number, so a step can tell cheaply whether a desk's indication changed:
// 0 none, 1 everyone, 2 nearby, 3 + buzzer + 3 × line number for "yours".
const NONE_CODE = 0, EVERYONE_CODE = 1, NEARBY_CODE = 2, YOURS_CODE = 3;
export const NO_INDICATION_CODE = NONE_CODE;

function indicationCode(desk: DeskState, state: CoreState): number {
  if (!desk.present) return NONE_CODE;
  const call = desk.assignedTo;
  if (call) return YOURS_CODE + BUZZERS.indexOf(call.buzzer) + 3 * call.line.number;
  if (desk.nearbyClaims > 0) return NEARBY_CODE;
  if (desk.everyoneClaims > 0 || state.callsLightingEveryone > 0) return EVERYONE_CODE;
  return NONE_CODE;
}

function indicationFromCode(code: number, state: CoreState): Indication {
  if (code === NONE_CODE) return NO_INDICATION;
  if (code === EVERYONE_CODE) return EVERYONE;
  if (code === NEARBY_CODE) return NEARBY;
  const yours = code - YOURS_CODE;
  return { alert: 'yours', line: state.lines[Math.floor(yours / 3)]!.id, led: YOURS_LED, buzzer: BUZZER[BUZZERS[yours % 3]!] };
}

export function indicationOf(desk: DeskState, state: CoreState): Indication {
  return indicationFromCode(indicationCode(desk, state), state);
}

/** Commands for the desks whose indication changed; `candidates` are the desks the step may have changed. */
export function changedIndications(state: CoreState, candidates: Iterable<DeskState>, t: number): Command[] {
  const commands: Command[] = [];
  for (const desk of candidates) {
    const code = indicationCode(desk, state);
    if (code === desk.shownCode) continue;
    desk.shownCode = code;
    const { alert, line, led, buzzer } = indicationFromCode(code, state);
    commands.push({ t, type: 'indicate', desk: desk.id, alert, line, led, buzzer });
  }
  return commands;
}
