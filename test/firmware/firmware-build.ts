// Builds hardware/ring-sensor into a fresh temporary directory (once per test file), so the tests never depend
// on a previous build, never race another test file over hardware/ring-sensor/build/, and see every warning.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers.js';

export const RING_SENSOR_DIR = fileURLToPath(new URL('../../hardware/ring-sensor/', import.meta.url));

export interface FirmwareBuild {
  hexPath: string;
  elfPath: string;
  /** make's stdout + stderr */
  log: string;
  warnings: string[];
}

export function runMake(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('make', ['-C', RING_SENSOR_DIR, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** This test file's build; its tempDir goes when the file ends. */
let build: FirmwareBuild | undefined;

export function buildFirmware(): FirmwareBuild {
  if (build) return build;
  const dir = tempDir('thirdring-fw-');
  const { status, stdout, stderr } = runMake([`BUILD=${dir}`, 'all']);
  const log = stdout + stderr;
  if (status !== 0) throw new Error(`make -C hardware/ring-sensor failed (${status}):\n${log}`);
  build = {
    hexPath: join(dir, 'ring-sensor.hex'),
    elfPath: join(dir, 'ring-sensor.elf'),
    log,
    warnings: log.split('\n').filter((line) => /warning:/i.test(line)),
  };
  return build;
}
