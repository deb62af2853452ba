import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Bridge } from '../../src/bridge/bridge.js';
import { composeBridge } from '../../src/bridge/compose.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { startPersistentMosquitto, subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';
import { hasTool, itWithTools } from '../system-tools.js';

// Home Assistant's device-based discovery, checked against the keys its documentation gives
// (home-assistant.io/integrations/mqtt "Device discovery payload", event.mqtt), on mosquitto.
const TOOLS = ['mosquitto'];
/** The platforms these devices use, each a documented MQTT platform. */
const PLATFORMS = new Set(['binary_sensor', 'sensor', 'event']);

type Discovery = {
  dev: { ids: string[]; name: string; via_device?: string };
  o: { name: string; sw?: string };
  availability: { topic: string; payload_available: string; payload_not_available: string }[];
  cmps: Record<string, Record<string, unknown> & { p: string; unique_id: string; default_entity_id: string; state_topic: string }>;
};

const office = (dataDir: string, url: string, desks: string) =>
  parseConfig(`
site: t
dataDir: ${dataDir}
mqtt: { url: "${url}", homeAssistant: { enabled: true } }
dashboard: { enabled: false }
desks: [${desks}]
lines: [{ id: front, name: Front desk, phone: { at: [0, 0] }, cadence: [300, 300] }]
`);

