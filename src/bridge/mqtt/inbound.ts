import { z } from 'zod';
import type { DeviceInput } from '../../common/device-events.js';

// Payloads the bridge accepts over MQTT. Anything else is dropped, counted and logged.

export const deskActionSchema = z.discriminatedUnion(
  'action',
  [
    /** cover: the desk's cover button, a toggle for units that do not know their partner (desks[].coverFor). */
    z.looseObject({ action: z.enum(['present', 'away', 'ack', 'hold', 'resume', 'cover']) }),
    /** Take `from`'s calls at this desk (cover), or give them back. */
    z.looseObject({ action: z.enum(['takeover', 'release']), from: z.string() }),
    /** Picked up / hung up at this desk (a desk agent's headset); `line`: the line it answers, else the core picks. */
    z.looseObject({ action: z.literal('hook'), state: z.enum(['off', 'on']), line: z.string().optional() }),
  ],
  { error: 'action: expected present, away, ack, hold, resume, cover, takeover, release or hook' },
);
export const availabilitySchema = z.enum(['online', 'offline']);

export const presenceRequestSchema = z.looseObject({
  desk: z.string(),
  state: z.enum(['present', 'away']),
  transaction: z.string().optional(),
});
export const hookRequestSchema = z.looseObject({
  desk: z.string(),
  line: z.string().optional(),
  state: z.enum(['off', 'on']),
  transaction: z.string().optional(),
});
export const holdRequestSchema = z
  .looseObject({ desk: z.string().optional(), line: z.string().optional(), state: z.enum(['on', 'off']), transaction: z.string().optional() })
  .refine((r) => r.desk !== undefined || r.line !== undefined, 'expected desk or line');
export const ackRequestSchema = z.looseObject({ desk: z.string(), line: z.string().optional(), transaction: z.string().optional() });
export const takeoverRequestSchema = z.looseObject({
  desk: z.string(),
  from: z.string(),
  state: z.enum(['on', 'off']),
  transaction: z.string().optional(),
});
// Status is always answered, whatever came with the request (a transaction is echoed only when it is a string).
export const statusRequestSchema = z.looseObject({ transaction: z.string().optional() }).default({}).catch({});

export function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: payload.length === 0 ? undefined : JSON.parse(payload.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
}

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
}

/**
 * What a desk unit's action means for the core: 'ack' goes through the bridge's desk-action log, 'cover' through
 * Bridge.toggleCover; any other string is an error.
 */
export function deskActionInput(desk: string, action: z.infer<typeof deskActionSchema>): DeviceInput | 'ack' | 'cover' | string {
  switch (action.action) {
    case 'ack':
    case 'cover':
      return action.action;
    case 'present':
    case 'away':
      return { type: 'presence', desk, state: action.action };
    case 'hold':
    case 'resume':
      return { type: 'hold', desk, state: action.action === 'hold' ? 'on' : 'off' };
    case 'takeover':
    case 'release':
      return { type: 'takeover', desk, from: action.from, state: action.action === 'takeover' ? 'on' : 'off' };
    case 'hook':
      return { type: 'hook', desk, state: action.state, ...(action.line !== undefined ? { line: action.line } : {}) };
  }
}
