import { quoteUntrusted } from '../../common/fault-throttle.js';
import type { MqttConnection, MqttPart } from './connection.js';
import { availabilitySchema, deskActionInput, deskActionSchema, describeZodError, parseJson } from './inbound.js';
import type { MqttFaults } from './mqtt-faults.js';
import { refusal } from '../wording.js';
import type { RequestResponder } from './request-responder.js';
import type { RetainedState } from './retained-state.js';
import { isCommandInput, levelsBelow } from './topics.js';

/** Clearing echoes remembered at most; beyond that an echo is counted as an empty (invalid) input. */
const MAX_CLEARING = 64;

/**
 * What comes in: desk units' availability and actions, requests (to the RequestResponder), and retained inputs,
 * which are cleared. Malformed input is dropped, counted and logged, never fatal.
 */
export class InboundRouter implements MqttPart {
  /** Topics of retained inputs being cleared: the empty message comes back to us once (bounded, see MAX_CLEARING). */
  private readonly clearing = new Set<string>();

  constructor(
    private readonly connection: MqttConnection,
    private readonly state: RetainedState,
    private readonly requests: RequestResponder,
    private readonly faults: MqttFaults,
  ) {}

  start(): void {
    const client = this.connection.client!;
    client.on('connect', () => client.subscribe(this.connection.topics.inbound, { qos: 1 }));
    client.on('message', (topic, payload, packet) => this.route(topic, payload, packet.retain));
  }

  /** Its listeners are on the client only, which goes with the connection. */
  stop(): void {
    this.clearing.clear();
  }

  private route(topic: string, payload: Buffer, retained: boolean): void {
    const rest = levelsBelow(this.connection.topics.base, topic);
    if (!rest) return;
    // A retained action or request would be done again at every start and reconnect: ignore it, and clear it
    // (an empty retained message deletes it). Retained availability is how desk units report, and is kept.
    if (retained && isCommandInput(rest)) return this.clearRetainedInput(topic, payload);
    if (payload.length === 0 && this.clearing.delete(topic)) return; // our own clearing, coming back
    if (rest[0] === 'desk' && rest.length === 3) return this.onDeskMessage(rest[1]!, rest[2]!, payload);
    if (rest[0] === 'bridge' && rest[1] === 'request' && rest.length === 3) return this.requests.answer(rest[2]!, payload);
  }

  private clearRetainedInput(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    this.connection.counters.retainedInputsCleared++;
    if (this.clearing.size < MAX_CLEARING) this.clearing.add(topic);
    this.connection.client?.publish(topic, '', { qos: 1, retain: true });
    this.faults.report('retained-input', `ignored and cleared a retained message on ${quoteUntrusted(topic)}: inputs must not be retained`);
  }

  private onDeskMessage(desk: string, kind: string, payload: Buffer): void {
    if (!this.connection.bridge.hasDesk(desk)) {
      return this.faults.drop('unknown-desk', `desk/${quoteUntrusted(desk, 40)}/${quoteUntrusted(kind, 20)}: no such desk`);
    }
    if (kind === 'availability') return this.onAvailability(desk, payload);
    if (kind === 'action') return this.onAction(desk, payload);
  }

  private onAvailability(desk: string, payload: Buffer): void {
    const { bridge } = this.connection;
    const state = availabilitySchema.safeParse(payload.toString('utf8'));
    if (!state.success) return this.faults.drop('desk-availability', `desk/${desk}/availability: expected online or offline`);
    this.state.unitReported(desk, state.data);
    bridge.reportDevice(
      state.data === 'online'
        ? { type: 'device', family: 'desk-unit', device: desk, state: 'online' }
        : { type: 'device', family: 'desk-unit', device: desk, state: 'offline', reason: 'desk unit disconnected' },
    );
    this.state.publishDesk(desk);
    // A unit that reports the desk's presence (a desk agent) is gone: nobody says the person is there any more.
    const reportsPresence = bridge.config.desks.find((d) => d.id === desk)?.unit?.presence === true;
    if (state.data === 'offline' && reportsPresence) bridge.input({ type: 'presence', desk, state: 'away' });
  }

  private onAction(desk: string, payload: Buffer): void {
    const { bridge } = this.connection;
    const drop = (detail: string) => this.faults.drop('desk-action', `desk/${desk}/action: ${detail}`);
    const json = parseJson(payload);
    if (!json.ok) return drop(json.error);
    const action = deskActionSchema.safeParse(json.value);
    if (!action.success) return drop(describeZodError(action.error));
    const input = deskActionInput(desk, action.data);
    if (input === 'ack') return bridge.reportDeskAction(desk, bridge.deskStatus(desk).alertLine);
    if (input === 'cover') return void bridge.toggleCover(desk, 'desk-unit');
    if (typeof input === 'string') return drop(input);
    if (input.type === 'takeover' && !bridge.hasDesk(input.from)) return drop(`from: unknown desk ${quoteUntrusted(input.from, 40)}`);
    const { ignored } = bridge.input(input);
    if (ignored === 'own-desk') drop(`from: ${refusal(ignored, {})}`);
    if (ignored === 'unknown-line' && input.type === 'hook') drop(`line: unknown line ${quoteUntrusted(input.line ?? '', 40)}`);
  }
}
