/**
 * Work that must not stand before a desk command (log entries, state publishes, the console line): it runs once
 * the desk commands of the turn are out of the process and handed over, in the order it was asked for.
 *
 * Two turns of the event loop at least — one is not enough with the embedded broker: aedes writes a QoS 1 message
 * to its subscribers from a setImmediate of its own, queued after ours (behind its retained-message store), so our
 * outbox write and state publishes would go first. And until every desk command still on its way is handed over
 * (`hold()`: the broker's PUBACK for an external broker; with the embedded broker, the PUBACKs of the desks
 * subscribed at QoS 1, see DeliveryAcks), at most `maxHoldMs`: on a machine with few cores, work done while the command is on its way
 * through the broker to the desk takes the CPU the broker and the desk's client need (profiles of the external
 * broker bench: the outbox write and log publish ran 0.2 ms after the command's writev, before mosquitto had
 * delivered it; the console line's pipe write, in the same turn, woke its reader then too).
 */
export class AfterCommands {
  private readonly pending: (() => void)[] = [];
  private turnsPassed = true;
  private holds = 0;
  /** Holds taken before the last time the cap ran out are forgotten: their late release counts for nothing. */
  private generation = 0;
  private cap: NodeJS.Timeout | null = null;

  constructor(private readonly maxHoldMs = 50) {}

  defer(work: () => void): void {
    if (this.pending.push(work) > 1) return;
    this.turnsPassed = false;
    setImmediate(() =>
      setImmediate(() => {
        this.turnsPassed = true;
        // The cap starts only now that something waits: a timer made in hold() itself cost 0.09 ms (the timer
        // list's insert) right before the command's write.
        if (this.holds > 0) this.cap ??= setTimeout(() => this.capReached(), this.maxHoldMs).unref();
        this.maybeFlush();
      }),
    );
  }

  /**
   * A desk command is on its way: deferred work waits until the returned function is called (once the command is
   * handed over), or `maxHoldMs` at most once it has waited its two turns.
   */
  hold(): () => void {
    const generation = this.generation;
    this.holds++;
    let released = false;
    return () => {
      if (released || generation !== this.generation) return;
      released = true;
      if (--this.holds > 0) return;
      this.generation++;
      if (this.cap) clearTimeout(this.cap);
      this.cap = null;
      this.maybeFlush();
    };
  }

  private capReached(): void {
    this.cap = null;
    this.generation++;
    this.holds = 0;
    this.maybeFlush();
  }

  /** Resolves once what was deferred so far has run. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.defer(resolve));
  }

  /** Runs what waits now, held or not (a feature is stopping). */
  flush(): void {
    for (const run of this.pending.splice(0)) run();
  }

  private maybeFlush(): void {
    if (this.turnsPassed && this.holds === 0) this.flush();
  }
}
