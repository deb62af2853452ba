import { describe, expect } from 'vitest';
import { itWithTools } from '../system-tools.js';
import { runMake } from './firmware-build.js';

describe('ring-sensor firmware: pure logic on the host', () => {
  itWithTools(['make', 'gcc'], 'make -C hardware/ring-sensor test passes', () => {
    const { status, stdout, stderr } = runMake(['test']);
    expect(stderr, stderr).not.toMatch(/FAILED|error|runtime error/i);
    expect(status, stdout + stderr).toBe(0);
    const passed = /ring_logic: all (\d+) checks passed/.exec(stdout);
    expect(passed, stdout).not.toBeNull();
    expect(Number(passed![1])).toBeGreaterThan(100);
  }, 120_000);
});
