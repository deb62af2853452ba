import { buildDeskIndex, kNearest, type DeskIndex } from '../src/core/desk-index.js';
import type { CoreConfig, CoreEvent, Point } from '../src/core/index.js';
import { createWakeQueue, popDue, pushWake } from '../src/core/wake-queue.js';
import { exponential, seededRandom } from './random.js';

/** How busy the simulated office is; times in ms. */
export interface OfficeDayOptions {
  seed: number;
  durationMs: number;
  /** Mean quiet time on a line between one call ending and the next starting. */
  meanCallGapMs: number;
  /** Share of calls answered (the rest ring out); of the answered, the share picked up at a nearby desk (else at the line's phone). */
  answeredShare: number;
  deskAnswerShare: number;
  /** Mean time until a caller is answered, and mean talk time. */
  meanAnswerAfterMs: number;
  meanTalkMs: number;
  /** Mean time a person stays at / away from the desk. */
  meanPresentMs: number;
  meanAwayMs: number;
  /** Cadence segments vary by up to this fraction (real exchanges drift). */
  jitter: number;
  /** Share of missed calls returned later by an outgoing call on the line (the line's next call, instead of an incoming one). */
  callbackShare: number;
  /** Share of calls answered at a desk that are put on hold once, and the mean time on hold. */
  holdShare: number;
  meanHoldMs: number;
}

export const BUSY_DAY: OfficeDayOptions = {
  seed: 1,
  durationMs: 8 * 3600_000,
  meanCallGapMs: 120_000,
  answeredShare: 0.85,
  deskAnswerShare: 0.6,
  meanAnswerAfterMs: 7_000,
  meanTalkMs: 90_000,
  meanPresentMs: 90 * 60_000,
  meanAwayMs: 15 * 60_000,
  jitter: 0.1,
  callbackShare: 0.8,
  holdShare: 0.1,
  meanHoldMs: 60_000,
};

type Pending = { kind: 'call'; line: number } | { kind: 'presence'; desk: number } | { kind: 'event'; event: CoreEvent };

/**
 * A day in a simulated office, as core events in time order, generated lazily: calls on every line (bursts in
 * the line's cadence, answered at a nearby desk or at the phone, sometimes put on hold, or ringing out), missed
 * calls returned by an outgoing call, and people coming and going. Memory stays proportional to the calls in
 * progress, not to the day.
 */
export function* officeDay(config: CoreConfig, options: OfficeDayOptions = BUSY_DAY): Generator<CoreEvent> {
  const random = seededRandom(options.seed);
  const queue = createWakeQueue<Pending>();
  const deskIndex = buildDeskIndex(config.desks.map((d) => d.at));
  const nearbyDesks = config.lines.map((line) => nearestDesks(config, deskIndex, line.phones, 5));
  const present = config.desks.map(() => true);
  const callbacksOwed = config.lines.map(() => 0);

  config.lines.forEach((_, line) => pushWake(queue, exponential(random, options.meanCallGapMs), { kind: 'call', line }));
  config.desks.forEach((_, desk) => pushWake(queue, exponential(random, options.meanPresentMs), { kind: 'presence', desk }));

  const always = () => true;
  for (let due = popDue(queue, Infinity, always); due; due = popDue(queue, Infinity, always)) {
    const { time, key } = due;
    if (time > options.durationMs && key.kind !== 'event') continue;
    if (key.kind === 'event') {
      yield key.event;
    } else if (key.kind === 'presence') {
      present[key.desk] = !present[key.desk];
      const desk = config.desks[key.desk]!.id;
      pushWake(queue, time, { kind: 'event', event: { t: Math.round(time), type: 'presence', desk, state: present[key.desk] ? 'present' : 'away' } });
      pushWake(queue, time + exponential(random, present[key.desk] ? options.meanPresentMs : options.meanAwayMs), { kind: 'presence', desk: key.desk });
    } else {
      const push = (event: CoreEvent) => pushWake(queue, event.t, { kind: 'event', event });
      const nearby = nearbyDesks[key.line]!;
      let end: number;
      if (callbacksOwed[key.line]! > 0 && nearby.length > 0 && random() < options.callbackShare) {
        callbacksOwed[key.line]!--;
        end = scheduleCallback(config, key.line, time, nearby[Math.floor(random() * nearby.length)]!, random, options, push);
      } else {
        const call = scheduleCall(config, key.line, time, nearby, random, options, push);
        if (call.missed) callbacksOwed[key.line]!++;
        end = call.end;
      }
      pushWake(queue, end + exponential(random, options.meanCallGapMs), { kind: 'call', line: key.line });
    }
  }
}

