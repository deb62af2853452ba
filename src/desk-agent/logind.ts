// Presence readings from systemd-logind through `loginctl` (no D-Bus package needed). The desktop sets the hints:
// LockedHint when the screen locks, IdleHint when its own idle timer fires (GNOME, KDE; IdleSinceHint in µs).
import { execFile } from 'node:child_process';
import type { PcReading, PresenceSource } from './presence.js';

const LOGINCTL_TIMEOUT_MS = 5000;

/** `Name=value` lines as `loginctl show-session|show-user -p …` prints them. Unknown names are ignored. */
export function parseLoginctlProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) properties.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return properties;
}

/** A session's hints as a reading; an error naming what is missing or malformed. */
export function readingOf(text: string): PcReading {
  const p = parseLoginctlProperties(text);
  const flag = (name: string) => {
    const value = p.get(name);
    if (value === 'yes') return true;
    if (value === 'no') return false;
    throw new Error(`loginctl: ${name} is ${value === undefined ? 'missing' : JSON.stringify(value.slice(0, 20))}, expected yes or no`);
  };
  const locked = flag('LockedHint');
  const idle = flag('IdleHint');
  const since = Number(p.get('IdleSinceHint'));
  return { locked, idle, idleSinceMs: idle && Number.isFinite(since) && since > 0 ? Math.floor(since / 1000) : null };
}

export type RunLoginctl = (args: string[]) => Promise<string>;

const runLoginctl: RunLoginctl = (args) =>
  new Promise((resolve, reject) => {
    execFile('loginctl', args, { timeout: LOGINCTL_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`loginctl ${args[0]}: ${(stderr || error.message).trim().split('\n').at(-1)}`));
      else resolve(stdout);
    });
  });

/**
 * The session to watch: the configured one, else this process's ($XDG_SESSION_ID, when started from a desktop),
 * else the user's display session (a systemd --user service belongs to no session).
 */
export class LogindSource implements PresenceSource {
  private session: string | null;

  constructor(
    session: string | undefined,
    private readonly run: RunLoginctl = runLoginctl,
    private readonly uid: number = process.getuid?.() ?? 0,
  ) {
    const fromEnv = process.env.XDG_SESSION_ID;
    this.session = session ?? (fromEnv && /^[A-Za-z0-9_-]+$/.test(fromEnv) ? fromEnv : null);
  }

  async read(): Promise<PcReading> {
    const session = this.session ?? (await this.displaySession());
    return readingOf(await this.run(['show-session', session, '-p', 'LockedHint', '-p', 'IdleHint', '-p', 'IdleSinceHint']));
  }

  private async displaySession(): Promise<string> {
    const display = parseLoginctlProperties(await this.run(['show-user', String(this.uid), '-p', 'Display'])).get('Display');
    if (!display || !/^[A-Za-z0-9_-]+$/.test(display)) throw new Error(`loginctl: user ${this.uid} has no graphical session (Display is empty)`);
    return display;
  }
}
