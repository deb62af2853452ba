import type { HidBackend } from '../devices/hid-headset/types.js';
import { Bridge } from './bridge.js';
import type { ThirdringConfig } from './config/schema.js';
import { ConsoleLog, type ConsoleLogOptions } from './console-log.js';
import type { Clock } from './core-runner.js';
import { DashboardFeature } from './dashboard/dashboard-feature.js';
import { AsteriskFeature } from './device-features/asterisk-feature.js';
import { DeskBoardFeature } from './device-features/desk-board-feature.js';
import { HeadsetFeature } from './device-features/headset-feature.js';
import { RingSensorFeature } from './device-features/ring-sensor-feature.js';
import { KuandoBoxFeature } from './device-features/kuando-box-feature.js';
import { SoftphoneFeature } from './device-features/softphone-feature.js';
import { ZigbeeFeature } from './device-features/zigbee-feature.js';
import { MqttFeature } from './mqtt/mqtt-feature.js';
import { RecorderFeature } from './recorder/recorder-feature.js';

export interface ComposeOptions {
  /** The console log: where its lines go and how. They are held until `log.begin()`: the start-up report or banner comes first. */
  log: { write: (line: string) => void } & Omit<ConsoleLogOptions, 'holdUntilBegin'>;
  clock?: Clock;
  /** What the recorder says about itself (default: stderr). */
  recorderReport?: (message: string) => void;
  /** How headsets are found (default: node-hid). */
  hidBackend?: () => HidBackend;
}

export interface BridgeFeatures {
  log: ConsoleLog;
  mqtt: MqttFeature;
  recorder: RecorderFeature | null;
  ringSensors: RingSensorFeature;
  softphones: SoftphoneFeature;
  kuandoBoxes: KuandoBoxFeature;
  headsets: HeadsetFeature;
  deskBoards: DeskBoardFeature;
  asterisk: AsteriskFeature;
  zigbee: ZigbeeFeature;
  dashboard: DashboardFeature | null;
}

/**
 * The one place the bridge is put together (thirdring start, the demo): every feature the config asks for, in the
 * order they start. The console log first, so it misses nothing; the recorder after MQTT, whose broker it records
 * from, and subscribed before any device decides something; the floor page last, once there is state to show.
 * Device features whose devices the config does not name do nothing.
 */
export function composeBridge(config: ThirdringConfig, options: ComposeOptions): { bridge: Bridge; features: BridgeFeatures } {
  const bridge = new Bridge(config, options.clock);
  const { write, ...logOptions } = options.log;
  const mqtt = new MqttFeature(bridge);
  const f: BridgeFeatures = {
    log: new ConsoleLog(bridge, write, { ...logOptions, holdUntilBegin: true }),
    mqtt,
    recorder: config.recorder.enabled ? new RecorderFeature(bridge, mqtt, options.recorderReport) : null,
    ringSensors: new RingSensorFeature(bridge),
    softphones: new SoftphoneFeature(bridge, mqtt),
    kuandoBoxes: new KuandoBoxFeature(bridge, options.hidBackend),
    headsets: new HeadsetFeature(bridge, options.hidBackend),
    deskBoards: new DeskBoardFeature(bridge),
    asterisk: new AsteriskFeature(bridge),
    zigbee: new ZigbeeFeature(bridge, mqtt),
    dashboard: config.dashboard.enabled ? new DashboardFeature(bridge, mqtt) : null,
  };
  for (const feature of [f.log, f.mqtt, f.recorder, f.ringSensors, f.softphones, f.kuandoBoxes, f.headsets, f.deskBoards, f.asterisk, f.zigbee, f.dashboard]) if (feature) bridge.use(feature);
  return { bridge, features: f };
}
