import { z } from 'zod';

// Payloads the bridge accepts over MQTT. Anything else is dropped, counted and logged.

export const deskActionSchema = z.looseObject({ action: z.enum(['present', 'away', 'ack']) });
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
export const statusRequestSchema = z.looseObject({ transaction: z.string().optional() }).default({});

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
