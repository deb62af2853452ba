import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/bridge/mqtt/outbox.js';
import { tempDir } from '../mqtt-helpers.js';

describe('outbox (store-and-forward queue)', () => {
  it('keeps messages in order with their sequence number until delivered, across reopening', () => {
    const path = join(tempDir(), 'nested', 'outbox.sqlite');
    const outbox = new Outbox(path, 1000);
    for (let i = 0; i < 5; i++) outbox.push('thirdring/t/log', (seq) => JSON.stringify({ i, seq }));
    const batch = outbox.next(0, 3);
    expect(batch.map((m) => JSON.parse(m.payload))).toEqual([{ i: 0, seq: 1 }, { i: 1, seq: 2 }, { i: 2, seq: 3 }]);
    outbox.delivered(1);
    outbox.delivered(2);
    outbox.close();

    const reopened = new Outbox(path, 1000);
    expect(reopened.length).toBe(3);
    expect(reopened.next(0, 10).map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(reopened.push('thirdring/t/log', (seq) => String(seq))).toBe(6);
    reopened.close();
  });

  it('is bounded: past the limit the oldest are dropped and counted', () => {
    const outbox = new Outbox(join(tempDir(), 'outbox.sqlite'), 100);
    for (let i = 0; i < 150; i++) outbox.push('log', (seq) => String(seq));
    expect(outbox.length).toBe(100);
    expect(outbox.dropped).toBe(50);
    expect(outbox.next(0, 1)[0]!.seq).toBe(51);
    outbox.close();
  });

  it('has a stream id that survives reopening; a new file gets a new one', () => {
    const dir = tempDir();
    const outbox = new Outbox(join(dir, 'outbox.sqlite'), 10);
    const stream = outbox.stream;
    expect(stream).toMatch(/^[0-9a-f-]{36}$/);
    outbox.close();
    const reopened = new Outbox(join(dir, 'outbox.sqlite'), 10);
    expect(reopened.stream).toBe(stream);
    reopened.close();
    const wiped = new Outbox(join(dir, 'wiped', 'outbox.sqlite'), 10);
    expect(wiped.stream).not.toBe(stream);
    wiped.close();
  });
});
