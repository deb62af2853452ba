import { describe, expect, it } from 'vitest';
import type { DeviceInput } from '../../src/common/device-events.js';
import { createCoreState, step, type CoreEvent } from '../../src/core/index.js';
import { coreConfig } from '../helpers.js';

// The core says itself whether it took an event, and why not: the shell never compares state before and after.

const config = coreConfig(`
site: t
timezone: UTC
desks:
  - { id: d1, at: [0, 0] }
  - { id: d2, at: [5, 0] }
  - { id: d3, at: [9, 0] }
lines: [{ id: L, phone: { at: [0, 1] }, cadence: nl }, { id: M, phone: { at: [9, 1] }, cadence: nl }]
`);

/** Feeds the events in order (t = 1000, 2000, ...) and gives each one's `ignored`. */
function verdicts(events: DeviceInput[]) {
  const state = createCoreState(config);
  return events.map((event, i) => step(state, { ...event, t: (i + 1) * 1000 } as CoreEvent).ignored);
}

describe('what the core says about each event it is given', () => {
  it('names unknown lines and desks, and events that do not fit the call', () => {
    expect(verdicts([
      { type: 'ring', line: 'nope', state: 'on' },
      { type: 'presence', desk: 'nope', state: 'away' },
      { type: 'ring', line: 'L', state: 'off' },
      { type: 'hook', desk: 'd1', state: 'on' },
      { type: 'hold', desk: 'd1', state: 'on' },
      { type: 'hold', line: 'L', state: 'on' },
      { type: 'ack', desk: 'd1' },
    ])).toEqual(['unknown-line', 'unknown-desk', 'not-ringing', 'already-on-hook', 'no-call', 'no-call', 'nothing-to-ack']);
  });

  it('takes a call, its hold and its hang-up; a second hold is unchanged, a second off-hook already so', () => {
    expect(verdicts([
      { type: 'ring', line: 'L', state: 'on' },
      { type: 'hook', desk: 'd1', state: 'off' },
      { type: 'hook', desk: 'd1', state: 'off' },
      { type: 'hold', desk: 'd1', state: 'on' },
      { type: 'hold', line: 'L', state: 'on' },
      { type: 'hold', desk: 'd1', state: 'off' },
      { type: 'hook', desk: 'd1', state: 'on' },
      { type: 'hook', line: 'M', state: 'on' },
    ])).toEqual([null, null, 'already-off-hook', null, 'unchanged', null, null, 'no-call']);
  });

  it('refuses a takeover of its own calls, a chain of cover, and giving back what it does not cover', () => {
    expect(verdicts([
      { type: 'takeover', desk: 'd1', from: 'd1', state: 'on' },
      { type: 'takeover', desk: 'd2', from: 'd1', state: 'on' },
      { type: 'takeover', desk: 'd2', from: 'd1', state: 'on' },
      { type: 'takeover', desk: 'd1', from: 'd3', state: 'on' },
      { type: 'takeover', desk: 'd3', from: 'd1', state: 'off' },
      { type: 'takeover', desk: 'd2', from: 'd1', state: 'off' },
    ])).toEqual(['own-desk', null, 'unchanged', 'cover-is-covered', 'not-covering', null]);
  });

  it('counts every ignored event in the state as well', () => {
    const state = createCoreState(config);
    step(state, { t: 1, type: 'ring', line: 'L', state: 'off' });
    step(state, { t: 2, type: 'ack', desk: 'd2' });
    expect(state.ignoredEvents).toBe(2);
  });
});
