import type { ThirdringConfig } from '../config/schema.js';
import type { Topics } from './topics.js';

// Home Assistant MQTT discovery, device-based (home-assistant.io/integrations/mqtt, "Device discovery payload"):
// one retained config per device on <prefix>/device/<object_id>/config with the shared `device` (`dev`) and
// `origin` (`o`) mappings and shared availability at the root, and each entity under `cmps` with its platform `p`
// and a `unique_id` (required with device-based discovery). An empty retained payload on that topic removes the
// device's components. `default_entity_id` ("<domain>.<id>") replaces `object_id`, deprecated since HA 2025.10
// and ignored from 2026.4 (the warning HA logs: home-assistant/addons#4240). The `event` platform
// (home-assistant.io/integrations/event.mqtt) takes a JSON state whose `event_type` is one of `event_types`.

/** The topics the bridge publishes for Home Assistant next to its own state (under bridge/, which only it may publish). */
export function homeAssistantTopics(topics: Topics) {
  const ha = `${topics.base}/bridge/ha`;
  return {
    /** Today's numbers, retained: { serviceLevel, calls, answeredOnTime, answeredLate, missed }. */
    today: `${ha}/today`,
    /** One line's last answered call, retained: { lastAnswerWaitSeconds }. */
    line: (line: string) => `${ha}/line/${line}`,
    /** Each answered or missed call, not retained: { event_type, line, rings, waitSeconds, desk }. */
    call: `${ha}/call`,
    /** Which devices the bridge announced last time, retained, so those no longer in the config can be removed. */
    announced: `${ha}/announced`,
  };
}

export interface DiscoveryDevice {
  objectId: string;
  payload: string;
}

const ALERTS = ['yours', 'hold', 'nearby', 'everyone', 'callback', 'none'];

/** Entity ids are lower-case letters, digits and _ (config ids may have - and capitals). */
const entityPart = (id: string) => id.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** Every device the config has for Home Assistant: the bridge itself, each line, each desk. */
export function discoveryDevices(config: ThirdringConfig, topics: Topics, version: string): DiscoveryDevice[] {
  const { site } = config;
  const ha = homeAssistantTopics(topics);
  const bridgeId = `thirdring_${site}`;
  const origin = { name: 'thirdring', sw: version };
  const availability = [{ topic: topics.bridgeState, payload_available: 'online', payload_not_available: 'offline' }];
  const component = (objectId: string, key: string, platform: string, fields: object) => {
    const id = `${objectId}_${key}`;
    return [key, { p: platform, unique_id: id, default_entity_id: `${platform}.${entityPart(id)}`, ...fields }] as const;
  };
  const device = (objectId: string, dev: object, cmps: (readonly [string, object])[]): DiscoveryDevice => ({
    objectId,
    payload: JSON.stringify({ dev: { ids: [objectId], ...dev }, o: origin, availability, cmps: Object.fromEntries(cmps) }),
  });
  const via = { via_device: bridgeId, mf: 'thirdring' };
  return [
    device(bridgeId, { name: `thirdring ${site}`, mf: 'thirdring', mdl: 'bridge', sw: version }, [
      component(bridgeId, 'service_level', 'sensor', {
        name: 'Service level today',
        state_topic: ha.today,
        value_template: '{{ value_json.serviceLevel }}',
        unit_of_measurement: '%',
        state_class: 'measurement',
        icon: 'mdi:phone-check',
      }),
      component(bridgeId, 'calls_today', 'sensor', { name: 'Calls today', state_topic: ha.today, value_template: '{{ value_json.calls }}', state_class: 'total' }),
      component(bridgeId, 'missed_today', 'sensor', { name: 'Missed calls today', state_topic: ha.today, value_template: '{{ value_json.missed }}', state_class: 'total' }),
      component(bridgeId, 'call', 'event', { name: 'Call', state_topic: ha.call, event_types: ['answered', 'missed'], icon: 'mdi:phone-incoming' }),
    ]),
    ...config.lines.map((line) => {
      const objectId = `${bridgeId}_line_${line.id}`;
      return device(objectId, { name: `Line ${line.name ?? line.id}`, mdl: 'phone line', ...via }, [
        component(objectId, 'ringing', 'binary_sensor', {
          name: 'Ringing',
          state_topic: topics.line(line.id),
          value_template: "{{ 'ON' if value_json.state == 'ringing' else 'OFF' }}",
          device_class: 'sound',
        }),
        component(objectId, 'ring', 'sensor', { name: 'Ring count', state_topic: topics.line(line.id), value_template: '{{ value_json.ring }}', icon: 'mdi:phone-ring' }),
        component(objectId, 'answer_wait', 'sensor', {
          name: 'Last answer wait',
          state_topic: ha.line(line.id),
          value_template: '{{ value_json.lastAnswerWaitSeconds }}',
          unit_of_measurement: 's',
          device_class: 'duration',
        }),
      ]);
    }),
    ...config.desks.map((desk) => {
      const objectId = `${bridgeId}_desk_${desk.id}`;
      return device(objectId, { name: `Desk ${desk.name ?? desk.id}`, mdl: 'desk', ...via }, [
        component(objectId, 'presence', 'binary_sensor', {
          name: 'Presence',
          state_topic: topics.desk(desk.id),
          value_template: "{{ 'ON' if value_json.presence == 'present' else 'OFF' }}",
          device_class: 'occupancy',
        }),
        component(objectId, 'alert', 'sensor', { name: 'Alert', state_topic: topics.desk(desk.id), value_template: '{{ value_json.alert }}', device_class: 'enum', options: ALERTS }),
        component(objectId, 'callbacks_owed', 'sensor', { name: 'Callbacks owed', state_topic: topics.desk(desk.id), value_template: '{{ value_json.callbacksOwed }}', icon: 'mdi:phone-return' }),
      ]);
    }),
  ];
}

export const discoveryTopic = (prefix: string, objectId: string) => `${prefix}/device/${objectId}/config`;

/** Before device-based discovery the bridge announced one topic per entity; these are cleared once. */
export function singleComponentTopics(config: ThirdringConfig): string[] {
  const { prefix } = config.mqtt.homeAssistant;
  const node = `thirdring_${config.site}`;
  return [
    ...config.lines.flatMap((line) => [`${prefix}/binary_sensor/${node}/${line.id}_ringing/config`, `${prefix}/sensor/${node}/${line.id}_ring/config`]),
    ...config.desks.map((desk) => `${prefix}/binary_sensor/${node}/${desk.id}_presence/config`),
  ];
}
