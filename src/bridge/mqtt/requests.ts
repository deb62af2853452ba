import type { Bridge } from '../bridge.js';
import { deskStatus, lineStatus, openCallbacks } from '../core/index.js';
import {
  ackRequestSchema, describeZodError, holdRequestSchema, hookRequestSchema, presenceRequestSchema, statusRequestSchema, takeoverRequestSchema,
} from './inbound.js';

/** What `bridge/request/status` reports about the MQTT side. */
export interface MqttStatus {
  outbox: { queued: number; dropped: number };
  counters: Record<string, number>;
}

/**
 * The small request/response API (`bridge/request/<command>` → `bridge/response/<command>`): the response body
 * for one request. An optional `transaction` is echoed so a caller can match answers to questions.
 */
export function answerRequest(bridge: Bridge, command: string, body: unknown, mqttStatus: () => MqttStatus): object {
  const core = bridge.runner.state;
  if (command === 'presence') {
    const request = presenceRequestSchema.safeParse(body);
    if (!request.success) return { ok: false, error: describeZodError(request.error) };
    const { desk, state, transaction } = request.data;
    const echo = transaction === undefined ? {} : { transaction };
    if (!core.deskById.has(desk)) return { ok: false, error: `unknown desk "${desk}"`, ...echo };
    bridge.input({ type: 'presence', desk, state });
    return { ok: true, desk, presence: state, ...echo };
  }
  if (command === 'hook') {
    // For phones the bridge has no sensor on (softphones, PBX integrations): who picked up / hung up.
    const request = hookRequestSchema.safeParse(body);
    if (!request.success) return { ok: false, error: describeZodError(request.error) };
    const { desk, line, state, transaction } = request.data;
    const echo = transaction === undefined ? {} : { transaction };
    if (!core.deskById.has(desk)) return { ok: false, error: `unknown desk "${desk}"`, ...echo };
    if (line !== undefined && !core.lineById.has(line)) return { ok: false, error: `unknown line "${line}"`, ...echo };
    bridge.input({ type: 'hook', desk, ...(line !== undefined ? { line } : {}), state });
    return { ok: true, desk, state, ...echo };
  }
  if (command === 'hold') {
    // Hold from a PBX or softphone: by desk (the line it talks on) or by line.
    const request = holdRequestSchema.safeParse(body);
    if (!request.success) return { ok: false, error: describeZodError(request.error) };
    const { desk, line, state, transaction } = request.data;
    const echo = transaction === undefined ? {} : { transaction };
    if (desk !== undefined && !core.deskById.has(desk)) return { ok: false, error: `unknown desk "${desk}"`, ...echo };
    if (line !== undefined && !core.lineById.has(line)) return { ok: false, error: `unknown line "${line}"`, ...echo };
    const target = line ?? core.deskById.get(desk!)!.talkingOn?.id;
    if (target === undefined) return { ok: false, error: `desk "${desk}" is not on a call`, ...echo };
    bridge.input({ type: 'hold', line: target, state });
    return { ok: true, line: target, state, ...echo };
  }
  if (command === 'ack') {
    // "Callback done" (or "checked back" with a held caller) from a phone system or a facilities screen.
    const request = ackRequestSchema.safeParse(body);
    if (!request.success) return { ok: false, error: describeZodError(request.error) };
    const { desk, line, transaction } = request.data;
    const echo = transaction === undefined ? {} : { transaction };
    if (!core.deskById.has(desk)) return { ok: false, error: `unknown desk "${desk}"`, ...echo };
    if (line !== undefined && !core.lineById.has(line)) return { ok: false, error: `unknown line "${line}"`, ...echo };
    const open = core.openCallbacks.size;
    bridge.input({ type: 'ack', desk, ...(line !== undefined ? { line } : {}) });
    return { ok: true, desk, callbacksClosed: open - core.openCallbacks.size, callbacksOpen: core.openCallbacks.size, ...echo };
  }
  if (command === 'takeover') {
    const request = takeoverRequestSchema.safeParse(body);
    if (!request.success) return { ok: false, error: describeZodError(request.error) };
    const { desk, from, state, transaction } = request.data;
    const echo = transaction === undefined ? {} : { transaction };
    for (const id of [desk, from]) if (!core.deskById.has(id)) return { ok: false, error: `unknown desk "${id}"`, ...echo };
    if (desk === from) return { ok: false, error: 'a desk cannot take over its own calls', ...echo };
    bridge.input({ type: 'takeover', desk, from, state });
    const coveredBy = core.deskById.get(from)!.coveredBy?.id ?? null;
    const done = state === 'on' ? coveredBy === desk : coveredBy === null;
    return done ? { ok: true, desk, from, state, ...echo } : { ok: false, error: `${from} is ${coveredBy ? `covered by ${coveredBy}` : 'not covered'}`, ...echo };
  }
  if (command === 'status') {
    const request = statusRequestSchema.safeParse(body);
    const echo = request.success && request.data.transaction !== undefined ? { transaction: request.data.transaction } : {};
    const { outbox, counters } = mqttStatus();
    return {
      ok: true,
      site: bridge.config.site,
      lines: Object.fromEntries(bridge.config.lines.map((l) => [l.id, lineStatus(core, l.id)])),
      desks: Object.fromEntries(bridge.config.desks.map((d) => [d.id, deskStatus(core, d.id)])),
      callbacks: openCallbacks(core),
      outbox,
      counters: { ...counters, ignoredEvents: core.ignoredEvents },
      ...echo,
    };
  }
  return { ok: false, error: `unknown command "${command}" (known: presence, hook, hold, ack, takeover, status)` };
}
