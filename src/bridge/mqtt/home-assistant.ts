import type { ThirdringConfig } from '../config/schema.js';
import type { Topics } from './topics.js';

/** Home Assistant MQTT discovery: per line a "ringing" binary sensor and a ring-count sensor; per desk presence. */
export function discoveryMessages(config: ThirdringConfig, topics: Topics): { topic: string; payload: string }[] {
  const { site } = config;
  const prefix = config.mqtt.homeAssistant.prefix;
  const device = { identifiers: [`thirdring_${site}`], name: `thirdring ${site}`, manufacturer: 'thirdring', model: 'bridge' };
  const common = { availability_topic: topics.bridgeState, payload_available: 'online', payload_not_available: 'offline', device };
  const entry = (component: string, objectId: string, config: object) => ({
    topic: `${prefix}/${component}/thirdring_${site}/${objectId}/config`,
    payload: JSON.stringify({ ...config, unique_id: `thirdring_${site}_${objectId}`, object_id: `thirdring_${site}_${objectId}`, ...common }),
  });
  return [
    ...config.lines.flatMap((line) => [
      entry('binary_sensor', `${line.id}_ringing`, {
        name: `${line.name ?? line.id} ringing`,
        state_topic: topics.line(line.id),
        value_template: "{{ 'ON' if value_json.state == 'ringing' else 'OFF' }}",
        device_class: 'sound',
      }),
      entry('sensor', `${line.id}_ring`, {
        name: `${line.name ?? line.id} ring count`,
        state_topic: topics.line(line.id),
        value_template: '{{ value_json.ring }}',
        icon: 'mdi:phone-ring',
      }),
    ]),
    ...config.desks.map((desk) =>
      entry('binary_sensor', `${desk.id}_presence`, {
        name: `${desk.name ?? desk.id} presence`,
        state_topic: topics.desk(desk.id),
        value_template: "{{ 'ON' if value_json.presence == 'present' else 'OFF' }}",
        device_class: 'occupancy',
      }),
    ),
  ];
}
