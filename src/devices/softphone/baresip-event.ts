// What baresip's mqtt module publishes, as verified in baresip v1.0.0 (Debian's baresip-core 1.0.0):
// - modules/mqtt/mqtt.c: events go to "/<mqtt_basetopic>/event" (leading slash), commands are read from
//   "/<mqtt_basetopic>/command/+"; the client connects once (mosquitto_connect) with keepalive 60 and sets no will.
// - modules/mqtt/publish.c: every UA event is published QoS 0, not retained, as the JSON from event_encode_dict.
// - src/event.c event_encode_dict: `type` (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, …), `class`,
//   `accountaor` (the account, our line mapping), and for a call `direction` (incoming/outgoing), `peeruri`,
//   `id` (call_id) and `param`.
// - modules/mqtt/subscribe.c handle_command: {"command", "params", "token", "accountaor", "callid"} runs the
//   long command (menu's accept, hangup, reginfo, …) on that account and call, and always answers on
//   "/<mqtt_basetopic>/command_resp/<token>".

/** Longest payload, call id and account AOR taken from a softphone; longer ones are refused as bad input. */
export const MAX_EVENT_BYTES = 16 * 1024;
export const MAX_CALL_ID = 128;
export const MAX_AOR = 256;

export type CallEventKind = 'incoming' | 'established' | 'closed';

export type BaresipEvent =
  | { kind: CallEventKind; id: string; aor: string; outgoing: boolean }
  /** Any other event (registration, VU, DTMF…): proof of life, nothing else. */
  | { kind: 'other' };

const CALL_TYPES: ReadonlyMap<string, CallEventKind> = new Map([
  ['CALL_INCOMING', 'incoming'],
  ['CALL_ESTABLISHED', 'established'],
  ['CALL_CLOSED', 'closed'],
]);

/** One `/<base>/event` payload, or why it is refused (a short reason from a fixed set). */
export function parseBaresipEvent(payload: Buffer): BaresipEvent | { refused: string } {
  if (payload.length > MAX_EVENT_BYTES) return { refused: 'event-too-large' };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { refused: 'event-not-json' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { refused: 'event-not-object' };
  const event = json as Record<string, unknown>;
  const type = event['type'];
  if (typeof type !== 'string') return { refused: 'event-without-type' };
  const kind = CALL_TYPES.get(type);
  if (!kind) return { kind: 'other' };
  const { id, accountaor: aor, direction } = event;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_CALL_ID) return { refused: 'call-event-bad-id' };
  if (typeof aor !== 'string' || aor.length === 0 || aor.length > MAX_AOR) return { refused: 'call-event-bad-account' };
  return { kind, id, aor, outgoing: direction === 'outgoing' };
}