describe('Home Assistant discovery, device-based, on mosquitto', () => {
  let broker: Awaited<ReturnType<typeof startPersistentMosquitto>>;
  let bridge: Bridge;
  let sub: { client: mqtt.MqttClient; received: Received[] };
  const dataDir = tempDir('thirdring-ha-data-');

  async function startBridge(desks: string): Promise<void> {
    ({ bridge } = composeBridge(office(dataDir, broker.url, desks), { log: { write: () => {} } }));
    await bridge.start();
  }

  beforeAll(async () => {
    if (!TOOLS.every(hasTool)) return;
    broker = await startPersistentMosquitto(undefined, tempDir('thirdring-ha-broker-'));
    // What the bridge announced before device-based discovery: one retained config per entity.
    const old = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    await old.publishAsync('homeassistant/binary_sensor/thirdring_t/anna_presence/config', '{"name":"anna presence"}', { retain: true, qos: 1 });
    await old.endAsync();
    sub = await subscriber(broker.url, ['homeassistant/#', 'thirdring/t/bridge/ha/#']);
    await startBridge('{ id: anna, at: [1, 0] }, { id: Bram-2, name: Bram, at: [3, 0] }');
    await until('the announced list', () => sub.received.find((r) => r.topic === 'thirdring/t/bridge/ha/announced'));
  }, 20_000);

  afterAll(async () => {
    await bridge?.stop();
    await sub?.client.endAsync(true);
    await broker?.stop();
  });

  const configs = () => sub.received.filter((r) => r.topic.startsWith('homeassistant/device/'));
  const latest = (topic: string) => sub.received.filter((r) => r.topic === topic).at(-1);

  itWithTools(TOOLS, 'one retained device config per bridge, line and desk, with dev, o, availability and cmps as documented', () => {
    const topics = [...new Set(configs().map((r) => r.topic))].sort();
    expect(topics).toEqual([
      'homeassistant/device/thirdring_t/config',
      'homeassistant/device/thirdring_t_desk_Bram-2/config',
      'homeassistant/device/thirdring_t_desk_anna/config',
      'homeassistant/device/thirdring_t_line_front/config',
    ]);
    const uniqueIds = new Set<string>();
    // Retained: a live subscriber sees the flag cleared (MQTT 3.1.1), so the last test reads them afresh.
    for (const r of configs()) {
      const d = JSON.parse(r.payload) as Discovery;
      expect(Object.keys(d).sort()).toEqual(['availability', 'cmps', 'dev', 'o']);
      expect(d.dev.ids).toEqual([r.topic.split('/')[2]]);
      expect(d.dev.name).toEqual(expect.any(String));
      expect(d.o).toEqual({ name: 'thirdring', sw: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      expect(d.availability).toEqual([{ topic: 'thirdring/t/bridge/state', payload_available: 'online', payload_not_available: 'offline' }]);
      for (const [key, c] of Object.entries(d.cmps)) {
        expect(key).toMatch(/^[a-z_]+$/);
        expect(PLATFORMS.has(c.p)).toBe(true);
        expect(c.unique_id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(uniqueIds.has(c.unique_id)).toBe(false);
        uniqueIds.add(c.unique_id);
        expect(c.default_entity_id).toMatch(new RegExp(`^${c.p}\\.[a-z0-9_]+$`));
        expect(c).not.toHaveProperty('object_id');
        expect(c.state_topic).toMatch(/^thirdring\/t\//);
      }
    }
    const bram = JSON.parse(latest('homeassistant/device/thirdring_t_desk_Bram-2/config')!.payload) as Discovery;
    expect(bram.dev).toMatchObject({ name: 'Desk Bram', via_device: 'thirdring_t' });
    expect(bram.cmps.presence).toMatchObject({ p: 'binary_sensor', device_class: 'occupancy', state_topic: 'thirdring/t/desk/Bram-2', default_entity_id: 'binary_sensor.thirdring_t_desk_bram_2_presence' });
    expect(bram.cmps.alert).toMatchObject({ p: 'sensor', device_class: 'enum', options: ['yours', 'hold', 'nearby', 'everyone', 'callback', 'none'] });
    expect(bram.cmps.callbacks_owed).toMatchObject({ value_template: '{{ value_json.callbacksOwed }}' });
    const line = JSON.parse(latest('homeassistant/device/thirdring_t_line_front/config')!.payload) as Discovery;
    expect(Object.keys(line.cmps).sort()).toEqual(['answer_wait', 'ring', 'ringing']);
    expect(line.cmps.ringing).toMatchObject({ p: 'binary_sensor', device_class: 'sound', state_topic: 'thirdring/t/line/front' });
    expect(line.cmps.answer_wait).toMatchObject({ p: 'sensor', device_class: 'duration', unit_of_measurement: 's', state_topic: 'thirdring/t/bridge/ha/line/front' });
    const site = JSON.parse(latest('homeassistant/device/thirdring_t/config')!.payload) as Discovery;
    expect(site.cmps.call).toMatchObject({ p: 'event', event_types: ['answered', 'missed'], state_topic: 'thirdring/t/bridge/ha/call' });
    expect(site.cmps.service_level).toMatchObject({ p: 'sensor', unit_of_measurement: '%', state_topic: 'thirdring/t/bridge/ha/today' });
  });

  itWithTools(TOOLS, 'the first start clears the per-entity configs of before (an empty retained payload)', async () => {
    await until('the old presence config cleared', () => latest('homeassistant/binary_sensor/thirdring_t/anna_presence/config')?.payload === '');
  });

  itWithTools(TOOLS, 'Home Assistant\'s birth message (online on homeassistant/status) → everything announced again', async () => {
    const before = configs().length;
    await sub.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await until('announced again', () => configs().length >= before + 4);
  });

  itWithTools(TOOLS, 'an answered call → an answered event, the line\'s last answer wait and today\'s service level', async () => {
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    bridge.input({ type: 'hook', desk: 'anna', state: 'off' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    const event = await until('the call event', () => latest('thirdring/t/bridge/ha/call'));
    expect(event.retain).toBe(false);
    expect(JSON.parse(event.payload)).toMatchObject({ event_type: 'answered', line: 'front', rings: 1, desk: 'anna' });
    await until('the line\'s wait', () => latest('thirdring/t/bridge/ha/line/front'));
    expect(JSON.parse(latest('thirdring/t/bridge/ha/line/front')!.payload)).toEqual({ lastAnswerWaitSeconds: expect.any(Number) });
    await until('service level 100 %', () => JSON.parse(latest('thirdring/t/bridge/ha/today')?.payload ?? '{}').serviceLevel === 100);
    bridge.input({ type: 'hook', desk: 'anna', state: 'on' });
  });

  itWithTools(TOOLS, 'a desk removed from the config → its device config emptied (retained), the others announced', async () => {
    await bridge.stop();
    await startBridge('{ id: anna, at: [1, 0] }');
    await until('Bram-2 removed', () => latest('homeassistant/device/thirdring_t_desk_Bram-2/config')?.payload === '');
    const fresh = await subscriber(broker.url, ['homeassistant/device/+/config']);
    await until('the retained configs', () => fresh.received.length >= 3);
    expect(fresh.received.map((r) => r.topic).sort()).toEqual([
      'homeassistant/device/thirdring_t/config',
      'homeassistant/device/thirdring_t_desk_anna/config',
      'homeassistant/device/thirdring_t_line_front/config',
    ]);
    await fresh.client.endAsync(true);
  });
});
