import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Zigbee2mqttSim } from '../../firmware-sim/zigbee2mqtt-sim.js';
import { ZigbeeDesks } from '../../src/devices/zigbee2mqtt/zigbee-desks.js';
import { sleep, startPersistentMosquitto, tempDir, until } from '../mqtt-helpers.js';
import { hasTool, itWithTools } from '../system-tools.js';

// light.mode timed: the driver switches a light on and off itself, no faster than the rate limit.
const TOOLS = ['mosquitto'];

describe('timed blinking on a Zigbee2MQTT light (legacy availability payloads)', () => {
  let broker: Awaited<ReturnType<typeof startPersistentMosquitto>>;
  let z2m: Zigbee2mqttSim;
  let desks: ZigbeeDesks;
  const events: string[] = [];

  beforeAll(async () => {
    if (!TOOLS.every(hasTool)) return;
    broker = await startPersistentMosquitto(undefined, tempDir('thirdring-zigbee-timed-'));
    z2m = new Zigbee2mqttSim(broker.url, [{ name: 'lamp', kind: 'light', colour: true, effects: [] }], { legacyAvailability: true });
    await z2m.start();
    desks = new ZigbeeDesks({
      url: broker.url,
      connect: {},
      clientId: 'thirdring-bridge-timed-test',
      baseTopic: 'zigbee2mqtt',
      desks: [{ desk: 'anna', light: 'lamp' }],
      light: { mode: 'timed', brightness: 100, transition: 0, minIntervalMs: 200, effects: { 'fast-blink': 'blink', 'slow-blink': 'breathe', pulse: 'breathe' } },
      buttonActions: new Map(),
      siren: { chirp: { mode: 'emergency', level: 'low', strobe: false, duration: 1 }, ring: { mode: 'emergency', level: 'medium', strobe: false, duration: 2 } },
      presence: { holdOffMs: 1000, staleMs: null },
    });
    desks.on('device', (e) => events.push(e.type === 'device' ? `${e.device} ${e.state}` : `${e.device} ${e.reason}`));
    desks.start();
    await until('the lamp online (plain "online")', () => events.includes('lamp online'));
  }, 20_000);

  afterAll(async () => {
    await desks?.stop();
    await z2m?.stop();
    await broker?.stop();
  });

  itWithTools(TOOLS, 'fast blink → ON/OFF sets alternating at the rate limit; none → OFF and no more', async () => {
    // A light without effects in timed mode: no "no effect" fault, since no effect is asked for.
    expect(events.filter((e) => e.endsWith('light-no-effect'))).toEqual([]);
    desks.indicate({ t: 0, type: 'indicate', desk: 'anna', alert: 'yours', line: 'front', led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' } });
    await sleep(1100);
    desks.indicate({ t: 0, type: 'indicate', desk: 'anna', alert: 'none', line: null, led: { color: 'off', pattern: 'off' }, buzzer: { pattern: 'off' } });
    await sleep(450);
    const sets = z2m.setsOf('lamp');
    const states = sets.map((s) => s.payload.state);
    expect(states[0]).toBe('ON');
    expect(sets[0]!.payload).toEqual({ state: 'ON', brightness: 100, color: { hex: '#0000FF' } });
    expect(states.slice(0, 5)).toEqual(['ON', 'OFF', 'ON', 'OFF', 'ON']);
    expect(states.at(-1)).toBe('OFF');
    const gaps = sets.slice(1).map((s, i) => s.at - sets[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(185);
    const count = sets.length;
    await sleep(500);
    expect(z2m.setsOf('lamp').length).toBe(count);
  });
});
