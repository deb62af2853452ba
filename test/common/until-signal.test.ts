import { describe, expect, it } from 'vitest';
import { untilSignal } from '../../src/common/until-signal.js';

describe('untilSignal', () => {
  it('resolves with the signal the process got and leaves no listener behind', async () => {
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const waiting = untilSignal();
    expect(process.listenerCount('SIGINT')).toBe(before.SIGINT + 1);
    process.kill(process.pid, 'SIGTERM');
    expect(await waiting).toBe('SIGTERM');
    expect({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }).toEqual(before);
  });
});
