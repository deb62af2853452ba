// Presence from the PC without logind (it cannot run here): loginctl's own output text parsed, and the hold-off
// fed with readings at chosen times.
import { describe, expect, it } from 'vitest';
import { LogindSource, readingOf } from '../../src/desk-agent/logind.js';
import { PresenceFilter, PresenceWatcher, type PcReading } from '../../src/desk-agent/presence.js';

const rules = { idleMs: 10 * 60_000, holdOffMs: 20_000 };
const at = (s: number) => 1_764_500_000_000 + s * 1000;
const unlocked: PcReading = { locked: false, idle: false, idleSinceMs: null };
const locked: PcReading = { locked: true, idle: false, idleSinceMs: null };

describe('loginctl show-session output', () => {
  it('reads LockedHint, IdleHint and IdleSinceHint (µs since the epoch) in any order, ignoring other properties', () => {
    // As systemd 252 prints `loginctl show-session 2 -p LockedHint -p IdleHint -p IdleSinceHint`.
    expect(readingOf('IdleHint=no\nIdleSinceHint=1764496225123456\nLockedHint=no\n')).toEqual({ locked: false, idle: false, idleSinceMs: null });
    expect(readingOf('IdleHint=yes\nIdleSinceHint=1764496225123456\nIdleSinceHintMonotonic=98765432\nLockedHint=yes\n')).toEqual({
      locked: true,
      idle: true,
      idleSinceMs: 1764496225123,
    });
    expect(readingOf('LockedHint=no\nIdleHint=yes\nIdleSinceHint=0\n')).toEqual({ locked: false, idle: true, idleSinceMs: null });
  });

  it('names what is missing or malformed', () => {
    expect(() => readingOf('IdleHint=no\n')).toThrow('loginctl: LockedHint is missing, expected yes or no');
    expect(() => readingOf('LockedHint=maybe\nIdleHint=no\n')).toThrow('loginctl: LockedHint is "maybe", expected yes or no');
  });

  it('finds the user\'s display session when none is configured (a user service is in no session)', async () => {
    const saved = process.env.XDG_SESSION_ID;
    delete process.env.XDG_SESSION_ID;
    try {
      const calls: string[][] = [];
      const logind = (display: string) => async (args: string[]) => {
        calls.push(args);
        return args[0] === 'show-user' ? `Display=${display}\n` : 'IdleHint=no\nIdleSinceHint=0\nLockedHint=yes\n';
      };
      expect(await new LogindSource(undefined, logind(''), 1000).read().catch((e: Error) => e.message)).toBe('loginctl: user 1000 has no graphical session (Display is empty)');
      calls.length = 0;
      expect(await new LogindSource(undefined, logind('3'), 1000).read()).toMatchObject({ locked: true });
      expect(calls).toEqual([
        ['show-user', '1000', '-p', 'Display'],
        ['show-session', '3', '-p', 'LockedHint', '-p', 'IdleHint', '-p', 'IdleSinceHint'],
      ]);
    } finally {
      if (saved !== undefined) process.env.XDG_SESSION_ID = saved;
    }
  });

  it('the error loginctl gives where logind does not run (this container) is passed on', async () => {
    const source = new LogindSource('2');
    const error = await source.read().then(() => null, (e: Error) => e.message);
    // Either no loginctl at all, or systemd's own words.
    expect(error).toMatch(/loginctl|ENOENT/);
  });
});

describe('the hold-off', () => {
  it('a lock counts as away only once it held for holdOffMs; back at once', () => {
    const filter = new PresenceFilter(rules);
    expect(filter.feed(unlocked, at(0))).toBe('present');
    expect(filter.feed(locked, at(1))).toBeNull();
    expect(filter.feed(locked, at(20))).toBeNull();
    expect(filter.feed(locked, at(21))).toBe('away');
    expect(filter.feed(locked, at(30))).toBeNull();
    expect(filter.feed(unlocked, at(31))).toBe('present');
  });

  it('a quick lock and unlock, again and again, never takes the desk away', () => {
    const filter = new PresenceFilter(rules);
    const decided = [];
    for (let s = 0; s < 300; s += 2) decided.push(filter.feed(s % 20 < 10 ? locked : unlocked, at(s)));
    expect(decided.filter((d) => d !== null)).toEqual(['present']);
  });

  it('idle counts from IdleSinceHint: away once idle longer than idleMs and the hold-off, present on input', () => {
    const filter = new PresenceFilter(rules);
    const idleSince = at(0);
    expect(filter.feed({ locked: false, idle: true, idleSinceMs: idleSince }, at(60))).toBe('present');
    expect(filter.feed({ locked: false, idle: true, idleSinceMs: idleSince }, at(600))).toBeNull();
    expect(filter.feed({ locked: false, idle: true, idleSinceMs: idleSince }, at(619))).toBeNull();
    expect(filter.feed({ locked: false, idle: true, idleSinceMs: idleSince }, at(620))).toBe('away');
    expect(filter.feed(unlocked, at(621))).toBe('present');
    // idleMinutes 0: idle never counts, only a lock.
    const lockOnly = new PresenceFilter({ idleMs: 0, holdOffMs: 0 });
    expect(lockOnly.feed({ locked: false, idle: true, idleSinceMs: 0 }, at(10_000))).toBe('present');
    expect(lockOnly.feed(locked, at(10_001))).toBe('away');
  });

  it('the watcher reports changes and errors, one reading at a time', async () => {
    const readings: (PcReading | Error)[] = [unlocked, new Error('loginctl show-session: Failed to connect to bus: Host is down'), locked, locked];
    let now = at(0);
    const changes: string[] = [];
    const errors: string[] = [];
    const watcher = new PresenceWatcher({
      source: { read: async () => { const r = readings.shift()!; if (r instanceof Error) throw r; return r; } },
      rules: { idleMs: 0, holdOffMs: 5000 },
      pollMs: 60_000,
      now: () => now,
      onChange: (p) => changes.push(p),
      onError: (e) => errors.push(e.message),
    });
    await watcher.poll();
    await watcher.poll();
    await watcher.poll();
    now = at(6);
    await watcher.poll();
    expect(changes).toEqual(['present', 'away']);
    expect(errors).toEqual(['loginctl show-session: Failed to connect to bus: Host is down']);
  });
});
