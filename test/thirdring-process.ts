import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The CLI from source, startable from any folder (cwd is where relative paths and ./ defaults land). */
const cli = resolve('src/cli.ts');
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

export interface ProcessOptions {
  cwd?: string;
  /** Added to this process's environment (XDG_STATE_HOME, HOME...). */
  env?: NodeJS.ProcessEnv;
}

const environment = (env: NodeJS.ProcessEnv = {}) => ({ ...process.env, ...env });

/** `thirdring ...` run to its end. */
export function runThirdring(args: string[], options: ProcessOptions = {}) {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, ...args], { cwd: options.cwd, env: environment(options.env), encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningThirdring {
  output: { stdout: string; stderr: string };
  pid: number;
  /** Resolves with the exit code when the process ends by itself or is stopped. */
  exited: Promise<number | null>;
  exitCode(): number | null;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `thirdring ...` in its own process, running on; stop() ends it (call it in a cleanup). */
export function startThirdring(args: string[], options: ProcessOptions = {}): RunningThirdring {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd: options.cwd, env: environment(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output,
    pid: child.pid!,
    exited,
    exitCode: () => child.exitCode,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
