import type { BaresipEvent, CallEventKind } from './baresip-event.js';

/** Calls one softphone may have at once; call ids are chosen by the sender, so the table is bounded. */
export const MAX_CALLS_PER_PHONE = 16;

export type CallAction = { do: 'ring'; line: string; call: string; ringing: boolean } | { do: 'hook'; line: string; state: 'off' | 'on' };

export type CallOutcome = { actions: CallAction[] } | { ignored: 'unmapped-account' | 'unknown-call' | 'repeat' } | { refused: 'too-many-calls' };

/**
 * The calls of one desk's softphone, by baresip call id. An incoming call rings its line until it is established
 * (answered here: off hook) or closed (cancelled, or answered elsewhere); a closed call that was established is
 * on hook. baresip sends no CALL_ESTABLISHED for a call the caller cancelled, so state is kept per id.
 */
export class SoftphoneCalls {
  private readonly calls = new Map<string, { line: string; established: boolean }>();

  constructor(private readonly lineFor: (aor: string) => string | null) {}

  apply(event: Extract<BaresipEvent, { kind: CallEventKind }>): CallOutcome {
    const call = this.calls.get(event.id);
    switch (event.kind) {
      case 'incoming': {
        if (call) return { ignored: 'repeat' };
        const line = this.lineFor(event.aor);
        if (!line) return { ignored: 'unmapped-account' };
        if (this.calls.size >= MAX_CALLS_PER_PHONE) return { refused: 'too-many-calls' };
        this.calls.set(event.id, { line, established: false });
        return { actions: [{ do: 'ring', line, call: event.id, ringing: true }] };
      }
      case 'established': {
        if (call?.established) return { ignored: 'repeat' };
        if (call) {
          call.established = true;
          // Off hook first, as on a real line: the core sees the desk answer a call that is still ringing.
          return { actions: [{ do: 'hook', line: call.line, state: 'off' }, { do: 'ring', line: call.line, call: event.id, ringing: false }] };
        }
        // An outgoing call, or an incoming one whose CALL_INCOMING was lost.
        const line = this.lineFor(event.aor);
        if (!line) return { ignored: 'unmapped-account' };
        if (this.calls.size >= MAX_CALLS_PER_PHONE) return { refused: 'too-many-calls' };
        this.calls.set(event.id, { line, established: true });
        return { actions: [{ do: 'hook', line, state: 'off' }] };
      }
      case 'closed': {
        if (!call) return { ignored: 'unknown-call' };
        this.calls.delete(event.id);
        return { actions: [call.established ? { do: 'hook', line: call.line, state: 'on' } : { do: 'ring', line: call.line, call: event.id, ringing: false }] };
      }
    }
  }

  /** The ringing call on `line`, if any (to answer it). */
  ringingOn(line: string): string | null {
    for (const [id, call] of this.calls) if (call.line === line && !call.established) return id;
    return null;
  }

  /**
   * The softphone went silent: its calls end here. Ringing stops (the caller may still be ringing other desks);
   * a call in progress is put on hook, so the desk does not stay busy for a call nobody can report the end of.
   */
  clear(): CallAction[] {
    const actions = [...this.calls].map(([id, call]): CallAction =>
      call.established ? { do: 'hook', line: call.line, state: 'on' } : { do: 'ring', line: call.line, call: id, ringing: false },
    );
    this.calls.clear();
    return actions;
  }
}
