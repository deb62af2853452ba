import type { Decision } from './core/index.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One decision as a line a person reads: what happened on which line, and who should answer. */
export function describeDecision(decision: Decision): string {
  switch (decision.type) {
    case 'ring':
      return `ring ${decision.ring}`;
    case 'assign':
      return decision.reason === 'first'
        ? `→ ${decision.desk} answers (nearest free)`
        : `→ ${decision.desk} answers instead (${decision.reason === 'freed' ? 'now free' : 'previous desk left or took another call'})`;
    case 'unassigned':
      return '→ nobody free near this phone';
    case 'escalate':
      return `↑ level ${decision.level}: ${decision.desks.join(', ') || '(no desk present)'}`;
    case 'answered':
      return `answered${decision.desk ? ` at ${decision.desk}` : ''} after ${plural(decision.rings, 'ring')}, ${seconds(decision.waitMs)} — ${decision.onTime ? 'on time' : 'LATE'}`;
    case 'missed':
      return `MISSED after ${plural(decision.rings, 'ring')} (${seconds(decision.waitMs)})`;
    case 'ended':
      return `hung up after ${seconds(decision.durationMs)}`;
  }
}
