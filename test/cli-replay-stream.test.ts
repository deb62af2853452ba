// `thirdring replay` streaming both ways, as real processes: events from stdin ("-"), any reader on stdout (a
// closed pipe, a slow one), and a large generated input through stdin giving the same bytes as the file.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSY_DAY, officeDay } from '../firmware-sim/office-day.js';
import { bigOffice } from '../bench/big-office.js';
import { runThirdring as thirdring } from './thirdring-process.js';
import { sleep, until } from './wait.js';
import { tempDir } from './helpers.js';

const dir = tempDir('thirdring-replay-stream-');

interface Spawned {
  status: Promise<number | null>;
  stdout: NodeJS.ReadableStream & { destroy(): void; pause(): void; resume(): void };
  stdin: NodeJS.WritableStream & { destroyed: boolean };
  stderr: () => string;
}

/** The CLI from source (as thirdring-process.ts runs it), with pipes on all three. */
function spawnThirdring(args: string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => {}); // EPIPE once the CLI has stopped reading
  return { status: new Promise((resolve) => child.once('close', resolve)), stdout: child.stdout, stdin: child.stdin, stderr: () => stderr };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** A generated office (desks on a grid, default escalation) as a config file, and a day of its events as JSON Lines. */
function generatedOffice(desks: number, lines: number, hours: number): { config: string; events: string; count: number } {
  const office = bigOffice(desks, lines);
  const config = join(dir, `office-${desks}-${lines}.yaml`);
  writeFileSync(
    config,
    JSON.stringify({
      site: 'generated',
      timezone: 'UTC',
      desks: office.desks.map((d) => ({ id: d.id, at: [...d.at] })),
      lines: office.lines.map((l) => ({ id: l.id, phone: { at: [...l.phones[0]!] }, cadence: l.cadence })),
    }),
  );
  const events: string[] = [];
  for (const event of officeDay(office, { ...BUSY_DAY, durationMs: hours * 3_600_000 })) events.push(JSON.stringify(event));
  return { config, events: events.join('\n') + '\n', count: events.length };
}

const office = generatedOffice(400, 60, 6); // ~46,000 events, ~3 MB of decisions
const officeEvents = join(dir, 'office-day.jsonl');
writeFileSync(officeEvents, office.events);

describe('thirdring replay, streaming', () => {
  it('reads the events from stdin with "-", giving the same bytes as the file', () => {
    const fromFile = thirdring(['replay', 'examples/branch.yaml', 'examples/morning.jsonl', '--indications']);
    const fromStdin = spawnSyncInput(['replay', 'examples/branch.yaml', '-', '--indications'], readFileSync('examples/morning.jsonl', 'utf8'));
    expect(fromStdin).toEqual({ status: 0, stdout: fromFile.stdout, stderr: '' });
  });

  it('runs events as they come in: a decision is out before stdin ends', async () => {
    const cli = spawnThirdring(['replay', 'examples/branch.yaml', '-']);
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stdin.write('{"t":0,"type":"ring","line":"front","state":"on"}\n');
    await until('the first decisions', () => stdout.includes('"type":"assign"'));
    expect(stdout).toBe('{"t":0,"type":"ring","line":"front","ring":1}\n{"t":0,"type":"assign","line":"front","desk":"bram","reason":"first"}\n');
    cli.stdin.end('{"t":1000,"type":"ring","line":"front","state":"off"}\n');
    expect(await cli.status).toBe(0);
    expect(stdout).toMatch(/"type":"missed"/); // the clock ran on after the end of input
  });

  it('names a bad line on stdin as -:line', () => {
    const input = '{"t":0,"type":"ring","line":"front","state":"on"}\n\n{"t":1000,"type":"ring","line":"side","state":"off"}\n';
    const { status, stderr } = spawnSyncInput(['replay', 'examples/branch.yaml', '-'], input);
    expect(status).toBe(2);
    expect(stderr).toBe('thirdring replay: -:3: unknown line "side"\n');
  });

  it('ends quietly with exit 0 when the reader goes away (| head -1), while events are still coming in', async () => {
    const cli = spawnThirdring(['replay', office.config, '-']);
    // Day after day on stdin, without end: the run can only end because its reader went away.
    let stop = false;
    const feed = (async () => {
      for (let offset = 0; !stop && !cli.stdin.destroyed; offset += 86_400_000) {
        const shifted = office.events.replace(/"t":(\d+)/g, (_, t: string) => `"t":${Number(t) + offset}`);
        if (!cli.stdin.write(shifted)) await new Promise((resolve) => cli.stdin.once('drain', resolve).once('close', resolve));
      }
    })();
    const first = await new Promise<string>((resolve) => {
      let text = '';
      cli.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
      });
    });
    cli.stdout.destroy();
    expect(JSON.parse(first)).toMatchObject({ type: 'ring', ring: 1 });
    expect(await cli.status).toBe(0);
    stop = true;
    await feed;
    expect(cli.stderr()).toBe('');
  });

  it('gives a slow reader every line (the writer waits for it)', async () => {
    const expected = spawnSyncInput(['replay', office.config, officeEvents]).stdout;
    expect(expected.length).toBeGreaterThan(2_000_000); // far more than a pipe holds
    const cli = spawnThirdring(['replay', office.config, officeEvents]);
    cli.stdout.pause();
    await sleep(1500); // the CLI runs into a full pipe and has to wait
    const [stdout, status] = await Promise.all([readAll(cli.stdout), cli.status]);
    expect(status).toBe(0);
    expect(cli.stderr()).toBe('');
    expect(stdout === expected).toBe(true);
  });

  it('streams a large generated input through stdin, with the same output as from the file', async () => {
    const big = generatedOffice(1_000, 150, 8); // ~150,000 events, ~10 MB in
    const file = join(dir, 'big-day.jsonl');
    writeFileSync(file, big.events);
    expect(big.count).toBeGreaterThan(100_000);
    const cli = spawnThirdring(['replay', big.config, '-']);
    const output = readAll(cli.stdout);
    for (let from = 0; from < big.events.length; from += 65_536) {
      // Piece boundaries fall anywhere, mid-line included.
      if (!cli.stdin.write(big.events.slice(from, from + 65_536))) await new Promise((resolve) => cli.stdin.once('drain', resolve));
    }
    cli.stdin.end();
    const [stdout, status] = await Promise.all([output, cli.status]);
    expect(cli.stderr()).toBe('');
    expect(status).toBe(0);
    const fromFile = spawnSyncInput(['replay', big.config, file]);
    expect(fromFile.status).toBe(0);
    expect(stdout.length).toBe(fromFile.stdout.length);
    expect(stdout === fromFile.stdout).toBe(true);
  }, 60_000);
});

/** The CLI from source with `input` on stdin, run to its end (runThirdring keeps only 1 MB of output). */
function spawnSyncInput(args: string[], input = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
