// The agent's MQTT link on its own: reconnect delays that double while the broker is away.
import { describe, expect, it } from 'vitest';
import { parseDeskConfig } from '../../src/desk-agent/config.js';
import { DeskLink } from '../../src/desk-agent/desk-link.js';
import { freePort, until } from '../mqtt-helpers.js';

describe('the desk link', () => {
  it('tries again after 0.5 s, then 1 s, then 2 s while nothing answers', async () => {
    const port = await freePort();
    const link = new DeskLink(parseDeskConfig(`broker: { url: "mqtt://127.0.0.1:${port}" }\nsite: b\ndesk: anna\n`), undefined);
    const errors: string[] = [];
    link.on('error', (message) => errors.push(message));
    link.start();
    const attempts: number[] = [performance.now()];
    link.client!.on('reconnect', () => attempts.push(performance.now()));
    try {
      await until('three retries', () => attempts.length >= 4, 8000);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      expect(gaps[0]).toBeGreaterThanOrEqual(450);
      expect(gaps[0]).toBeLessThan(900);
      expect(gaps[1]).toBeGreaterThanOrEqual(950);
      expect(gaps[2]).toBeGreaterThanOrEqual(1950);
      expect(errors[0]).toMatch(/ECONNREFUSED/);
      expect(link.connected).toBe(false);
    } finally {
      await link.stop();
    }
  }, 15_000);
});
