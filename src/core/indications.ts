import type { CoreState, DeskState } from './state.js';
import { heldLineAt } from './hold.js';
import { CALLBACK_CODE, EVERYONE_CODE, HOLD_K, NEARBY_CODE, NONE_CODE, PER_LINE, PER_LINE_BASE } from './indication-code.js';
import type { BuzzerPattern, Command, Indication } from './types.js';

// What each alert looks like on a desk unit. Every ringing alert has its own pattern, so nobody needs to tell
// colors apart; the two reminders are steady (solid) and only ever shown when nothing rings for the desk:
// hold = blue, your own caller waiting (with a chirp at each check-back); callback = amber, a missed call
// overdue for its callback. Precedence when several claim a desk:
// yours (assigned to one call) > hold > nearby (one of the next nearest) > everyone (the widest level) > callback > none.
// A desk that is away or covered by another desk shows nothing.
const YOURS_LED = { color: 'blue', pattern: 'fast-blink' } as const;
const HOLD_LED = { color: 'blue', pattern: 'solid' } as const;
const NEARBY_LED = { color: 'amber', pattern: 'slow-blink' } as const;
const EVERYONE_LED = { color: 'white', pattern: 'pulse' } as const;
const CALLBACK_LED = { color: 'amber', pattern: 'solid' } as const;
const OFF_LED = { color: 'off', pattern: 'off' } as const;
const BUZZERS: readonly BuzzerPattern[] = ['off', 'chirp', 'ring'];
const BUZZER = Object.fromEntries(BUZZERS.map((pattern) => [pattern, { pattern }])) as Record<BuzzerPattern, { pattern: BuzzerPattern }>;

export const NO_INDICATION: Indication = { alert: 'none', line: null, led: OFF_LED, buzzer: BUZZER.off };
const CALLBACK: Indication = { alert: 'callback', line: null, led: CALLBACK_LED, buzzer: BUZZER.off };
const NEARBY: Indication = { alert: 'nearby', line: null, led: NEARBY_LED, buzzer: BUZZER.off };
const EVERYONE: Indication = { alert: 'everyone', line: null, led: EVERYONE_LED, buzzer: BUZZER.off };


function indicationCode(desk: DeskState, state: CoreState): number {
  if (!desk.present || desk.coveredBy) return NONE_CODE;
  const call = desk.assignedTo;
  if (call) return PER_LINE_BASE + PER_LINE * call.line.number + BUZZERS.indexOf(call.buzzer);
  const held = heldLineAt(desk);
  if (held && held.holdReminders > 0) return PER_LINE_BASE + PER_LINE * held.number + HOLD_K + (held.holdChirpUntil === null ? 0 : 1);
  if (desk.nearbyClaims > 0) return NEARBY_CODE;
  if (desk.everyoneClaims > 0 || state.callsLightingEveryone > 0) return EVERYONE_CODE;
  if (desk.overdueCallbacks > 0) return CALLBACK_CODE;
  return NONE_CODE;
}

function indicationFromCode(code: number, state: CoreState): Indication {
  if (code === NONE_CODE) return NO_INDICATION;
  if (code === CALLBACK_CODE) return CALLBACK;
  if (code === EVERYONE_CODE) return EVERYONE;
  if (code === NEARBY_CODE) return NEARBY;
  const line = state.lines[Math.floor((code - PER_LINE_BASE) / PER_LINE)]!.id;
  const k = (code - PER_LINE_BASE) % PER_LINE;
  if (k >= HOLD_K) return { alert: 'hold', line, led: HOLD_LED, buzzer: k === HOLD_K ? BUZZER.off : BUZZER.chirp };
  return { alert: 'yours', line, led: YOURS_LED, buzzer: BUZZER[BUZZERS[k]!] };
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
