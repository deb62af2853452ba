/**
 * Work that must not stand before a desk command (log entries, state publishes): run two turns of the event loop
 * later, in the order it was asked for. One turn is not enough with the embedded broker — aedes writes a QoS 1
 * message to its subscribers from a setImmediate of its own, queued after ours (behind its retained-message store),
 * so our outbox write and state publishes would go first.
 */
export class AfterCommands {
  private readonly pending: (() => void)[] = [];

  defer(work: () => void): void {
    if (this.pending.push(work) > 1) return;
    setImmediate(() => setImmediate(() => this.flush()));
  }

  /** Resolves once what was deferred so far has run. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.defer(resolve));
  }

  /** Runs what waits now (the feature is stopping). */
  flush(): void {
    for (const run of this.pending.splice(0)) run();
  }
}
