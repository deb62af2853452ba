import type { Duplex } from 'node:stream';

/**
 * Follows the MQTT fixed headers in a client's byte stream (MQTT 3.1.1 §2.2: one type byte, then the remaining
 * length in 1–4 bytes of 7 bits each) and says when a packet declares more than `limit` bytes. aedes has no
 * maximum packet size: its parser buffers whatever length a packet declares, so one unauthenticated CONNECT
 * declaring 200 MB would grow the broker by 200 MB.
 */
export class MqttFrameLengths {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  /** Bytes of the current packet's body still to come. */
  private bodyLeft = 0;

  /** Follows `chunk`; returns why the stream must be cut, or null. */
  check(chunk: Buffer, limit: number): string | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return 'malformed remaining length';
        continue;
      }
      if (this.length > limit) return `a packet of ${this.length} bytes (at most ${limit})`;
      this.bodyLeft = this.length;
      this.state = this.bodyLeft > 0 ? 'body' : 'type';
    }
    return null;
  }
}

/**
 * Cuts `conn` as soon as a packet on it declares more than `limit()` bytes, before the broker buffers it. The
 * broker reads `conn` with read() on 'readable'; a 'data' listener sees each chunk as it is read (Node streams:
 * with a 'readable' listener, 'readable' controls the flow and 'data' is emitted by read()).
 */
export function guardPacketSize(conn: Duplex, limit: () => number, onCut: (why: string) => void): void {
  const frames = new MqttFrameLengths();
  let cut = false;
  conn.on('data', (chunk: Buffer) => {
    if (cut) return;
    const why = frames.check(chunk, limit());
    if (why === null) return;
    cut = true;
    onCut(why);
    conn.destroy();
  });
}
