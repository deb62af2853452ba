import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Zigbee2mqttSim } from '../../firmware-sim/zigbee2mqtt-sim.js';
import type { Bridge } from '../../src/bridge/bridge.js';
import { composeBridge, type BridgeFeatures } from '../../src/bridge/compose.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import type { Decision } from '../../src/core/index.js';
import { sleep, startPersistentMosquitto, tempDir, until } from '../mqtt-helpers.js';
import { hasTool, itWithTools } from '../system-tools.js';

// mosquitto, the Zigbee2MQTT stand-in (firmware-sim/zigbee2mqtt-sim.ts) and the real bridge from composeBridge.
const TOOLS = ['mosquitto'];
const MIN_INTERVAL_MS = 300;
const HOLD_OFF_MS = 600;

describe('Zigbee desks through a Zigbee2MQTT stand-in on mosquitto', () => {
  let broker: Awaited<ReturnType<typeof startPersistentMosquitto>>;
  let z2m: Zigbee2mqttSim;
  let bridge: Bridge;
  let features: BridgeFeatures;
  const decisions: Decision[] = [];
  const devices: DeviceEvent[] = [];
  const actions: { desk: string; action: string }[] = [];

  beforeAll(async () => {
    if (!TOOLS.every(hasTool)) return;
    broker = await startPersistentMosquitto(undefined, tempDir('thirdring-zigbee-broker-'));
    z2m = new Zigbee2mqttSim(broker.url, [
      { name: 'desk/anna light', kind: 'light', colour: true, effects: ['blink', 'breathe', 'okay', 'channel_change', 'finish_effect', 'stop_effect'] },
      { name: 'anna-button', kind: 'button', actions: ['single', 'double', 'hold'] },
      { name: 'anna-siren', kind: 'siren' },
      { name: 'anna-presence', kind: 'presence', property: 'presence' },
      { name: 'bram-light', kind: 'light', colour: true, effects: ['blink', 'breathe'] },
      { name: 'chloe-plain', kind: 'light', colour: false, effects: [] },
    ]);
    await z2m.start();
    const config = parseConfig(`
site: t
dataDir: ${tempDir('thirdring-zigbee-data-')}
mqtt: { url: "${broker.url}" }
dashboard: { enabled: false }
desks:
  - { id: anna, at: [1, 0], zigbee: { light: "desk/anna light", button: anna-button, siren: anna-siren, presence: anna-presence } }
  - { id: bram, at: [3, 0], zigbee: { light: bram-light } }
  - { id: chloe, at: [9, 0], zigbee: { light: chloe-plain, presence: not-in-the-network } }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: [300, 300] }]
rules: { escalation: [{ atRing: 2, buzzer: chirp, nearest: 1 }] }
zigbee2mqtt: { light: { minIntervalMs: ${MIN_INTERVAL_MS} }, presence: { holdOffSeconds: ${HOLD_OFF_MS / 1000} } }
`);
    ({ bridge, features } = composeBridge(config, { log: { write: () => {} } }));
    bridge.on('decision', (d) => decisions.push(d));
    bridge.on('device', (e) => devices.push(e));
    bridge.on('deskAction', (a) => actions.push(a));
    await bridge.start();
    await until('the lights checked against bridge/devices', () => devices.some((e) => e.type === 'fault' && e.reason === 'light-no-colour'));
  }, 20_000);

  afterAll(async () => {
    await bridge?.stop();
    await z2m?.stop();
    await broker?.stop();
  });

  let ringOnAt = 0;
  const ring = (state: 'on' | 'off') => {
    if (state === 'on') ringOnAt = performance.now();
    bridge.input({ type: 'ring', line: 'front', state });
  };
  const lastSet = (name: string) => z2m.setsOf(name).at(-1)?.payload;

  itWithTools(TOOLS, 'at start, bridge/devices exposes are checked: a light without colour or effect is said so', () => {
    const faults = devices.filter((e): e is Extract<DeviceEvent, { type: 'fault' }> => e.type === 'fault' && e.device === 'chloe-plain');
    expect(faults.map((f) => f.reason).sort()).toEqual(['light-no-colour', 'light-no-effect']);
    expect(faults.find((f) => f.reason === 'light-no-colour')!.detail).toContain('cannot take colour');
    expect(faults.find((f) => f.reason === 'light-no-effect')!.detail).toMatch(/no effect blink, breathe: those patterns are shown solid/);
    expect(devices.some((e) => e.type === 'device' && e.family === 'zigbee' && e.device === 'desk/anna light' && e.state === 'online')).toBe(true);
    // A light Zigbee2MQTT lists with colour and effects is not mentioned.
    expect(devices.some((e) => e.type === 'fault' && e.device === 'desk/anna light')).toBe(false);
  });

  itWithTools(TOOLS, 'ring → the assigned desk\'s light gets blue + blink within the rate limit; the state echo has no effect', async () => {
    const before = z2m.setsOf('desk/anna light').length;
    const at = performance.now();
    ring('on');
    const set = await until('a set at anna\'s light', () => z2m.setsOf('desk/anna light')[before]);
    expect(set.payload).toEqual({ state: 'ON', brightness: 254, color: { hex: '#0000FF' }, effect: 'blink' });
    expect(set.at - at).toBeLessThan(MIN_INTERVAL_MS);
    await until('the light\'s state echoed', () => z2m.stateOf('desk/anna light')?.state === 'ON');
    expect(z2m.stateOf('desk/anna light')).not.toHaveProperty('effect');
  });

  itWithTools(TOOLS, 'button single while lit → an ack from anna; the second ring re-arms the blink and chirps the siren', async () => {
    ring('off');
    await z2m.press('anna-button', 'single');
    await until('anna\'s ack', () => actions.find((a) => a.desk === 'anna'));
    const sets = z2m.setsOf('desk/anna light').length;
    // The line's cadence is 300 ms on, 300 off: the next burst is ring 2.
    await sleep(Math.max(0, ringOnAt + 600 - performance.now()));
    ring('on');
    await until('ring 2', () => decisions.some((d) => d.type === 'ring' && d.ring === 2));
    await until('the blink re-armed', () => z2m.setsOf('desk/anna light').length > sets);
    expect(lastSet('desk/anna light')).toMatchObject({ effect: 'blink' });
    await until('the siren chirps', () => lastSet('anna-siren'));
    expect(lastSet('anna-siren')).toEqual({ warning: { mode: 'emergency', level: 'low', strobe: false, duration: 1 } });
    // Escalated to the next nearest: bram's light, amber slow blink as breathe.
    await until('bram lit', () => lastSet('bram-light'));
    expect(lastSet('bram-light')).toEqual({ state: 'ON', brightness: 254, color: { hex: '#FFB000' }, effect: 'breathe' });
    bridge.input({ type: 'hook', desk: 'anna', state: 'off' });
    ring('off');
    bridge.input({ type: 'hook', desk: 'anna', state: 'on' });
    await until('anna\'s light off', () => lastSet('desk/anna light')?.state === 'OFF');
    // Every set to one device at least the rate limit apart.
    const gaps = z2m.setsOf('desk/anna light').slice(1).map((s, i) => s.at - z2m.setsOf('desk/anna light')[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS - 15);
    expect(features.zigbee.desks!.sentTo('anna').shortestGapMs).toBeGreaterThanOrEqual(MIN_INTERVAL_MS - 1);
  });

  itWithTools(TOOLS, 'presence: unoccupied shorter than the hold-off keeps the desk; longer → away and not assigned', async () => {
    await z2m.occupancy('anna-presence', false);
    await sleep(HOLD_OFF_MS / 2);
    await z2m.occupancy('anna-presence', true);
    await z2m.occupancy('anna-presence', false);
    await sleep(HOLD_OFF_MS * 0.7);
    expect(bridge.deskStatus('anna').presence).toBe('present');
    await until('anna away after the hold-off', () => bridge.deskStatus('anna').presence === 'away');
    const from = decisions.length;
    ring('on');
    const assign = await until('the call assigned', () => decisions.slice(from).find((d) => d.type === 'assign'));
    expect(assign).toMatchObject({ desk: 'bram' });
    ring('off');
    bridge.input({ type: 'hook', desk: 'bram', state: 'off' });
    bridge.input({ type: 'hook', desk: 'bram', state: 'on' });
    await z2m.occupancy('anna-presence', true);
    await until('anna present again', () => bridge.deskStatus('anna').presence === 'present');
  });

  itWithTools(TOOLS, 'presence sensor offline → a fault and an offline event, and the desk is not sent away', async () => {
    await z2m.occupancy('anna-presence', false);
    await sleep(50);
    await z2m.setAvailability('anna-presence', 'offline');
    const fault = await until('presence unknown', () => devices.find((e) => e.type === 'fault' && e.reason === 'presence-unknown'));
    expect(fault).toMatchObject({ family: 'zigbee', device: 'anna-presence', detail: "anna's presence sensor \"anna-presence\" is offline: presence unknown, anna keeps its presence" });
    expect(devices.some((e) => e.type === 'device' && e.device === 'anna-presence' && e.state === 'offline')).toBe(true);
    await sleep(HOLD_OFF_MS + 200);
    expect(bridge.deskStatus('anna').presence).toBe('present');
    await z2m.setAvailability('anna-presence', 'online');
  });

  itWithTools(TOOLS, 'button hold toggles presence; an action nobody mapped does nothing', async () => {
    await z2m.press('anna-button', 'triple');
    await z2m.press('anna-button', 'hold');
    await until('anna away by her button', () => bridge.deskStatus('anna').presence === 'away');
    await z2m.press('anna-button', 'hold');
    await until('anna back', () => bridge.deskStatus('anna').presence === 'present');
  });
});
