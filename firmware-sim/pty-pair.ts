import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two linked pseudo-terminals made by socat: what one side writes, the other reads, through real termios.
 * The device side is where a simulated sensor talks; the bridge opens the host side like a USB serial port.
 */
export interface PtyPair {
  devicePath: string;
  hostPath: string;
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /**
   * socat in a process group of its own, so that Ctrl-C in a terminal (SIGINT to the whole foreground group)
   * does not close the ptys under a program that is still shutting down (`thirdring demo`). The program then
   * ends socat itself: close(), or at the latest when it exits.
   */
  ownProcessGroup?: boolean;
}

export async function openPtyPair(dir = mkdtempSync(join(tmpdir(), 'thirdring-pty-')), options: PtyPairOptions = {}): Promise<PtyPair> {
  const devicePath = join(dir, 'device');
  const hostPath = join(dir, 'host');
  const socat: ChildProcess = spawn(
    'socat',
    [`pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: options.ownProcessGroup === true },
  );
  // Out of the terminal's reach, socat would outlive a program that exits without close().
  const killOnExit = () => void (socat.exitCode === null && socat.kill('SIGTERM'));
  if (options.ownProcessGroup) process.once('exit', killOnExit);
  let stderr = '';
  socat.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => socat.once('error', reject));
  const deadline = Date.now() + 5000;
  while (!(existsSync(devicePath) && existsSync(hostPath))) {
    if (socat.exitCode !== null) throw new Error(`socat exited: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`socat did not create the ptys within 5 s: ${stderr.trim()}`);
    await Promise.race([new Promise((r) => setTimeout(r, 10)), spawnError]);
  }
  return {
    devicePath,
    hostPath,
    async close() {
      process.off('exit', killOnExit);
      if (socat.exitCode === null) socat.kill('SIGTERM');
      await exited;
    },
  };
}
