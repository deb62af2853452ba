import type { DeviceInput } from '../../common/device-events.js';
import type { AmiMessage } from './ami-parser.js';
import { extensionOf } from './channel-name.js';

/** Which calls are a shared line's, and which extension is whose desk. */
export interface AmiCallMap {
  /** The number the caller dialled (ring group, queue, DID: the calling channel's `Exten` at DialBegin) → line. */
  dialled: ReadonlyMap<string, string>;
  /** A dialled destination's extension → line, for calls not matched by `dialled`: the ring group's members. */
  members: ReadonlyMap<string, string>;
  /** Extension → desk. */
  desks: ReadonlyMap<string, string>;
}

/**
 * Calls followed at once (past it the oldest is ended, and counted), and destinations per call (a ring group of 64
 * phones; past it, counted and ignored).
 */
export const MAX_CALLS = 512;
export const MAX_DESTINATIONS = 64;

interface Destination {
  extension: string | null;
  ringing: boolean;
}

interface Call {
  key: string;
  line: string;
  /** Uniqueids of the channels that dialled: their hangup ends the call. */
  callers: Set<string>;
  destinations: Map<string, Destination>;
  answeredBy: { uniqueid: string; desk: string | null } | null;
}

export interface AmiCallsEvents {
  /** A call on `line` rings (a destination is being dialled) or stopped ringing. */
  ringing: (line: string, call: string, ringing: boolean) => void;
  /** Answered at a desk (hook off) and hung up there (hook on). */
  input: (input: DeviceInput) => void;
  /** A call or destination past the limits. */
  dropped: (reason: 'too-many-calls' | 'too-many-destinations') => void;
}

const ANSWERED_STATE = '6';

/**
 * A PBX's calls, from its AMI events, as a shared line sees them (facts from the AMI v2 Specification,
 * https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-v2-Specification/, and the
 * AMI event reference, https://docs.asterisk.org/Latest_API/API_Documentation/AMI_Events/):
 * - "Dial operations always result in two events: a DialBegin … and a DialEnd"; "In parallel dialing situations,
 *   DialBegin/DialEnd events MUST be sent for each channel dialed" (a ring group). The calling channel has the
 *   plain field names, the called one's are prefixed "Dest". A call rings while one of its destinations is being
 *   dialled.
 * - DialEnd's DialStatus "ANSWER - The caller answered" (DialEnd event reference); any other status (NOANSWER,
 *   CANCEL, BUSY, the spec's TIMEDOUT…) ends that destination's ringing.
 * - "When a channel enters a bridge, a BridgeEnter event is raised": a dialled destination entering one answered.
 * - Newstate ChannelState 6 "Up: A communication path is established between the endpoint and Asterisk" — for a
 *   dialled destination, it answered. (4 Ring and 5 Ringing come between DialBegin and DialEnd and add nothing.)
 * - "A Hangup signals the termination of the channel associated with the Uniqueid. After the Hangup event, no
 *   further events will be raised in relation to the channel with that Uniqueid."
 * - Linkedid: "Uniqueid of the oldest channel associated with this channel" (Newstate reference): one call across
 *   the Local channels a FreePBX ring group dials through. The spec's examples carry no Linkedid; then the calling
 *   channel's Uniqueid is the call.
 */
export class AmiCalls {
  private readonly calls = new Map<string, Call>();
  /** Uniqueid of a caller or destination → its call's key. */
  private readonly channels = new Map<string, string>();

  constructor(
    private readonly map: AmiCallMap,
    private readonly on: AmiCallsEvents,
  ) {}

  get size(): number {
    return this.calls.size;
  }

  event(message: AmiMessage): void {
    switch (message.get('event')?.toLowerCase()) {
      case 'dialbegin':
        return this.dialBegin(message);
      case 'dialend': {
        const call = this.callOf(message.get('destuniqueid'));
        if (!call) return;
        if (message.get('dialstatus') === 'ANSWER') this.answered(call, message.get('destuniqueid')!);
        else this.stopRinging(call, message.get('destuniqueid')!);
        return;
      }
      case 'bridgeenter':
        return this.answerIfDestination(message.get('uniqueid'));
      case 'newstate':
        if (message.get('channelstate') === ANSWERED_STATE) this.answerIfDestination(message.get('uniqueid'));
        return;
      case 'hangup':
        return this.hangup(message.get('uniqueid'));
    }
  }

