import { spawnSync } from 'node:child_process';

/** Runs the thirdring CLI from source (no build needed), as a separate process. */
export function thirdring(args: string[], options: { cwd?: string } = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
