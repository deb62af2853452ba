import type { Command } from '../../core/index.js';
import type { MqttConnection, MqttPart } from './connection.js';

/**
 * The retained topics: `line/<id>` and `desk/<id>` state, and `desk/<id>/set`, the desk unit's command — the
 * first thing out of the process for every indication; the state follows behind it (AfterCommands).
 */
export class RetainedState implements MqttPart {
  /** What each desk's unit last said on desk/<id>/availability (desks checked known first). */
  private readonly unitAvailability = new Map<string, string>();

  constructor(private readonly connection: MqttConnection) {}

  start(): void {
    const { bridge, afterCommands } = this.connection;
    bridge.listen(this, 'indicate', (command) => {
      this.publishDeskSet(command.desk, command);
      afterCommands.defer(() => this.publishDesk(command.desk));
    });
    bridge.listen(this, 'input', (event) =>
      afterCommands.defer(() => {
        if ('desk' in event && event.desk !== undefined) this.publishDesk(event.desk);
      }),
    );
    bridge.listen(this, 'decision', (decision) =>
      afterCommands.defer(() => {
        if ('line' in decision) this.publishLine(decision.line);
        // Cover, schedules and callbacks change a desk's retained state even when its light stays the same.
        if (decision.type === 'takeover') this.publishDesk(decision.from);
        if ('desk' in decision && decision.desk !== undefined && decision.type !== 'assign') this.publishDesk(decision.desk);
      }),
    );
    // Retained state may be gone (a broker restart): publish all of it again.
    this.connection.client!.on('connect', () => this.publishAll());
  }

  stop(): void {
    this.connection.bridge.unlisten(this);
  }

  unitReported(desk: string, state: 'online' | 'offline'): void {
    this.unitAvailability.set(desk, state);
  }

  publishDesk(desk: string): void {
    const { client, bridge, topics } = this.connection;
    if (!client?.connected) return;
    const status = { ...bridge.deskStatus(desk), unit: this.unitAvailability.get(desk) ?? null };
    client.publish(topics.desk(desk), JSON.stringify(status), { qos: 0, retain: true });
  }

  private publishLine(line: string): void {
    const { client, bridge, topics } = this.connection;
    if (!client?.connected) return;
    client.publish(topics.line(line), JSON.stringify(bridge.lineStatus(line)), { qos: 0, retain: true });
  }

  /**
   * Retained, so a desk unit that (re)connects shows the current state at once. With the embedded broker the
   * command is handed to the broker directly: the LED does not wait for a loopback hop through our own client.
   */
  private publishDeskSet(desk: string, shown: Pick<Command, 'led' | 'buzzer' | 'alert' | 'line'> = this.shownAt(desk)): void {
    const { broker, client, topics, afterCommands } = this.connection;
    // alert and line: so a desk agent rings a headset and answers the right line from this message alone.
    const payload = JSON.stringify({ led: shown.led, buzzer: shown.buzzer, alert: shown.alert, line: shown.line });
    // What follows it (log, state, console) waits until the command is handed over: the embedded broker calls back
    // once the desks subscribed at QoS 1 have acknowledged it, an external broker's PUBACK comes once it has it.
    if (broker) return broker.publish(topics.deskSet(desk), payload, { qos: 1, retain: true }, afterCommands.hold());
    if (!client?.connected) return;
    client.publish(topics.deskSet(desk), payload, { qos: 1, retain: true }, afterCommands.hold());
    // mqtt-packet corks the socket and uncorks it on the next tick, so the command would wait for everything else
    // this turn does (the decisions' handlers, console output). Send it now; the later uncork finds nothing to do.
    const stream = client.stream as { writableCorked?: number; uncork?: () => void };
    while ((stream.writableCorked ?? 0) > 0) stream.uncork!();
  }

  private shownAt(desk: string): Pick<Command, 'led' | 'buzzer' | 'alert' | 'line'> {
    const { led, buzzer, alert, alertLine } = this.connection.bridge.deskStatus(desk);
    return { led, buzzer, alert, line: alertLine };
  }

  private publishAll(): void {
    const { bridge } = this.connection;
    for (const line of bridge.config.lines) this.publishLine(line.id);
    for (const desk of bridge.config.desks) {
      this.publishDesk(desk.id);
      this.publishDeskSet(desk.id);
    }
  }
}
