import { IANAZone } from 'luxon';
import { z } from 'zod';
import { asteriskSchema } from './asterisk-schema.js';
import { boardConfigSchema, deskIndicatorSchema } from './desk-board-schema.js';
import { kuandoBoxesSchema } from './kuando-box-schema.js';
import { softphonesSchema } from './softphone-schema.js';
import { deskZigbeeSchema, zigbee2mqttSchema } from './zigbee-schema.js';
import { NATIONAL_CADENCES } from '../../core/national-cadences.js';

// The config file's shape (README "Configuration"). Cross-references (desk ids in phone.desks, unique ids) are
// checked in load.ts, where the whole file is known.

/**
 * How much the loader will take (README "Configuration"). The benchmark office has 10,000 desks and 1,000 lines;
 * these leave twice that and more. Beyond them a file is refused with a message, before any work that grows with it.
 */
export const LIMITS = {
  /** File size: a 10,000-desk, 1,000-line config written out in full (names, unit passwords, sensors) is 1.6 MB. */
  bytes: 8 * 1024 * 1024,
  /** YAML tokens (scalars, punctuation, line breaks): that config has 663,036; parsing costs 2-3 µs and up to 650 bytes each. */
  yamlTokens: 2_000_000,
  /** Uses of one YAML anchor (weighted by the aliases nested in it), so aliases cannot blow a small file up. */
  aliases: 100,
  /** Coordinates on the floor plan, and the distances in the rules: metres from the origin, a 20 km square. */
  metres: 10_000,
  desks: 20_000,
  lines: 2_000,
  /** Desks whose phones one line rings on (phone.desks), and desks in one schedule. */
  desksPerList: 20_000,
  schedules: 20_000,
  readers: 1_000,
  boards: 1_000,
  escalationSteps: 50,
  cadenceEntries: 64,
  holidays: 1_000,
} as const;

/** An array of at most `max` items, refused by its length before any item is looked at. */
function list<T extends z.ZodType>(item: T, max: number, what: string, min?: { count: number; message: string }) {
  const array = min ? z.array(item).min(min.count, min.message) : z.array(item);
  return z
    .unknown()
    .refine((v) => !Array.isArray(v) || v.length <= max, {
      error: (issue) => `expected at most ${max} ${what}, found ${(issue.input as unknown[]).length}`,
      abort: true,
    })
    .pipe(array);
}

const id = z
  .string({ error: 'expected an id (letters, digits, - and _)' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _); it is used in MQTT topics');

const isPoint = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

/** Metres on the floor plan. The rules core's desk index divides the plan's extent into cells (desk-index.ts); bounded coordinates keep that a sane number. */
const point = z.custom<[number, number]>((v) => isPoint(v) && v.every((n) => Math.abs(n) <= LIMITS.metres), {
  error: (issue) =>
    isPoint(issue.input)
      ? `[${issue.input.join(', ')}] is off the floor plan: expected x and y between -${LIMITS.metres} and ${LIMITS.metres} (metres)`
      : 'expected [x, y]',
});

/** A distance on the floor plan (tieMetres, withinMetres). */
const metres = z.number().max(LIMITS.metres, `expected at most ${LIMITS.metres} metres`);

const countryCode = z
  .string()
  .refine((code) => code.toLowerCase() === 'auto' || code.toUpperCase() in NATIONAL_CADENCES, {
    error: (issue) =>
      `unknown cadence "${String(issue.input)}": use auto, a country code (${Object.keys(NATIONAL_CADENCES).sort().join(', ')}) or [on, off, ...] in ms`,
  });

// Bounded by a refinement, not list() or max(): the union below hides the message of an issue that aborts.
const explicitCadence = z
  .array(z.number({ error: 'expected milliseconds' }).positive('expected a duration > 0 ms').max(60_000, 'expected at most 60000 ms'))
  .refine((list) => list.length <= LIMITS.cadenceEntries, {
    error: (issue) => `expected at most ${LIMITS.cadenceEntries} durations, found ${(issue.input as unknown[]).length}`,
  })
  .refine((list) => list.length >= 2 && list.length % 2 === 0, 'expected [on, off, ...]: pairs of burst and silence durations');

const phone = z
  .strictObject({
    at: point.optional(),
    desks: list(id, LIMITS.desksPerList, 'desks', { count: 1, message: 'expected at least one desk' }).optional(),
  })
  .refine((p) => (p.at === undefined) !== (p.desks === undefined), 'expected { at: [x, y] } or { desks: [desk ids] }');

const usbId = z.union([z.int().min(0).max(0xffff), z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'expected a USB id like 0x0b0e').transform((s) => parseInt(s.replace(/^0x/, ''), 16))]);

