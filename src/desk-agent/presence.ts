// Presence from the PC: away when the session is locked or idle too long, back on input — with a hold-off so a
// quick lock/unlock or a nudged mouse does not flap the desk in and out of the nearest-available rule.

/** One look at the session (logind on Linux). `idleSinceMs`: wall-clock ms when input stopped, when idle. */
export interface PcReading {
  locked: boolean;
  idle: boolean;
  idleSinceMs: number | null;
}

/** Where readings come from: a seam, so the logic is tested without logind. */
export interface PresenceSource {
  read(): Promise<PcReading>;
}

export type Presence = 'present' | 'away';

export interface PresenceRules {
  /** Idle this long counts as away; 0: only a lock does. */
  idleMs: number;
  /** Away must hold this long before it counts. Coming back counts at once: the person is there. */
  holdOffMs: number;
}

/** What a reading means on its own, before any hold-off. */
export function presenceOf(reading: PcReading, rules: PresenceRules, now: number): Presence {
  if (reading.locked) return 'away';
  if (rules.idleMs > 0 && reading.idle && reading.idleSinceMs !== null && now - reading.idleSinceMs >= rules.idleMs) return 'away';
  return 'present';
}

/**
 * Readings in, decided presence out. Away is decided only once every reading for holdOffMs has said away; present
 * at once. So the desk goes away at most once per hold-off, and a lock of a few seconds never takes it out.
 */
export class PresenceFilter {
  private decided: Presence | null = null;
  private awaySince: number | null = null;

  constructor(private readonly rules: PresenceRules) {}

  get current(): Presence | null {
    return this.decided;
  }

  /** The decided presence when this reading changes it, else null. */
  feed(reading: PcReading, now: number): Presence | null {
    const raw = presenceOf(reading, this.rules, now);
    if (raw === 'present') {
      this.awaySince = null;
      return this.decide('present');
    }
    this.awaySince ??= now;
    return now - this.awaySince >= this.rules.holdOffMs ? this.decide('away') : null;
  }

  private decide(presence: Presence): Presence | null {
    if (this.decided === presence) return null;
    this.decided = presence;
    return presence;
  }
}

export interface PresenceWatcherOptions {
  source: PresenceSource;
  rules: PresenceRules;
  pollMs: number;
  now: () => number;
  onChange: (presence: Presence) => void;
  /** A failed reading (logind missing, no session): reported by the caller, rate-limited. */
  onError: (error: Error) => void;
}

/** Asks the source every pollMs; one reading at a time (a slow loginctl is not piled up). */
export class PresenceWatcher {
  private readonly filter: PresenceFilter;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private stopped = false;

  constructor(private readonly options: PresenceWatcherOptions) {
    this.filter = new PresenceFilter(options.rules);
  }

  get current(): Presence | null {
    return this.filter.current;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const reading = await this.options.source.read();
      if (this.stopped) return;
      const changed = this.filter.feed(reading, this.options.now());
      if (changed) this.options.onChange(changed);
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.reading = false;
    }
  }
}
