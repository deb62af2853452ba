import { z } from 'zod';

// The desk-board parts of the config. Until they are in the main schema (config/schema.ts), the feature
// validates them itself: top-level `boards`, and each desk's `indicator` (a loose object there today).

const pin = z.int().min(0).max(127);

/** `boards: [{ id, port }]`: Arduinos running StandardFirmata. */
export const boardConfigSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _)'),
  port: z.string().min(1, 'expected a serial port path'),
  baudRate: z.int().positive().default(57600),
});
export const boardsConfigSchema = z.array(boardConfigSchema).default([]);

/** `desks[].indicator: { board, led: pin | { red, green, blue }, buzzer?: pin, button?: pin }`. */
export const deskIndicatorSchema = z.strictObject({
  board: z.string(),
  led: z.union([pin, z.strictObject({ red: pin, green: pin, blue: pin })]).optional(),
  buzzer: pin.optional(),
  button: pin.optional(),
});

export type BoardConfig = z.infer<typeof boardConfigSchema>;
export type DeskIndicatorConfig = z.infer<typeof deskIndicatorSchema>;
