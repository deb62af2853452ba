import { quoteUntrusted } from '../../common/fault-throttle.js';
import type { MqttConnection } from './connection.js';
import { parseJson } from './inbound.js';
import type { LogPump } from './log-pump.js';
import type { MqttFaults } from './mqtt-faults.js';
import { answerRequest } from './requests.js';

/** `bridge/request/<command>` → `bridge/response/<command>` (the commands are in requests.ts). */
export class RequestResponder {
  constructor(
    private readonly connection: MqttConnection,
    private readonly log: LogPump,
    private readonly faults: MqttFaults,
  ) {}

  /** `command` is the topic's last level: a sender's word. */
  answer(command: string, payload: Buffer): void {
    const { bridge, topics, counters } = this.connection;
    const json = parseJson(payload);
    const respond = (body: object): void => void this.connection.client?.publish(topics.response(command), JSON.stringify(body), { qos: 1 });
    if (!json.ok) {
      this.faults.drop('request', `bridge/request/${quoteUntrusted(command, 40)}: ${json.error}`);
      return respond({ ok: false, error: json.error });
    }
    const answer = answerRequest(bridge, command, json.value, () => {
      const { outbox } = this.log;
      return { outbox: { queued: outbox?.length ?? 0, dropped: outbox?.dropped ?? 0, droppedFaults: outbox?.droppedFaults ?? 0 }, counters };
    });
    if (answer.invalid !== null) this.faults.drop('request', `bridge/request/${quoteUntrusted(command, 40)}: ${answer.invalid}`);
    respond(answer.body);
  }
}
