import { spawnSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import { itWithTools } from '../system-tools.js';

describe('ESP32 desk unit firmware, hardware-independent part on the host', () => {
  itWithTools(['make', 'g++'], 'LED/buzzer patterns, button, desk state and backoff pass their host tests', () => {
    const run = spawnSync('make', ['-C', 'hardware/desk-unit', 'test'], { encoding: 'utf8' });
    expect(run.stderr + run.stdout).toMatch(/all \d+ checks passed/);
    expect(run.status).toBe(0);
  }, 120_000);

  itWithTools(['make', 'g++'], 'device sources (button and cover wiring in main.cpp) compile against the stand-in headers', () => {
    const run = spawnSync('make', ['-C', 'hardware/desk-unit', 'stub-check'], { encoding: 'utf8' });
    expect(run.stderr + run.stdout).toMatch(/stub-check: device sources compile/);
    expect(run.status).toBe(0);
  }, 120_000);
});
