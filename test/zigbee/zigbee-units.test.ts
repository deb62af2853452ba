import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/bridge/config/load.js';
import { FULL_ABILITY, lightShow, type LightPlanOptions } from '../../src/devices/zigbee2mqtt/light-plan.js';
import { DeviceThrottle } from '../../src/devices/zigbee2mqtt/throttle.js';
import { lightAbilities, parseAvailability, parseDeviceState } from '../../src/devices/zigbee2mqtt/z2m-payloads.js';
import { configProblems } from '../helpers.js';

const b = (text: string) => Buffer.from(text);
const options: LightPlanOptions = { mode: 'effect', brightness: 200, transition: 0, effects: { 'fast-blink': 'blink', 'slow-blink': 'breathe', pulse: 'breathe' } };

describe('Zigbee2MQTT payloads, read defensively', () => {
  it('availability: the legacy plain online/offline and the JSON {"state": …}; anything else is null', () => {
    expect(parseAvailability(b('online'))).toBe('online');
    expect(parseAvailability(b('offline'))).toBe('offline');
    expect(parseAvailability(b('{"state":"online"}'))).toBe('online');
    expect(parseAvailability(b('{"state":"offline"}'))).toBe('offline');
    expect(parseAvailability(b('{"state":"asleep"}'))).toBeNull();
    expect(parseAvailability(b('{"__proto__":{"state":"online"}}'))).toBeNull();
    expect(parseAvailability(b(`{"state":"online","pad":"${'x'.repeat(100)}"}`))).toBeNull();
  });

  it('state: action and occupancy / presence; not an object, too long an action or over 16 KiB → nothing', () => {
    expect(parseDeviceState(b('{"action":"single","battery":97}'))).toEqual({ action: 'single', occupied: null });
    expect(parseDeviceState(b('{"action":""}'))).toEqual({ action: null, occupied: null });
    expect(parseDeviceState(b('{"occupancy":false}'))).toEqual({ action: null, occupied: false });
    expect(parseDeviceState(b('{"presence":true}'))).toEqual({ action: null, occupied: true });
    expect(parseDeviceState(b('{"occupancy":"yes"}'))).toEqual({ action: null, occupied: null });
    expect(parseDeviceState(b(`{"action":"${'a'.repeat(65)}"}`))!.action).toBeNull();
    expect(parseDeviceState(b('[1,2]'))).toBeNull();
    expect(parseDeviceState(b('not json'))).toBeNull();
    expect(parseDeviceState(b(`{"action":"single","x":"${'x'.repeat(17 * 1024)}"}`))).toBeNull();
  });

  it('bridge/devices: only the names asked about; a name not listed is unknown; __proto__ as a friendly name is just a name', () => {
    const devices = JSON.stringify([
      { friendly_name: 'bulb', definition: { exposes: [{ type: 'light', features: [{ name: 'state' }, { name: 'brightness' }, { name: 'color_xy' }] }, { type: 'enum', name: 'effect', values: ['blink', 'breathe', 7] }] } },
      { friendly_name: 'plug', definition: { exposes: [{ type: 'switch', features: [{ name: 'state' }] }] } },
      { friendly_name: 'unsupported', definition: null },
      { friendly_name: '__proto__', definition: { exposes: [{ type: 'light', features: [] }] } },
      { friendly_name: 'someone-else', definition: { exposes: [] } },
    ]);
    const found = lightAbilities(b(devices), new Set(['bulb', 'plug', 'unsupported', 'missing', '__proto__']))!;
    expect([...found.keys()].sort()).toEqual(['__proto__', 'bulb', 'missing', 'plug', 'unsupported']);
    expect(found.get('bulb')).toEqual({ known: true, light: true, colour: true, brightness: true, effects: ['blink', 'breathe'] });
    expect(found.get('plug')).toMatchObject({ known: true, light: false });
    expect(found.get('unsupported')).toMatchObject({ known: false });
    expect(found.get('missing')).toMatchObject({ known: false });
    expect(found.get('__proto__')).toMatchObject({ known: true, light: true, colour: false });
    expect(({} as Record<string, unknown>).known).toBeUndefined();
    expect(lightAbilities(b('{"not":"a list"}'), new Set(['bulb']))).toBeNull();
  });
});

