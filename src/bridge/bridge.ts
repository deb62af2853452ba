import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceInput } from '../devices/device-events.js';
import { toCoreConfig } from './config/load.js';
import type { ThirdringConfig } from './config/schema.js';
import type { Command, Decision } from './core/index.js';
import { CoreRunner, systemClock, type Clock } from './core-runner.js';

/** One shell feature (a device family, the MQTT publisher, the console log...): started and stopped with the bridge. */
export interface Feature {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface BridgeEvents {
  input: [input: DeviceInput];
  decision: [decision: Decision];
  indicate: [command: Command];
  device: [event: DeviceEvent];
  /** A person pressed a desk button to acknowledge a call (desk unit or desk board). */
  deskAction: [action: { desk: string; action: 'ack'; line: string | null }];
}

/**
 * The shell around the rules core: features bring device input in through `input()`, and listen on the
 * bridge for decisions, indications and device events. Features start in order and stop in reverse.
 */
export class Bridge extends EventEmitter<BridgeEvents> {
  readonly runner: CoreRunner;
  private readonly features: Feature[] = [];

  constructor(
    readonly config: ThirdringConfig,
    readonly clock: Clock = systemClock,
  ) {
    super();
    // Indications first: the desk LEDs are what the ring→LED latency is about; logging can follow.
    this.runner = new CoreRunner(toCoreConfig(config), clock, ({ decisions, commands }) => {
      for (const command of commands) this.emit('indicate', command);
      for (const decision of decisions) this.emit('decision', decision);
    });
  }

  use(feature: Feature): this {
    this.features.push(feature);
    return this;
  }

  input(input: DeviceInput, at?: number): void {
    this.runner.feed(input, at);
    this.emit('input', input);
  }

  reportDevice(event: DeviceEvent): void {
    this.emit('device', event);
  }

  /**
   * A person pressed a desk's button to acknowledge: logged as a desk action, and given to the core, where it
   * returns the desk's oldest callback or counts as checking back with a held caller (no-op while ringing).
   */
  reportDeskAction(desk: string, line: string | null = null): void {
    this.emit('deskAction', { desk, action: 'ack', line });
    this.input({ type: 'ack', desk });
  }

  async start(): Promise<void> {
    for (const feature of this.features) await feature.start();
  }

  async stop(): Promise<void> {
    for (const feature of [...this.features].reverse()) await feature.stop();
    this.runner.stop();
  }
}
