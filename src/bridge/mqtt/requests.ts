import type { z } from 'zod';
import { quoteUntrusted } from '../../common/fault-throttle.js';
import type { Bridge } from '../bridge.js';
import { deskStatus, lineStatus, openCallbacks, type CoreState } from '../../core/index.js';
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
    const target = line ?? bridge.runner.state.deskById.get(desk!)!.talkingOn?.id;
    if (target === undefined) return { ok: false, error: `desk "${desk}" is not on a call` };
    bridge.input({ type: 'hold', line: target, state });
    return { ok: true, line: target, state };
  }),
  // "Callback done" (or "checked back" with a held caller) from a phone system or a facilities screen.
  ack: handler(ackRequestSchema, (bridge, { desk, line }) => {
    const { openCallbacks } = bridge.runner.state;
    const open = openCallbacks.size;
    bridge.input({ type: 'ack', desk, ...(line !== undefined ? { line } : {}) });
    return { ok: true, desk, callbacksClosed: open - openCallbacks.size, callbacksOpen: openCallbacks.size };
  }),
  takeover: handler(takeoverRequestSchema, (bridge, { desk, from, state }) => {
    if (desk === from) return { ok: false, error: 'a desk cannot take over its own calls' };
    bridge.input({ type: 'takeover', desk, from, state });
    const coveredBy = bridge.runner.state.deskById.get(from)!.coveredBy?.id ?? null;
    const done = state === 'on' ? coveredBy === desk : coveredBy === null;
    return done ? { ok: true, desk, from, state } : { ok: false, error: `${from} is ${coveredBy ? `covered by ${coveredBy}` : 'not covered'}` };
  }),
  status: handler(statusRequestSchema, (bridge, _request, mqttStatus) => {
    const core = bridge.runner.state;
    const { outbox, counters } = mqttStatus();
    return {
      ok: true,
      site: bridge.config.site,
      lines: Object.fromEntries(bridge.config.lines.map((l) => [l.id, lineStatus(core, l.id)])),
      desks: Object.fromEntries(bridge.config.desks.map((d) => [d.id, deskStatus(core, d.id)])),
      callbacks: openCallbacks(core),
      outbox,
      counters: { ...counters, ignoredEvents: core.ignoredEvents },
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
  const unknown = unknownName(bridge.runner.state, fields);
  if (unknown) return invalid(unknown, echo);
  return { body: { ...known.run(bridge, request.data as never, mqttStatus), ...echo }, invalid: null };
}

/** The first desk or line a request names that the office does not have. */
function unknownName(core: CoreState, { desk, from, line }: { desk?: string; from?: string; line?: string }): string | null {
  for (const id of [desk, from]) if (id !== undefined && !core.deskById.has(id)) return `unknown desk ${quoteUntrusted(id, 40)}`;
  if (line !== undefined && !core.lineById.has(line)) return `unknown line ${quoteUntrusted(line, 40)}`;
  return null;
}
