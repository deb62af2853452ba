import { it } from 'vitest';
import { postgresBin } from '../../bench/postgres-server.js';
import { hasTool } from '../system-tools.js';

export { postgresBin, query, startPostgres, type PostgresServer } from '../../bench/postgres-server.js';

/** `it` for a test that needs PostgreSQL (and `tools`): skipped with one line locally, failing in CI (CI=true). */
export function itWithPostgres(tools: string[], name: string, fn: () => Promise<void>, timeout?: number) {
  const missing = [...(postgresBin() ? [] : ['postgresql']), ...tools.filter((tool) => !hasTool(tool))];
  if (missing.length === 0 || process.env.CI === 'true') {
    it(name, async () => {
      if (missing.length > 0) throw new Error(`missing system tool(s): ${missing.join(', ')} (install them in .ci/run)`);
      await fn();
    }, timeout);
  } else {
    it.skip(`${name} — skipped: ${missing.join(', ')} not installed`, () => {});
  }
}

