import { z } from 'zod';

// The Zigbee parts of the config (README "Zigbee desks (Zigbee2MQTT)"): desks[].zigbee names a desk's devices by
// their Zigbee2MQTT friendly names; the top-level zigbee2mqtt says where Zigbee2MQTT is and how desks use it.
// Cross-references (one desk per device and role) are checked by zigbeeProblems.

/**
 * A friendly name as it appears in a topic (<base>/<name>): '/' may structure it (Zigbee2MQTT's docs allow it),
 * but no MQTT wildcard, no empty level, and no level that Zigbee2MQTT gives a meaning of its own.
 */
const friendlyName = z
  .string()
  .min(1)
  .max(128, 'expected a friendly name of at most 128 characters')
  .refine((name) => ![...name].some((c) => c === '#' || c === '+' || c < ' ') && name.split('/').every((level) => level.length > 0), 'expected a Zigbee2MQTT friendly name: no #, +, control characters or empty topic levels')
  .refine((name) => !/(^|\/)(set|get|availability)(\/|$)/.test(name) && !name.startsWith('bridge/'), 'a friendly name cannot contain set, get or availability as a level, or start with bridge/');

export const deskZigbeeSchema = z
  .strictObject({ light: friendlyName.optional(), button: friendlyName.optional(), siren: friendlyName.optional(), presence: friendlyName.optional() })
  .refine((z) => Object.values(z).some((name) => name !== undefined), 'expected at least one of light, button, siren, presence');

const effect = z.string().regex(/^[a-z_]{1,32}$/, 'expected an effect name like blink or breathe');
const warning = z.strictObject({
  mode: z.string().regex(/^[a-z_]{1,32}$/).default('emergency'),
  level: z.enum(['low', 'medium', 'high', 'very_high']).default('low'),
  strobe: z.boolean().default(false),
  duration: z.int().min(1).max(10),
});
const DOES = ['ack', 'cover', 'presence'] as const;

export const zigbee2mqttSchema = z.strictObject({
  /** Zigbee2MQTT's base_topic. */
  baseTopic: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'expected a topic like zigbee2mqtt (letters, digits, - and _, levels split by /)')
    .default('zigbee2mqtt'),
  /** The broker Zigbee2MQTT uses, when it is not the bridge's (mqtt.url, or the embedded broker). */
  url: z.string().regex(/^(mqtts?|wss?):\/\/[^\s]+$/, 'expected an mqtt://, mqtts://, ws:// or wss:// URL').optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  light: z
    .strictObject({
      mode: z.enum(['effect', 'timed', 'solid']).default('effect'),
      brightness: z.int().min(1).max(254).default(254),
      transition: z.number().min(0).max(10).default(0),
      /** At most one set message per this many ms to one device. */
      minIntervalMs: z.int().min(100).max(10_000).default(500),
      effects: z
        .strictObject({ 'fast-blink': effect.default('blink'), 'slow-blink': effect.default('breathe'), pulse: effect.default('breathe') })
        .default({ 'fast-blink': 'blink', 'slow-blink': 'breathe', pulse: 'breathe' }),
    })
    .prefault({}),
  /** A button's `action` → ack, cover or presence (toggle). */
  buttonActions: z
    .record(z.string().min(1).max(64), z.enum(DOES))
    .refine((map) => Object.keys(map).length <= 32, 'expected at most 32 actions')
    .default({ single: 'ack', double: 'cover', hold: 'presence' }),
  siren: z
    .strictObject({ chirp: warning.prefault({ duration: 1 }), ring: warning.prefault({ level: 'medium', duration: 2 }) })
    .prefault({}),
  presence: z
    .strictObject({
      /** Unoccupied this long (no occupancy since) before the desk is away. */
      holdOffSeconds: z.number().min(0.1).max(3600).default(300),
      /** Silent this long = unknown (the desk keeps its presence); none: only offline is unknown. */
      staleSeconds: z.number().min(1).max(7 * 24 * 3600).optional(),
    })
    .prefault({}),
});

export type Zigbee2mqttConfig = z.infer<typeof zigbee2mqttSchema>;

export function zigbeeProblems(config: { desks: { id: string; zigbee?: Partial<Record<'light' | 'button' | 'siren' | 'presence', string>> }[]; zigbee2mqtt?: { url?: string; username?: string; password?: string } }): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  config.desks.forEach((desk, i) => {
    for (const role of ['light', 'button', 'siren', 'presence'] as const) {
      const name = desk.zigbee?.[role];
      if (name === undefined) continue;
      const other = owner.get(`${role}\u0000${name}`);
      if (other !== undefined) problems.push(`desks[${i}].zigbee.${role}: "${name}" is already desk "${other}"'s ${role}`);
      else owner.set(`${role}\u0000${name}`, desk.id);
    }
  });
  const z2m = config.zigbee2mqtt;
  if (z2m && (z2m.username === undefined) !== (z2m.password === undefined)) problems.push('zigbee2mqtt: expected both username and password, or neither');
  if (z2m && z2m.url === undefined && z2m.username !== undefined) problems.push('zigbee2mqtt.username: only with zigbee2mqtt.url (on the bridge\'s broker the bridge logs in as itself)');
  return problems;
}