describe('what a light is sent', () => {
  it('the desk contract: yours blue + blink, hold blue solid, nearby amber + breathe, everyone white + breathe, none off', () => {
    expect(lightShow({ color: 'blue', pattern: 'fast-blink' }, options, FULL_ABILITY).on).toEqual({ state: 'ON', brightness: 200, color: { hex: '#0000FF' }, effect: 'blink' });
    expect(lightShow({ color: 'blue', pattern: 'solid' }, options, FULL_ABILITY).on).toEqual({ state: 'ON', brightness: 200, color: { hex: '#0000FF' } });
    expect(lightShow({ color: 'amber', pattern: 'slow-blink' }, options, FULL_ABILITY)).toEqual({ on: { state: 'ON', brightness: 200, color: { hex: '#FFB000' }, effect: 'breathe' }, effect: 'breathe' });
    expect(lightShow({ color: 'white', pattern: 'pulse' }, { ...options, transition: 0.5 }, FULL_ABILITY).on).toEqual({ state: 'ON', brightness: 200, color: { hex: '#FFFFFF' }, transition: 0.5, effect: 'breathe' });
    expect(lightShow({ color: 'off', pattern: 'off' }, options, FULL_ABILITY).on).toEqual({ state: 'OFF' });
  });

  it('a light without colour or the effect gets neither; timed and solid modes send no effect', () => {
    const plain = { known: true, light: true, colour: false, brightness: false, effects: [] };
    expect(lightShow({ color: 'blue', pattern: 'fast-blink' }, options, plain)).toEqual({ on: { state: 'ON' }, effect: null });
    expect(lightShow({ color: 'blue', pattern: 'fast-blink' }, { ...options, mode: 'timed' }, FULL_ABILITY).effect).toBeNull();
    expect(lightShow({ color: 'blue', pattern: 'fast-blink' }, { ...options, mode: 'solid' }, FULL_ABILITY).on).not.toHaveProperty('effect');
  });

  it('the rate limit: one message per interval, a newer one replaces a waiting one', async () => {
    const sent: string[] = [];
    const throttle = new DeviceThrottle(100, (p) => sent.push(p));
    throttle.send('a');
    throttle.send('b');
    throttle.send('c');
    expect(sent).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 130));
    expect(sent).toEqual(['a', 'c']);
    expect(throttle.coalesced).toBe(1);
    expect(throttle.shortestGapMs).toBeGreaterThanOrEqual(99);
    throttle.stop();
  });
});

describe('the zigbee config', () => {
  const office = (desks: string, extra = '') => `
site: t
desks: [${desks}]
lines: [{ id: front, phone: { at: [0, 0] } }]
${extra}`;

  it('defaults: base topic zigbee2mqtt on the bridge\'s broker, effects, actions, a 5-minute hold-off', () => {
    const config = parseConfig(office('{ id: a, at: [0, 0], zigbee: { light: "room/a light" } }'));
    expect(config.zigbee2mqtt).toMatchObject({
      baseTopic: 'zigbee2mqtt',
      light: { mode: 'effect', minIntervalMs: 500, effects: { 'fast-blink': 'blink', 'slow-blink': 'breathe', pulse: 'breathe' } },
      buttonActions: { single: 'ack', double: 'cover', hold: 'presence' },
      presence: { holdOffSeconds: 300 },
    });
    expect(config.zigbee2mqtt.url).toBeUndefined();
  });

  it('the README\'s example (Zigbee desks) is a valid config, and its zigbee2mqtt block says the defaults', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Zigbee desks (Zigbee2MQTT)'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const config = parseConfig(`site: t\n${yaml}lines: [{ id: front, phone: { at: [0, 0] } }]\n`);
    expect(config.desks[0]!.zigbee).toEqual({ light: 'office/anna lamp', button: 'anna-button', siren: 'anna-siren', presence: 'anna-mmwave' });
    expect(config.zigbee2mqtt).toEqual(parseConfig(office('{ id: a, at: [0, 0] }')).zigbee2mqtt);
  });

  it('refuses wildcards and Zigbee2MQTT\'s own levels in friendly names, one device shared by two desks in one role, a lone username', () => {
    expect(configProblems(office('{ id: a, at: [0, 0], zigbee: { light: "a/#" } }'))).toEqual([expect.stringContaining('desks[0].zigbee.light: expected a Zigbee2MQTT friendly name')]);
    expect(configProblems(office('{ id: a, at: [0, 0], zigbee: { button: "a/set" } }'))).toEqual([expect.stringContaining('cannot contain set, get or availability')]);
    expect(configProblems(office('{ id: a, at: [0, 0], zigbee: {} }'))).toEqual([expect.stringContaining('expected at least one of light, button, siren, presence')]);
    expect(configProblems(office('{ id: a, at: [0, 0], zigbee: { light: l } }, { id: b, at: [1, 0], zigbee: { light: l } }'))).toEqual([
      expect.stringContaining('desks[1].zigbee.light: "l" is already desk "a"\'s light'),
    ]);
    expect(configProblems(office('{ id: a, at: [0, 0], zigbee: { light: l } }', 'zigbee2mqtt: { url: "mqtt://z2m:1883", username: z }'))).toEqual([
      expect.stringContaining('zigbee2mqtt: expected both username and password'),
    ]);
  });
});
