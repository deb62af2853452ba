import { EventEmitter } from 'node:events';
import type { DeviceEvent, DeviceFamily, DeviceInput } from '../common/device-events.js';
import { FaultThrottle } from '../common/fault-throttle.js';
import { AfterCommands } from './after-commands.js';
import { toCoreConfig } from './config/load.js';
import type { ThirdringConfig } from './config/schema.js';
import { deskStatus, lineStatus, openCallbacks, type Command, type CoreConfig, type CoreEvent, type Decision, type StepResult } from '../core/index.js';
import { CoreRunner, systemClock, type Clock } from './core-runner.js';

/** One shell feature (a device family, the MQTT publisher, the console log...): started and stopped with the bridge. */
export interface Feature {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface BridgeEvents {
  /** An input the core was fed, with the time it used (never a tick): what a replay of the day needs. */
  input: [event: CoreEvent];
  decision: [decision: Decision];
  indicate: [command: Command];
  device: [event: DeviceEvent];
  /** Every feature has started (a recorder is subscribed before the log backlog goes out). */
  started: [];
  /** A person pressed a desk button to acknowledge a call (desk unit or desk board). */
  deskAction: [action: { desk: string; action: 'ack'; line: string | null }];
}

/**
 * The shell around the rules core: features bring device input in through `input()`, and listen on the
 * bridge for decisions, indications and device events. Features start in order and stop in reverse.
 */
export class Bridge extends EventEmitter<BridgeEvents> {
  readonly runner: CoreRunner;
  /** The config as the core has it (lines with their phones' positions...). */
  readonly coreConfig: CoreConfig;
  /** Cover button presses that did nothing (no desks[].coverFor, or the core refused): logged as faults. */
  readonly counters = { coverDropped: 0 };
  /** What waits behind the desk commands of a turn (log entries, state, the console line): see AfterCommands. */
  readonly afterCommands = new AfterCommands();
  private readonly features: Feature[] = [];
  private readonly faults = new FaultThrottle();
  private readonly owned = new Map<object, { event: keyof BridgeEvents; listener: (...args: never[]) => void }[]>();

  constructor(
    readonly config: ThirdringConfig,
    readonly clock: Clock = systemClock,
  ) {
    super();
    this.coreConfig = toCoreConfig(config);
    // Indications first: the desk LEDs are what the ring→LED latency is about; logging can follow, the input
    // before what it caused.
    this.runner = new CoreRunner(this.coreConfig, clock, ({ decisions, commands }, event) => {
      for (const command of commands) this.emit('indicate', command);
      if (event.type !== 'tick') this.emit('input', event);
      for (const decision of decisions) this.emit('decision', decision);
    });
  }

  /**
   * Listens on the bridge on behalf of `owner` (a feature): `unlisten(owner)` removes all of its listeners, and the
   * bridge does so itself after the feature's stop(), so no feature has to pair every on() with an off().
   */
  listen<K extends keyof BridgeEvents>(owner: object, event: K, listener: (...args: BridgeEvents[K]) => void): void {
    this.on(event, listener as never);
    const owned = this.owned.get(owner) ?? [];
    owned.push({ event, listener: listener as never });
    this.owned.set(owner, owned);
  }

  unlisten(owner: object): void {
    for (const { event, listener } of this.owned.get(owner) ?? []) this.off(event, listener as never);
    this.owned.delete(owner);
  }

  use(feature: Feature): this {
    this.features.push(feature);
    return this;
  }

  /** Feeds the core; its result says what was decided, or why the input was ignored. */
  input(input: DeviceInput, at?: number): StepResult {
    return this.runner.feed(input, at);
  }

  // Narrow questions for features, so none reads the core's state (the runner's state is for tests and tools).
  hasDesk(id: string): boolean {
    return this.runner.state.deskById.has(id);
  }

  hasLine(id: string): boolean {
    return this.runner.state.lineById.has(id);
  }

  /** The retained `desk/<id>` state; throws for a desk the config does not have (ask hasDesk first). */
  deskStatus(id: string) {
    return deskStatus(this.runner.state, id);
  }

  lineStatus(id: string) {
    return lineStatus(this.runner.state, id);
  }

  openCallbacks() {
    return openCallbacks(this.runner.state);
  }

  /** Events the core ignored as out of place since start (a ring-off without a ring, a hold with no call...). */
  get ignoredEvents(): number {
    return this.runner.state.ignoredEvents;
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

  /**
   * A desk's cover button (desk unit double press, desk board long press, MQTT `{"action":"cover"}`): takes over
   * the calls of the desk's `coverFor` desk, or gives them back if it covers that desk already. Returns the new
   * state; null when it did nothing (no coverFor configured, or the core refused), which is counted and
   * logged as a fault of the device that sent it.
   */
  toggleCover(desk: string, family: DeviceFamily): 'on' | 'off' | null {
    const from = this.config.desks.find((d) => d.id === desk)?.coverFor;
    if (from === undefined || !this.hasDesk(desk)) {
      return this.coverDropped(desk, family, 'cover-unconfigured', `desk "${desk}" has no coverFor in the config: its cover button does nothing`);
    }
    const state = this.deskStatus(from).coveredBy === desk ? 'off' : 'on';
    const { ignored } = this.input({ type: 'takeover', desk, from, state });
    if (ignored === null) return state;
    const covering = this.deskStatus(desk).coveredBy;
    return this.coverDropped(desk, family, 'cover-refused', `${desk} cannot take over ${from}'s calls${ignored === 'cover-is-covered' ? `: ${desk} is covered by ${covering}` : ''}`);
  }

  private coverDropped(desk: string, family: DeviceFamily, reason: string, detail: string): null {
    this.counters.coverDropped++;
    const count = this.faults.count(`${reason}:${desk}`, this.clock.now());
    if (count !== null) this.reportDevice({ type: 'fault', family, device: desk, reason, detail, count });
    return null;
  }

  /** Starts the features in order; if one fails, those already started are stopped again and the error is thrown. */
  async start(): Promise<void> {
    const started: Feature[] = [];
    try {
      for (const feature of this.features) {
        await feature.start();
        started.push(feature);
      }
    } catch (error) {
      for (const feature of started.reverse()) await this.stopFeature(feature);
      this.runner.stop();
      throw error;
    }
    this.runner.warmUp();
    this.emit('started');
  }

  async stop(): Promise<void> {
    for (const feature of [...this.features].reverse()) await this.stopFeature(feature);
    this.runner.stop();
    this.afterCommands.flush();
  }

  private async stopFeature(feature: Feature): Promise<void> {
    try {
      await feature.stop();
    } finally {
      this.unlisten(feature);
    }
  }
}