/** The desk's USB telephony headset: a hidraw path, or vendor/product ids (and serial, when there are several). */
const headset = z
  .strictObject({ path: z.string().optional(), vendorId: usbId.optional(), productId: usbId.optional(), serialNumber: z.string().optional() })
  .refine((h) => h.path !== undefined || h.vendorId !== undefined, 'expected path or vendorId (see thirdring devices)');

/** A ring sensor on a serial port: which port, and which of its channels watches this line. */
const serialSensor = z.strictObject({
  serial: z.string().min(1, 'expected a serial port path, e.g. /dev/ttyACM0 or /dev/serial/by-id/...'),
  channel: z.int().min(1).max(16),
  baudRate: z.int().positive().default(115200),
});

const escalationStep = z.strictObject({
  atRing: z.int().min(2, 'level 1 is the assignment at ring 1; steps start at ring 2'),
  buzzer: z.enum(['off', 'chirp', 'ring']).default('off'),
  nearest: z.int().min(0).max(100).default(0),
  everyone: z.boolean().default(false),
  withinMetres: metres.positive().optional(),
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "08:30" (24-hour)');
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const weekdays = list(z.enum(WEEKDAYS, { error: `expected a day: ${WEEKDAYS.join(', ')}` }), WEEKDAYS.length, 'days', {
  count: 1,
  message: 'expected at least one day',
});
const WORKING_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/** When the office is open: callbacks fall due after one business day of this. */
const businessHours = z
  .strictObject({
    days: weekdays.default([...WORKING_DAYS]),
    open: clockTime.default('09:00'),
    close: clockTime.default('17:30'),
    /** Closed all day (public holidays). */
    holidays: list(z.iso.date({ error: 'expected a date like 2026-12-25' }), LIMITS.holidays, 'holidays').default([]),
  })
  .refine((h) => h.open < h.close, 'expected open before close');

/** Desks that are away on a timetable (lunch cover): away between `away[0]` and `away[1]` on `days`. */
const schedule = z.strictObject({
  name: id,
  desks: list(id, LIMITS.desksPerList, 'desks', { count: 1, message: 'expected at least one desk' }),
  away: z.tuple([clockTime, clockTime], { error: 'expected ["12:00", "13:00"]: from, until' }).refine(([from, until]) => from < until, 'expected from before until'),
  days: weekdays.default([...WORKING_DAYS]),
});

const timeZone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  error: (issue) => `unknown time zone "${String(issue.input)}": expected an IANA zone like Europe/Amsterdam`,
});

const credentials = z.strictObject({ username: z.string().min(1), password: z.string().min(8, 'expected a password of at least 8 characters') });

