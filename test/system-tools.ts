import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * `it` for a test that needs system tools (socat, avr-gcc, mosquitto...). Locally, a missing tool skips the
 * test with a one-line reason; in CI (CI=true) the test runs and fails, so nothing is skipped silently there.
 */
export function itWithTools(tools: string[], name: string, fn: () => Promise<void> | void, timeout?: number) {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0 || process.env.CI === 'true') {
    it(name, async () => {
      if (missing.length > 0) throw new Error(`missing system tool(s): ${missing.join(', ')} (install them in .ci/run)`);
      await fn();
    }, timeout);
  } else {
    it.skip(`${name} — skipped: ${missing.join(', ')} not installed`, () => {});
  }
}
