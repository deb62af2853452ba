import { decisionView, describeDeskAction, describeDeviceEvent } from '../wording.js';
import type { MqttConnection, MqttPart } from './connection.js';
import type { LogPump } from './log-pump.js';

/**
 * What goes into the ring log: every decision, input, device event and desk button. Decisions and inputs wait
 * behind the desk commands (AfterCommands), so the LED does not wait for the disk.
 */
export class RingLog implements MqttPart {
  constructor(
    private readonly connection: MqttConnection,
    private readonly log: LogPump,
  ) {}

  start(): void {
    const { bridge, afterCommands } = this.connection;
    // Every input goes into the log too (`{"type":"input","event":{…}}`), so a recorded day can be replayed.
    bridge.listen(this, 'input', ({ t, ...event }) => afterCommands.defer(() => this.log.queue({ t, type: 'input', event }, t)));
    bridge.listen(this, 'decision', (decision) =>
      afterCommands.defer(() => {
        const { subject, text } = decisionView(decision, bridge.config.timezone);
        this.log.queue({ ...decision, subject, text }, decision.t);
      }),
    );
    bridge.listen(this, 'device', (event) => this.log.queue({ ...event, text: describeDeviceEvent(event) }, bridge.clock.now()));
    bridge.listen(this, 'deskAction', (action) => this.log.queue({ type: 'desk-action', ...action, text: describeDeskAction(action) }, bridge.clock.now()));
  }

  stop(): void {
    this.connection.bridge.unlisten(this);
  }
}