const mqtt = z.strictObject({
  url: z
    .string()
    .refine((u) => u === 'embedded' || /^(mqtts?|wss?):\/\/[^\s]+$/.test(u), 'expected "embedded" or mqtt://, mqtts://, ws:// or wss:// URL')
    .default('embedded'),
  /** Embedded broker: listen address and ports (0 = any free port; the websocket listener for browser pages can be turned off with false). */
  host: z.string().default('127.0.0.1'),
  port: z.int().min(0).max(65535).default(1883),
  wsPort: z.union([z.int().min(0).max(65535), z.literal(false)]).default(8083),
  /** External broker: the bridge's credentials. Embedded broker beyond loopback: the admin credentials it requires. */
  username: z.string().optional(),
  password: z.string().optional(),
  /** mqtts://: CA bundle, client certificate and key (file paths). */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  rejectUnauthorized: z.boolean().default(true),
  /** Embedded broker: extra accounts that may only read (facilities staff running `thirdring log`). */
  readers: list(credentials, LIMITS.readers, 'readers').default([]),
  /** Home Assistant discovery (README "Home Assistant"); statusTopic: where Home Assistant says `online` when it starts. */
  homeAssistant: z
    .strictObject({
      enabled: z.boolean().default(false),
      prefix: z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'expected a topic like homeassistant').default('homeassistant'),
      statusTopic: z.string().regex(/^[^#+]+$/, 'expected a topic without wildcards').default('homeassistant/status'),
    })
    .prefault({}),
  /** Log messages wait on disk while the broker is unreachable; past `maxMessages` the oldest are dropped (and counted). */
  outbox: z.strictObject({ maxMessages: z.int().min(100).default(100_000) }).default({ maxMessages: 100_000 }),
});

export const configSchema = z.strictObject({
  site: z.string({ error: 'expected a site name' }).regex(/^[a-z0-9-]+$/, 'expected [a-z0-9-]+ (it is used in MQTT topics)'),
  /** The office's time zone, for business hours and schedules (default: this machine's). */
  timezone: timeZone.default(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
  mqtt: mqtt.default(mqtt.parse({})),
  /** Arduinos running StandardFirmata that drive desks' indicators directly (desks[].indicator). */
  boards: list(boardConfigSchema, LIMITS.boards, 'boards').default([]),
  /** The desks' baresip softphones, a ring source (README "Softphones (baresip)"). */
  softphones: softphonesSchema,
  /** Kuando Busylight Boxes, each the ring sensor of one line (README "Kuando Busylight Box"). */
  kuandoBoxes: kuandoBoxesSchema,
  /** The live floor page, served read-only by the bridge. */
  dashboard: z
    .strictObject({ enabled: z.boolean().default(true), host: z.string().default('127.0.0.1'), port: z.int().min(0).max(65535).default(8080) })
    .default({ enabled: true, host: '127.0.0.1', port: 8080 }),
  /**
   * Where the bridge keeps its state (the MQTT outbox, the ring log); relative paths are relative to the config file.
   * Default: the site's folder in the state directory, $XDG_STATE_HOME/thirdring/<site> (load.ts defaultDataDir).
   */
  dataDir: z.string().optional(),
  /** The ring log recorder run inside the bridge (`thirdring record` runs it on its own). database: relative to dataDir. */
  recorder: z
    .strictObject({ enabled: z.boolean().default(false), database: z.string().min(1).default('ring-log.sqlite') })
    .default({ enabled: false, database: 'ring-log.sqlite' }),
  desks: list(
    z.strictObject({
      id,
      at: point,
      name: z.string().optional(),
      headset: headset.optional(),
      /** LED, buzzer and button wired to a johnny-five (Firmata) desk board. */
      indicator: deskIndicatorSchema.optional(),
      /**
       * The desk unit's or desk agent's MQTT password (user name `desk-<id>`), required when the embedded broker
       * listens beyond loopback. presence: it reports the desk's presence, so losing it (its last will) means away.
       */
      unit: z
        .strictObject({ password: z.string().min(8, 'expected a password of at least 8 characters'), presence: z.boolean().default(false) })
        .optional(),
      /** This desk's cover button (desk unit double press, desk board long press) takes over that desk's calls, or gives them back. */
      coverFor: id.optional(),
      /** Zigbee devices at this desk, by Zigbee2MQTT friendly name (README "Zigbee desks (Zigbee2MQTT)"). */
      zigbee: deskZigbeeSchema.optional(),
    }),
    LIMITS.desks,
    'desks',
    { count: 1, message: 'expected at least one desk' },
  ),
  lines: list(
    z.strictObject({
      id,
      name: z.string().optional(),
      phone,
      cadence: z.union([countryCode, explicitCadence], { error: 'expected auto, a country code or [on, off, ...] in ms' }).default('auto'),
      sensor: serialSensor.optional(),
      /** Always answered: past the floor's last chance it goes to rules.designated.desks (and a log alert). */
      designated: z.boolean().default(false),
    }),
    LIMITS.lines,
    'lines',
    { count: 1, message: 'expected at least one line' },
  ),
  rules: z
    .strictObject({
      answerBy: z.int().min(2, 'expected a ring number ≥ 2').max(20).default(3),
      tieMetres: metres.min(0).default(0.5),
      escalation: list(escalationStep, LIMITS.escalationSteps, 'escalation steps').optional(),
      /** Check back with a caller on hold this often (seconds): a reminder at the desk each time. */
      holdCheckSeconds: z.int().min(10).max(3600).default(120),
      businessHours: businessHours.default(businessHours.parse({})),
      /** Designated lines: from ring `atRing` (default answerBy + 1) the call also goes to these desks. */
      designated: z
        .strictObject({ desks: list(id, LIMITS.desksPerList, 'desks', { count: 1, message: 'expected at least one desk' }), atRing: z.int().min(2).optional() })
        .optional(),
    })
    .default(() => ({ answerBy: 3, tieMetres: 0.5, holdCheckSeconds: 120, businessHours: businessHours.parse({}) })),
  /** Lunch and absence cover: desks away by time of day. */
  schedules: list(schedule, LIMITS.schedules, 'schedules').default([]),
  /** Where Zigbee2MQTT is, for desks[].zigbee (README "Zigbee desks (Zigbee2MQTT)"). */
  zigbee2mqtt: zigbee2mqttSchema.prefault({}),
  /** An Asterisk / FreePBX PBX as a ring source, over AMI (README "Asterisk / FreePBX (AMI)"). */
  asterisk: asteriskSchema.optional(),
});

/** A loaded config: dataDir is always set (the config's, or the default; see load.ts). */
export type ThirdringConfig = Omit<z.infer<typeof configSchema>, 'dataDir'> & { dataDir: string };
