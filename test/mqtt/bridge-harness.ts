import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';

export const officeYaml = (mqttBlock: string, units: { anna?: string; bram?: string } = {}) => `
site: t
desks:
  - { id: anna, at: [1, 0]${units.anna ? `, unit: { password: ${units.anna} }` : ''} }
  - { id: bram, at: [3, 0]${units.bram ? `, unit: { password: ${units.bram} }` : ''} }
  - { id: chloe, at: [6, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl }
mqtt: ${mqttBlock}
`;

/** A bridge with only the MQTT feature, its state in `dataDir`. */
export async function startMqttBridge(yaml: string, dataDir: string) {
  const bridge = new Bridge({ ...parseConfig(yaml), dataDir });
  const mqtt = new MqttFeature(bridge);
  bridge.use(mqtt);
  await bridge.start();
  return { bridge, mqtt };
}

/** One call on `front` that is answered at the line's phone and hung up: four log entries. */
export function oneAnsweredCall(bridge: Bridge): void {
  bridge.input({ type: 'ring', line: 'front', state: 'on' });
  bridge.input({ type: 'hook', line: 'front', state: 'off' });
  bridge.input({ type: 'ring', line: 'front', state: 'off' });
  bridge.input({ type: 'hook', line: 'front', state: 'on' });
}
