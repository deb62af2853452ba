import { join } from 'node:path';
import type { Bridge, Feature } from '../bridge.js';
import { BrokerHost } from './broker-host.js';
import { MqttConnection, type MqttPart } from './connection.js';
import { HomeAssistantDiscovery } from './home-assistant-discovery.js';
import { InboundRouter } from './inbound-router.js';
import { LogPump } from './log-pump.js';
import { MqttFaults } from './mqtt-faults.js';
import { RequestResponder } from './request-responder.js';
import { RetainedState } from './retained-state.js';
import { RingLog } from './ring-log.js';

export interface MqttFeatureOptions {
  /** Defaults to <dataDir>/outbox.sqlite */
  outboxPath?: string;
  clientId?: string;
}

/**
 * The bridge on MQTT: the embedded broker (or a connection to an external one), retained line and desk state,
 * desk unit commands, the ring log (store-and-forward through the on-disk outbox), desk unit input and the
 * small request/response API — one part per job, sharing one connection; this feature makes them in order.
 */
export class MqttFeature implements Feature {
  readonly name = 'mqtt';
  readonly counters: MqttConnection['counters'];

  private readonly connection: MqttConnection;
  private readonly log: LogPump;
  private readonly faults: MqttFaults;
  private readonly brokerHost: BrokerHost;
  /**
   * In this order, which is the order of their listeners on the same event: a decision's log entry is queued
   * before its state is published, and on (re)connect the bridge subscribes, then publishes its retained state,
   * then the log backlog.
   */
  private readonly parts: MqttPart[];

  constructor(
    private readonly bridge: Bridge,
    private readonly options: MqttFeatureOptions = {},
  ) {
    const connection = (this.connection = new MqttConnection(bridge));
    this.counters = connection.counters;
    this.log = new LogPump(connection);
    this.faults = new MqttFaults(connection, this.log);
    this.brokerHost = new BrokerHost(connection, this.faults);
    const state = new RetainedState(connection);
    const requests = new RequestResponder(connection, this.log, this.faults);
    this.parts = [new RingLog(connection, this.log), new InboundRouter(connection, state, requests, this.faults), state, this.log, new HomeAssistantDiscovery(connection)];
  }

  get client() {
    return this.connection.client;
  }

  get broker() {
    return this.connection.broker;
  }

  get outbox() {
    return this.log.outbox;
  }

  /** Resolves once what the decisions made so far queue (log entries, state publishes) has been done. */
  settled(): Promise<void> {
    return this.connection.afterCommands.settled();
  }

  async start(): Promise<void> {
    const { config } = this.bridge;
    this.log.openOutbox(this.options.outboxPath ?? join(config.dataDir, 'outbox.sqlite'), config.mqtt.outbox.maxMessages);
    const url = await this.brokerHost.start().catch((error: unknown) => {
      this.log.closeOutbox();
      throw error;
    });
    const client = this.connection.connect(url, this.options.clientId, (message) => this.faults.connectionFailed(message));
    for (const part of this.parts) part.start();
    if (this.connection.broker) await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  }

  async stop(): Promise<void> {
    this.connection.afterCommands.flush();
    for (const part of [...this.parts].reverse()) part.stop();
    await this.connection.leave();
    await this.brokerHost.stop();
    this.log.closeOutbox();
  }
}
