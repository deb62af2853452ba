import { IANAZone } from 'luxon';
import { z } from 'zod';
import { boardsConfigSchema, deskIndicatorSchema } from '../../devices/desk-board/config.js';
import { NATIONAL_CADENCES } from '../core/national-cadences.js';

// The config file's shape (DESIGN.md "Config"). Cross-references (desk ids in phone.desks, unique ids) are
// checked in validate.ts, where the whole file is known.

const id = z
  .string({ error: 'expected an id (letters, digits, - and _)' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _); it is used in MQTT topics');

const point = z.custom<[number, number]>(
  (v) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n)),
  { error: 'expected [x, y]' },
);

const countryCode = z
  .string()
  .refine((code) => code.toLowerCase() === 'auto' || code.toUpperCase() in NATIONAL_CADENCES, {
    error: (issue) =>
      `unknown cadence "${String(issue.input)}": use auto, a country code (${Object.keys(NATIONAL_CADENCES).sort().join(', ')}) or [on, off, ...] in ms`,
  });

const explicitCadence = z
  .array(z.number({ error: 'expected milliseconds' }).positive('expected a duration > 0 ms').max(60_000, 'expected at most 60000 ms'))
  .refine((list) => list.length >= 2 && list.length % 2 === 0, 'expected [on, off, ...]: pairs of burst and silence durations');

const phone = z
  .strictObject({ at: point.optional(), desks: z.array(id).min(1, 'expected at least one desk').optional() })
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
  withinMetres: z.number().positive().optional(),
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "08:30" (24-hour)');
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const weekdays = z.array(z.enum(WEEKDAYS, { error: `expected a day: ${WEEKDAYS.join(', ')}` })).min(1, 'expected at least one day');
const WORKING_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/** When the office is open: callbacks fall due after one business day of this. */
const businessHours = z
  .strictObject({
    days: weekdays.default([...WORKING_DAYS]),
    open: clockTime.default('09:00'),
    close: clockTime.default('17:30'),
    /** Closed all day (public holidays). */
    holidays: z.array(z.iso.date({ error: 'expected a date like 2026-12-25' })).default([]),
  })
  .refine((h) => h.open < h.close, 'expected open before close');

/** Desks that are away on a timetable (lunch cover): away between `away[0]` and `away[1]` on `days`. */
const schedule = z.strictObject({
  name: id,
  desks: z.array(id).min(1, 'expected at least one desk'),
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
  readers: z.array(credentials).default([]),
  homeAssistant: z.strictObject({ enabled: z.boolean().default(false), prefix: z.string().default('homeassistant') }).default({ enabled: false, prefix: 'homeassistant' }),
  /** Log messages wait on disk while the broker is unreachable; past `maxMessages` the oldest are dropped (and counted). */
  outbox: z.strictObject({ maxMessages: z.int().min(100).default(100_000) }).default({ maxMessages: 100_000 }),
});

export const configSchema = z.strictObject({
  site: z.string({ error: 'expected a site name' }).regex(/^[a-z0-9-]+$/, 'expected [a-z0-9-]+ (it is used in MQTT topics)'),
  /** The office's time zone, for business hours and schedules (default: this machine's). */
  timezone: timeZone.default(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
  mqtt: mqtt.default(mqtt.parse({})),
  /** Arduinos running StandardFirmata that drive desks' indicators directly (desks[].indicator). */
  boards: boardsConfigSchema,
  /** The live floor page, served read-only by the bridge. */
  dashboard: z
    .strictObject({ enabled: z.boolean().default(true), host: z.string().default('127.0.0.1'), port: z.int().min(0).max(65535).default(8080) })
    .default({ enabled: true, host: '127.0.0.1', port: 8080 }),
  /** Where the bridge keeps its state (the MQTT outbox, the ring log); relative paths are relative to the config file. */
  dataDir: z.string().default('thirdring-data'),
  /** The ring log recorder run inside the bridge (`thirdring record` runs it on its own). database: relative to dataDir. */
  recorder: z
    .strictObject({ enabled: z.boolean().default(false), database: z.string().min(1).default('ring-log.sqlite') })
    .default({ enabled: false, database: 'ring-log.sqlite' }),
  desks: z
    .array(
      z.strictObject({
        id,
        at: point,
        name: z.string().optional(),
        headset: headset.optional(),
        /** LED, buzzer and button wired to a johnny-five (Firmata) desk board. */
        indicator: deskIndicatorSchema.optional(),
        /** The desk unit's MQTT password (user name `desk-<id>`), required when the embedded broker listens beyond loopback. */
        unit: z.strictObject({ password: z.string().min(8, 'expected a password of at least 8 characters') }).optional(),
        /** This desk's cover button (desk unit double press, desk board long press) takes over that desk's calls, or gives them back. */
        coverFor: id.optional(),
      }),
    )
    .min(1, 'expected at least one desk'),
  lines: z
    .array(
      z.strictObject({
        id,
        name: z.string().optional(),
        phone,
        cadence: z.union([countryCode, explicitCadence], { error: 'expected auto, a country code or [on, off, ...] in ms' }).default('auto'),
        sensor: serialSensor.optional(),
        /** Always answered: past the floor's last chance it goes to rules.designated.desks (and a log alert). */
        designated: z.boolean().default(false),
      }),
    )
    .min(1, 'expected at least one line'),
  rules: z
    .strictObject({
      answerBy: z.int().min(2, 'expected a ring number ≥ 2').max(20).default(3),
      tieMetres: z.number().min(0).default(0.5),
      escalation: z.array(escalationStep).optional(),
      /** Check back with a caller on hold this often (seconds): a reminder at the desk each time. */
      holdCheckSeconds: z.int().min(10).max(3600).default(120),
      businessHours: businessHours.default(businessHours.parse({})),
      /** Designated lines: from ring `atRing` (default answerBy + 1) the call also goes to these desks. */
      designated: z.strictObject({ desks: z.array(id).min(1, 'expected at least one desk'), atRing: z.int().min(2).optional() }).optional(),
    })
    .default(() => ({ answerBy: 3, tieMetres: 0.5, holdCheckSeconds: 120, businessHours: businessHours.parse({}) })),
  /** Lunch and absence cover: desks away by time of day. */
  schedules: z.array(schedule).default([]),
});

export type ThirdringConfig = z.infer<typeof configSchema>;
