import type { IgnoredBecause } from '../../core/index.js';

/** The desks and line a refused request named (known to the office: requests are checked for names first). */
export interface Named {
  desk?: string;
  line?: string;
  from?: string;
  /** Who covers `from` now, for a refused takeover. */
  coveredBy?: string | null;
}

/** Why the core did not do what a request asked, in words for the response's `error`. */
export function refusal(ignored: IgnoredBecause, { desk, line, from, coveredBy }: Named): string {
  switch (ignored) {
    case 'own-desk':
      return 'a desk cannot take over its own calls';
    case 'not-covering':
      return `${from} is ${coveredBy ? `covered by ${coveredBy}` : 'not covered'}`;
    case 'cover-is-covered':
      return `${desk} is covered itself: a covered desk covers nobody`;
    case 'no-call':
      return line !== undefined ? `line "${line}" has no call` : `desk "${desk}" is not on a call`;
    case 'nothing-to-ack':
      return `desk "${desk}" has nothing to acknowledge`;
    default:
      return `ignored: ${ignored}`;
  }
}
