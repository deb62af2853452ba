import { FaultThrottle } from '../common/fault-throttle.js';
import type { DeskAction } from './desk-link.js';
import { alertLineOf, deskSetSchema, deskStateSchema, emptyView, noBridgeReason, parseJsonPayload, shownOf, type DeskView, type Shown } from './desk-view.js';
import type { Presence } from './presence.js';

/** Something at the desk that shows the desk's indication: a busylight, the headset's LEDs. */
export interface DeskIndicator {
  show(shown: Shown): void;
  stop(): void;
}

/** The MQTT side as the agent needs it (DeskLink in production). */
export interface AgentLink {
  readonly connected: boolean;
  publish(action: DeskAction): boolean;
  on(event: 'connected', listener: () => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (kind: 'set' | 'state' | 'bridge', payload: Buffer) => void): unknown;
  on(event: 'error', listener: (message: string) => void): unknown;
}

/** A presence this agent asked for and the bridge has not shown within this long was refused or overridden. */
const REQUEST_PENDING_MS = 2000;

export interface DeskAgentOptions {
  desk: string;
  link: AgentLink;
  indicators: DeskIndicator[];
  log: (line: string) => void;
  now: () => number;
}

/**
 * One desk's agent: shows what the bridge says for this desk on every indicator (or "no bridge" when there is
 * none to say it), and turns what happens at the desk — the headset's hook and hold, the PC's presence, the
 * light's button — into the desk's actions.
 */
export class DeskAgent {
  readonly counters = { messagesDropped: 0, actionsSent: 0, actionsLost: 0, shown: 0 };
  private view: DeskView = emptyView();
  private lastShown = '';
  private wasNoBridge: string | null = null;
  /** Presence as this agent last knew it: said by itself, or changed by someone else (the CLI, a schedule). */
  private presence: Presence = 'present';
  private presenceKnown = false;
  /** The bridge's presence for this desk in its previous desk state since connecting (null: none yet). */
  private bridgePresence: Presence | null = null;
  /** What this agent last asked for, until the bridge's desk state shows it (or REQUEST_PENDING_MS passed). */
  private requested: { presence: Presence; at: number } | null = null;
  private readonly faults = new FaultThrottle(60_000);

  constructor(private readonly options: DeskAgentOptions) {
    const { link } = options;
    link.on('connected', () => this.onConnected());
    link.on('disconnected', (reason) => {
      this.view = { ...emptyView(), connected: false };
      this.bridgePresence = null;
      this.requested = null;
      this.update(reason);
    });
    link.on('message', (kind, payload) => this.onMessage(kind, payload));
    link.on('error', (message) => this.reportFault('broker', message));
  }

  /** What the indicators show now. */
  get shown(): Shown {
    return shownOf(this.view);
  }

  start(): void {
    this.update('not connected yet');
  }

  stop(): void {
    for (const indicator of this.options.indicators) indicator.stop();
  }

  /** The PC's presence changed (after its hold-off), or someone pressed the light's button. */
  setPresence(presence: Presence, why: string): void {
    this.presenceKnown = true;
    if (presence === this.presence && this.bridgePresence === presence) return;
    this.presence = presence;
    this.options.log(`${presence} (${why})`);
    // Not connected: said on connecting.
    if (!this.options.link.connected) return;
    this.send({ action: presence });
    this.requested = { presence, at: this.options.now() };
  }

  /**
   * The light's button: the other of what the bridge says — or of what this agent just asked for, while the
   * bridge's desk state does not show it yet (a second press right after the first goes back, not away twice).
   */
  togglePresence(why: string): void {
    const pending = this.requested && this.options.now() - this.requested.at < REQUEST_PENDING_MS ? this.requested.presence : null;
    this.setPresence((pending ?? this.bridgePresence ?? this.presence) === 'present' ? 'away' : 'present', why);
  }

  /** Picked up at this desk: answers the line the desk is alerted for (the bridge picks when there is none). */
  hook(state: 'off' | 'on'): void {
    const line = state === 'off' ? alertLineOf(this.view) : null;
    this.send({ action: 'hook', state, ...(line !== null ? { line } : {}) });
  }

  hold(state: 'on' | 'off'): void {
    this.send({ action: state === 'on' ? 'hold' : 'resume' });
  }

  private send(action: DeskAction): void {
    if (this.options.link.publish(action)) this.counters.actionsSent++;
    else {
      this.counters.actionsLost++;
      this.options.log(`${action.action}: not sent, the broker is not reachable`);
    }
  }

  private onConnected(): void {
    this.view = { ...emptyView(), connected: true };
    this.bridgePresence = null;
    // After an agent loss the bridge may have marked the desk away; say what this desk is.
    if (this.presenceKnown) this.send({ action: this.presence });
    this.update('connected');
  }

  private onMessage(kind: 'set' | 'state' | 'bridge', payload: Buffer): void {
    if (kind === 'bridge') {
      const state = payload.toString('utf8');
      if (state !== 'online' && state !== 'offline') return this.drop(kind, `bridge/state: expected online or offline`);
      this.view = { ...this.view, bridge: state };
      return this.update(`bridge ${state}`);
    }
    if (payload.length === 0) {
      this.view = { ...this.view, [kind]: null };
      return this.update('cleared');
    }
    if (kind === 'set') {
      const set = deskSetSchema.safeParse(parseJsonPayload(payload));
      if (!set.success) return this.drop(kind, `desk/${this.options.desk}/set: not a desk command`);
      this.view = { ...this.view, set: set.data };
      return this.update('command');
    }
    const state = deskStateSchema.safeParse(parseJsonPayload(payload));
    if (!state.success) return this.drop(kind, `desk/${this.options.desk}: not a desk state`);
    this.view = { ...this.view, state: state.data };
    const previous = this.bridgePresence;
    this.bridgePresence = state.data.presence;
    if (this.requested?.presence === state.data.presence) this.requested = null;
    // A change the bridge made without us (thirdring desk away, the floor page, a schedule) is what we know now.
    if (previous !== null && previous !== state.data.presence) this.presence = state.data.presence;
    this.update('state');
  }

  private update(why: string): void {
    const shown = shownOf(this.view);
    const key = JSON.stringify(shown);
    if (key !== this.lastShown) {
      this.lastShown = key;
      this.counters.shown++;
      for (const indicator of this.options.indicators) indicator.show(shown);
    }
    const noBridge = noBridgeReason(this.view);
    if (noBridge !== this.wasNoBridge) {
      if (noBridge !== null) this.options.log(`no bridge (${noBridge}): showing white slow blink until it is back`);
      else this.options.log(`bridge there (${why})`);
      this.wasNoBridge = noBridge;
    }
  }

  private drop(kind: string, detail: string): void {
    this.counters.messagesDropped++;
    this.reportFault(`bad-message:${kind}`, detail);
  }

  /** Logged once a minute per reason, with the running count (`reason` is one of a few words, never a sender's). */
  reportFault(reason: string, detail: string): void {
    const count = this.faults.count(reason, this.options.now());
    if (count !== null) this.options.log(`${reason}: ${detail} (${count} so far)`);
  }
}