  /** Lines with a call ringing now. */
  ringingLines(): string[] {
    return [...new Set([...this.calls.values()].filter((c) => !c.answeredBy && [...c.destinations.values()].some((d) => d.ringing)).map((c) => c.line))];
  }

  /** The PBX is out of reach: every call it was ringing stops, and desks that answered hang up. */
  endAll(): void {
    for (const call of [...this.calls.values()]) this.end(call);
  }

  private dialBegin(message: AmiMessage): void {
    const destination = message.get('destuniqueid');
    if (!destination) return;
    const caller = message.get('uniqueid');
    const key = message.get('linkedid') || caller || message.get('destlinkedid') || destination;
    const extension = extensionOf(message.get('destchannel') ?? '');
    let call = this.calls.get(key);
    if (!call) {
      const line = this.map.dialled.get(message.get('exten') ?? '') ?? (extension === null ? undefined : this.map.members.get(extension));
      if (line === undefined) return;
      if (this.calls.size >= MAX_CALLS) {
        // The oldest call gives way rather than every new one being refused: one whose Hangup never came would
        // otherwise hold its place for good.
        this.on.dropped('too-many-calls');
        this.end(this.calls.values().next().value!);
      }
      call = { key, line, callers: new Set(), destinations: new Map(), answeredBy: null };
      this.calls.set(key, call);
    }
    if (caller && !call.destinations.has(caller) && !call.callers.has(caller) && call.callers.size < MAX_DESTINATIONS) {
      call.callers.add(caller);
      this.channels.set(caller, key);
    }
    if (call.answeredBy || call.destinations.has(destination)) return;
    if (call.destinations.size >= MAX_DESTINATIONS) return this.on.dropped('too-many-destinations');
    call.destinations.set(destination, { extension, ringing: true });
    this.channels.set(destination, key);
    this.on.ringing(call.line, call.key, true);
  }

  private callOf(uniqueid: string | undefined): Call | undefined {
    const key = uniqueid === undefined ? undefined : this.channels.get(uniqueid);
    return key === undefined ? undefined : this.calls.get(key);
  }

  private answerIfDestination(uniqueid: string | undefined): void {
    const call = this.callOf(uniqueid);
    if (call?.destinations.has(uniqueid!)) this.answered(call, uniqueid!);
  }

  private answered(call: Call, uniqueid: string): void {
    const destination = call.destinations.get(uniqueid);
    if (!destination || call.answeredBy) return;
    const desk = destination.extension === null ? null : (this.map.desks.get(destination.extension) ?? null);
    call.answeredBy = { uniqueid, desk };
    for (const other of call.destinations.values()) other.ringing = false;
    // Off-hook first, then the ringing stops: the core takes the call as answered, not as a ring that ended.
    this.on.input(desk === null ? { type: 'hook', line: call.line, state: 'off' } : { type: 'hook', desk, line: call.line, state: 'off' });
    this.on.ringing(call.line, call.key, false);
  }

  private stopRinging(call: Call, uniqueid: string): void {
    const destination = call.destinations.get(uniqueid);
    if (!destination?.ringing) return;
    destination.ringing = false;
    if (![...call.destinations.values()].some((d) => d.ringing)) this.on.ringing(call.line, call.key, false);
  }

  private hangup(uniqueid: string | undefined): void {
    const call = this.callOf(uniqueid);
    if (!call) return;
    if (call.callers.has(uniqueid!) || call.answeredBy?.uniqueid === uniqueid) return this.end(call);
    this.stopRinging(call, uniqueid!);
    call.destinations.delete(uniqueid!);
    this.channels.delete(uniqueid!);
    // Nobody left to ring and nobody answered: the caller went on in the dialplan (voicemail, an announcement).
    if (call.destinations.size === 0 && !call.answeredBy) this.end(call);
  }

  private end(call: Call): void {
    if (!this.calls.delete(call.key)) return;
    for (const id of [...call.callers, ...call.destinations.keys()]) this.channels.delete(id);
    const answered = call.answeredBy;
    if (answered) {
      this.on.input(answered.desk === null ? { type: 'hook', line: call.line, state: 'on' } : { type: 'hook', desk: answered.desk, line: call.line, state: 'on' });
    } else if ([...call.destinations.values()].some((d) => d.ringing)) {
      this.on.ringing(call.line, call.key, false);
    }
  }
}
