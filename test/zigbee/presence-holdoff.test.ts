import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PresenceHoldOff } from '../../src/devices/zigbee2mqtt/presence-holdoff.js';

describe('a desk\'s presence sensor with a hold-off', () => {
  let said: string[];
  let sensor: PresenceHoldOff;
  beforeEach(() => {
    vi.useFakeTimers();
    said = [];
    sensor = new PresenceHoldOff({ holdOffMs: 300_000, staleMs: 3_600_000 }, (state) => said.push(state), (why) => said.push(`unknown (${why})`));
  });
  afterEach(() => {
    sensor.stop();
    vi.useRealTimers();
  });

  it('occupied is present at once; unoccupied is away only after the hold-off with no occupancy since', () => {
    sensor.reading(true);
    expect(said).toEqual(['present']);
    sensor.reading(false);
    vi.advanceTimersByTime(299_000);
    sensor.reading(false); // a repeated "unoccupied" does not restart the hold-off
    vi.advanceTimersByTime(1_000);
    expect(said).toEqual(['present', 'away']);
  });

  it('a person moving within the hold-off keeps the desk present', () => {
    sensor.reading(false);
    vi.advanceTimersByTime(200_000);
    sensor.reading(true);
    vi.advanceTimersByTime(200_000);
    expect(said).toEqual(['present']);
  });

  it('offline or silent past staleMs → unknown once, a pending away dropped; the next reading decides again', () => {
    sensor.reading(true);
    sensor.reading(false);
    sensor.offline();
    sensor.offline();
    vi.advanceTimersByTime(400_000);
    expect(said).toEqual(['present', 'unknown (offline)']);
    sensor.reading(true);
    expect(said).toEqual(['present', 'unknown (offline)', 'present']);
    vi.advanceTimersByTime(3_600_000);
    expect(said.at(-1)).toBe('unknown (silent)');
  });
});
