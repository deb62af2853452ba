import type { IPublishPacket, MqttClient } from 'mqtt';

/** A received QoS 1 message whose PUBACK waits until its entry is stored; bound to the connection it came on. */
export interface PendingAck {
  connection: MqttClient['stream'];
  messageId: number;
}

/** Passed to mqtt.js's handleMessage callback: "do not acknowledge, the caller will". */
const ACK_LATER = new Error('acknowledged after the entry is stored');

/**
 * Receives every PUBLISH through `onPublish`, with a PendingAck for QoS 1 messages that the caller must hand to
 * `sendAcks` once the message is safely stored.
 *
 * Why not mqtt.js's own acknowledgement: it sends the PUBACK when handleMessage calls back, and handles the next
 * packet only after that, so holding the callback until a batch is committed would commit one message per batch
 * (and mosquitto sends only 20 unacknowledged messages at a time). customHandleAcks cannot delay it either.
 * Calling back with an error makes mqtt.js skip its PUBACK (handlers/publish.js) and go on to the next packet;
 * the PUBACKs are then written here, after the commit. The recorder tests check that nothing is acknowledged
 * before it is stored.
 */
export function deferAcks(client: MqttClient, onPublish: (packet: IPublishPacket, ack: PendingAck | null) => void): void {
  client.handleMessage = (packet, callback) => {
    if (packet.qos !== 1 || packet.messageId === undefined) {
      onPublish(packet, null);
      return callback();
    }
    onPublish(packet, { connection: client.stream, messageId: packet.messageId });
    callback(ACK_LATER);
  };
}

/**
 * Writes the PUBACKs, in the order the messages arrived (MQTT 3.1.1 §4.6), for those that came on the current
 * connection. Messages of a lost connection are not acknowledged: the broker sends them again on the next one
 * (same session), and the store recognises them. Returns how many were acknowledged.
 */
export function sendAcks(client: MqttClient, acks: readonly PendingAck[]): number {
  const connection = client.stream;
  if (!client.connected || !connection || connection.destroyed) return 0;
  const current = acks.filter((ack) => ack.connection === connection);
  if (current.length === 0) return 0;
  // PUBACK: type 4, remaining length 2, packet id. Also valid MQTT 5 (reason code 0 and no properties may be left out).
  const bytes = Buffer.alloc(current.length * 4);
  current.forEach((ack, i) => {
    bytes[i * 4] = 0x40;
    bytes[i * 4 + 1] = 0x02;
    bytes.writeUInt16BE(ack.messageId, i * 4 + 2);
  });
  connection.write(bytes);
  return current.length;
}
