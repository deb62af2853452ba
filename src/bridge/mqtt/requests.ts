import type { Bridge } from '../bridge.js';
import { deskStatus, lineStatus } from '../core/index.js';
import { describeZodError, hookRequestSchema, presenceRequestSchema, statusRequestSchema } from './inbound.js';

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
  if (command === 'status') {
    const request = statusRequestSchema.safeParse(body);
    const echo = request.success && request.data.transaction !== undefined ? { transaction: request.data.transaction } : {};
    const { outbox, counters } = mqttStatus();
    return {
      ok: true,
      site: bridge.config.site,
      lines: Object.fromEntries(bridge.config.lines.map((l) => [l.id, lineStatus(core, l.id)])),
      desks: Object.fromEntries(bridge.config.desks.map((d) => [d.id, deskStatus(core, d.id)])),
      outbox,
      counters: { ...counters, ignoredEvents: core.ignoredEvents },
      ...echo,
    };
  }
  return { ok: false, error: `unknown command "${command}" (known: presence, hook, status)` };
}
