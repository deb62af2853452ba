// What Zigbee2MQTT publishes, read defensively: every payload and every friendly name comes from the network.
// Facts from the Zigbee2MQTT documentation (github.com/Koenkk/zigbee2mqtt.io):
//  - guide/usage/mqtt_topics_and_messages.md: a device's state on <base>/<FRIENDLY_NAME> is "always in a JSON
//    format" (e.g. {"action":"single"}, {"occupancy":true}); <base>/bridge/devices is a retained JSON array of
//    { friendly_name, definition: { exposes } | null }.
//  - guide/configuration/device-availability.md: <base>/<FRIENDLY_NAME>/availability is retained, `online`/`offline`
//    in the (default) legacy mode, else {"state":"online"}/{"state":"offline"}.
//  - guide/usage/exposes.md: a light is { type: "light", features: [...] } with features named state, brightness,
//    color_xy, color_hs...; a device's `effect` is an enum expose ({ type: "enum", name: "effect", values }).

/** A device's state message: a button's press or a sensor's reading is a few hundred bytes. */
export const MAX_STATE_BYTES = 16 * 1024;
/** bridge/devices lists the whole network with every device's exposes: a few KB per device, hundreds of devices. */
export const MAX_DEVICES_BYTES = 16 * 1024 * 1024;
/** Action names are short words (single, double, hold, press_1…); a longer one is nobody's mapping. */
const MAX_ACTION_CHARS = 64;

export type Availability = 'online' | 'offline';

export function parseAvailability(payload: Buffer): Availability | null {
  if (payload.length > 64) return null;
  const text = payload.toString('utf8').trim();
  if (text === 'online' || text === 'offline') return text;
  const value = parseObject(payload);
  const state = value?.state;
  return state === 'online' || state === 'offline' ? state : null;
}

export interface DeviceState {
  /** A button's action (Zigbee2MQTT may also publish an empty one right after, which means nothing). */
  action: string | null;
  /** occupancy (PIR sensors) or presence (mmWave sensors), when the message has it. */
  occupied: boolean | null;
}

/** null: not a JSON object, or too large. */
export function parseDeviceState(payload: Buffer): DeviceState | null {
  if (payload.length > MAX_STATE_BYTES) return null;
  const value = parseObject(payload);
  if (!value) return null;
  const action = typeof value.action === 'string' && value.action.length > 0 && value.action.length <= MAX_ACTION_CHARS ? value.action : null;
  const occupied = typeof value.occupancy === 'boolean' ? value.occupancy : typeof value.presence === 'boolean' ? value.presence : null;
  return { action, occupied };
}

export interface LightAbility {
  /** In bridge/devices at all (with a definition: a supported device). */
  known: boolean;
  light: boolean;
  colour: boolean;
  brightness: boolean;
  /** The values of its `effect` enum; empty when it has none. */
  effects: string[];
}

/**
 * What each of `names` can do, from a bridge/devices payload; names not in it are `known: false`. Only the names
 * asked about are looked at, so what the network lists cannot grow anything here.
 */
export function lightAbilities(payload: Buffer, names: ReadonlySet<string>): Map<string, LightAbility> | null {
  if (payload.length > MAX_DEVICES_BYTES) return null;
  let devices: unknown;
  try {
    devices = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(devices)) return null;
  const found = new Map<string, LightAbility>();
  for (const device of devices as unknown[]) {
    if (!isObject(device) || typeof device.friendly_name !== 'string' || !names.has(device.friendly_name)) continue;
    const definition = isObject(device.definition) ? device.definition : null;
    const exposes = definition && Array.isArray(definition.exposes) ? (definition.exposes as unknown[]) : [];
    found.set(device.friendly_name, abilityOf(definition !== null, exposes));
  }
  for (const name of names) if (!found.has(name)) found.set(name, { known: false, light: false, colour: false, brightness: false, effects: [] });
  return found;
}

function abilityOf(known: boolean, exposes: unknown[]): LightAbility {
  const ability: LightAbility = { known, light: false, colour: false, brightness: false, effects: [] };
  for (const expose of exposes.slice(0, 256)) {
    if (!isObject(expose)) continue;
    if (expose.type === 'light' && Array.isArray(expose.features)) {
      ability.light = true;
      for (const feature of (expose.features as unknown[]).slice(0, 64)) {
        if (!isObject(feature)) continue;
        if (feature.name === 'color_xy' || feature.name === 'color_hs') ability.colour = true;
        if (feature.name === 'brightness') ability.brightness = true;
      }
    }
    if (expose.type === 'enum' && expose.name === 'effect' && Array.isArray(expose.values)) {
      ability.effects = (expose.values as unknown[]).filter((v): v is string => typeof v === 'string' && v.length <= MAX_ACTION_CHARS).slice(0, 64);
    }
  }
  return ability;
}

function parseObject(payload: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

// JSON.parse makes "__proto__" an own property, never the prototype; only fixed keys are ever read from these.
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
