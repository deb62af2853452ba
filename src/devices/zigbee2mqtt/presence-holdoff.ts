/**
 * One desk's presence sensor, read with a hold-off: occupied is "present" at once, but "away" only once the sensor
 * has said unoccupied for `holdOffMs` without a word of occupancy since — a person sitting still is not seen by a
 * PIR sensor for minutes. A sensor that is offline or silent past `staleMs` is "unknown": the desk keeps the
 * presence it has (a dead battery must not send a person away), and a pending "away" is dropped.
 */
export class PresenceHoldOff {
  private verdict: 'present' | 'away' | null = null;
  private awayTimer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private unknown = false;

  constructor(
    private readonly options: { holdOffMs: number; staleMs: number | null },
    private readonly say: (state: 'present' | 'away') => void,
    private readonly becameUnknown: (why: 'offline' | 'silent') => void,
  ) {}

  reading(occupied: boolean): void {
    this.unknown = false;
    this.watchSilence();
    if (occupied) {
      this.clearAway();
      return this.decide('present');
    }
    if (this.verdict === 'away' || this.awayTimer) return;
    this.awayTimer = setTimeout(() => {
      this.awayTimer = null;
      this.decide('away');
    }, this.options.holdOffMs);
  }

  offline(): void {
    this.toUnknown('offline');
  }

  stop(): void {
    this.clearAway();
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private decide(state: 'present' | 'away'): void {
    if (this.verdict === state) return;
    this.verdict = state;
    this.say(state);
  }

  private toUnknown(why: 'offline' | 'silent'): void {
    this.clearAway();
    if (this.unknown) return;
    this.unknown = true;
    // Unknown is not a verdict: the next reading decides again, even if it says what was last said.
    this.verdict = null;
    this.becameUnknown(why);
  }

  private watchSilence(): void {
    if (this.options.staleMs === null) return;
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => this.toUnknown('silent'), this.options.staleMs);
  }

  private clearAway(): void {
    if (this.awayTimer) clearTimeout(this.awayTimer);
    this.awayTimer = null;
  }
}
