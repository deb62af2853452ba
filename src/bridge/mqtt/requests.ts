import type { z } from 'zod';
import { quoteUntrusted } from '../../common/fault-throttle.js';
import type { Bridge } from '../bridge.js';
import { refusal } from '../wording.js';
import {
  ackRequestSchema, describeZodError, holdRequestSchema, hookRequestSchema, presenceRequestSchema, statusRequestSchema, takeoverRequestSchema,
} from './inbound.js';

/** What `bridge/request/status` reports about the MQTT side. */
export interface MqttStatus {
  outbox: { queued: number; dropped: number };
  counters: Record<string, number>;
}

/** A request's fields once validated, and the desks and lines it names known. */
type Handler = (bridge: Bridge, request: never, mqttStatus: () => MqttStatus) => object;

const handler = <S extends z.ZodType>(schema: S, run: (bridge: Bridge, request: z.infer<S>, mqttStatus: () => MqttStatus) => object) => ({
  schema,
  run: run as Handler,
});

// A Map: the command name comes from the topic, so it must never reach a plain object's prototype ("constructor").
const HANDLERS = new Map<string, ReturnType<typeof handler>>(Object.entries({
  presence: handler(presenceRequestSchema, (bridge, { desk, state }) => {
    bridge.input({ type: 'presence', desk, state });
    return { ok: true, desk, presence: state };
  }),
  // For phones the bridge has no sensor on (softphones, PBX integrations): who picked up / hung up.
  hook: handler(hookRequestSchema, (bridge, { desk, line, state }) => {
    bridge.input({ type: 'hook', desk, ...(line !== undefined ? { line } : {}), state });
    return { ok: true, desk, state };
  }),
  // Hold from a PBX or softphone: by desk (the line it talks on) or by line.
  hold: handler(holdRequestSchema, (bridge, { desk, line, state }) => {
    const named = line !== undefined ? { line } : { desk: desk! };
    const { decisions, ignored } = bridge.input({ type: 'hold', ...named, state });
    if (ignored === 'unchanged') return { ok: true, ...named, state, unchanged: true };
    if (ignored !== null) return { ok: false, error: refusal(ignored, named) };
    const held = decisions.find((d) => d.type === 'hold');
    return { ok: true, line: held?.line, state };
  }),
  // "Callback done" (or "checked back" with a held caller) from a phone system or a facilities screen.
  ack: handler(ackRequestSchema, (bridge, { desk, line }) => {
    const { decisions } = bridge.input({ type: 'ack', desk, ...(line !== undefined ? { line } : {}) });
    const callbacksClosed = decisions.filter((d) => d.type === 'callback-closed').length;
    return { ok: true, desk, callbacksClosed, callbacksOpen: bridge.openCallbacks().length };
  }),
  takeover: handler(takeoverRequestSchema, (bridge, { desk, from, state }) => {
    const { ignored } = bridge.input({ type: 'takeover', desk, from, state });
    if (ignored === null || ignored === 'unchanged') return { ok: true, desk, from, state };
    return { ok: false, error: refusal(ignored, { desk, from, coveredBy: bridge.deskStatus(from).coveredBy }) };
  }),
  status: handler(statusRequestSchema, (bridge, _request, mqttStatus) => {
    const { outbox, counters } = mqttStatus();
    return {
      ok: true,
      site: bridge.config.site,
      lines: Object.fromEntries(bridge.config.lines.map((l) => [l.id, bridge.lineStatus(l.id)])),
      desks: Object.fromEntries(bridge.config.desks.map((d) => [d.id, bridge.deskStatus(d.id)])),
      callbacks: bridge.openCallbacks(),
      outbox,
      counters: { ...counters, ignoredEvents: bridge.ignoredEvents },
    };
  }),
}));

/** A response, and why the request was invalid (unknown command, bad fields, unknown desk or line), if it was. */
export interface RequestAnswer {
  body: object;
  invalid: string | null;
}

/**
 * The small request/response API (`bridge/request/<command>` → `bridge/response/<command>`): the response body
 * for one request. An optional `transaction` is echoed so a caller can match answers to questions.
 */
export function answerRequest(bridge: Bridge, command: string, body: unknown, mqttStatus: () => MqttStatus): RequestAnswer {
  const invalid = (error: string, echo = {}): RequestAnswer => ({ body: { ok: false, error, ...echo }, invalid: error });
  const known = HANDLERS.get(command);
  if (!known) return invalid(`unknown command ${quoteUntrusted(command, 40)} (known: ${[...HANDLERS.keys()].join(', ')})`);
  const request = known.schema.safeParse(body);
  if (!request.success) return invalid(describeZodError(request.error));
  const fields = request.data as { transaction?: string; desk?: string; from?: string; line?: string };
  const echo = fields.transaction === undefined ? {} : { transaction: fields.transaction };
  const unknown = unknownName(bridge, fields);
  if (unknown) return invalid(unknown, echo);
  return { body: { ...known.run(bridge, request.data as never, mqttStatus), ...echo }, invalid: null };
}

/** The first desk or line a request names that the office does not have. */
function unknownName(bridge: Bridge, { desk, from, line }: { desk?: string; from?: string; line?: string }): string | null {
  for (const id of [desk, from]) if (id !== undefined && !bridge.hasDesk(id)) return `unknown desk ${quoteUntrusted(id, 40)}`;
  if (line !== undefined && !bridge.hasLine(line)) return `unknown line ${quoteUntrusted(line, 40)}`;
  return null;
}