/** Someone at a nearby desk dials out on the line to return a missed call; returns when the line is free again. */
function scheduleCallback(
  config: CoreConfig,
  lineNumber: number,
  start: number,
  desk: string,
  random: () => number,
  options: OfficeDayOptions,
  push: (event: CoreEvent) => void,
): number {
  const line = config.lines[lineNumber]!.id;
  const end = Math.round(start + 5000 + exponential(random, options.meanTalkMs));
  push({ t: Math.round(start), type: 'hook', desk, line, state: 'off' });
  push({ t: end, type: 'hook', desk, line, state: 'on' });
  return end;
}

/** Pushes one call's events; returns when the line is free again, and whether the caller rang out. */
function scheduleCall(
  config: CoreConfig,
  lineNumber: number,
  start: number,
  nearby: string[],
  random: () => number,
  options: OfficeDayOptions,
  push: (event: CoreEvent) => void,
): { end: number; missed: boolean } {
  const line = config.lines[lineNumber]!;
  const pattern = line.cadence === 'auto' ? [1000, 4000] : line.cadence;
  const answered = random() < options.answeredShare;
  const answerAt = answered ? start + 1500 + exponential(random, options.meanAnswerAfterMs) : Infinity;
  const ringsIfUnanswered = 3 + Math.floor(random() * 4);
  let t = start;
  for (let ring = 0; ring < ringsIfUnanswered && t < answerAt; ring++) {
    for (let i = 0; i < pattern.length && t < answerAt; i += 2) {
      push({ t: Math.round(t), type: 'ring', line: line.id, state: 'on' });
      t = Math.min(t + pattern[i]! * jittered(random, options.jitter), answerAt);
      push({ t: Math.round(t), type: 'ring', line: line.id, state: 'off' });
      t += pattern[i + 1]! * jittered(random, options.jitter);
    }
  }
  if (!answered || answerAt >= t) return { end: t, missed: true };
  const hangUpAt = Math.round(answerAt + exponential(random, options.meanTalkMs));
  if (random() < options.deskAnswerShare && nearby.length > 0) {
    const desk = nearby[Math.floor(random() * nearby.length)]!;
    push({ t: Math.round(answerAt), type: 'hook', desk, line: line.id, state: 'off' });
    if (random() < options.holdShare) {
      // On hold for a while in the middle of the call (sometimes past the check-back reminder).
      const holdAt = Math.round(answerAt + (hangUpAt - answerAt) / 3);
      push({ t: holdAt, type: 'hold', desk, line: line.id, state: 'on' });
      push({ t: Math.min(hangUpAt - 1, Math.round(holdAt + exponential(random, options.meanHoldMs))), type: 'hold', desk, line: line.id, state: 'off' });
    }
    push({ t: hangUpAt, type: 'hook', desk, line: line.id, state: 'on' });
  } else {
    push({ t: Math.round(answerAt), type: 'hook', line: line.id, state: 'off' });
    push({ t: hangUpAt, type: 'hook', line: line.id, state: 'on' });
  }
  return { end: hangUpAt, missed: false };
}

function jittered(random: () => number, jitter: number): number {
  return 1 + (random() * 2 - 1) * jitter;
}

function nearestDesks(config: CoreConfig, index: DeskIndex, phones: readonly Point[], count: number): string[] {
  return kNearest(index, phones, () => true, count).map(({ desk }) => config.desks[desk]!.id);
}
