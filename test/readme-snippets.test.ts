// Every shell snippet of the README (its ```sh blocks), command by command, is either run here against real parts
// and its output checked, or listed in SKIPPED with the reason. A command added to the README with neither fails
// the first test, and so does a runner or skip entry whose command is no longer in the README.
//
// Commands run through `bash -c` as the README writes them (comments and line continuations included), with only the
// PLACEHOLDERS replaced: the bridge's host and port, a system folder, and a PostgreSQL database (hq-db: a server the
// test starts). bash runs a lone command in its own place, so Ctrl-C (SIGINT to the process group) reaches it as at a
// terminal and the exit status is the command's (dash would die of the SIGINT itself). The bridge they talk to is
// real: the bridge with its embedded broker on a free loopback port, in this process (so the test can ring its
// lines). The MQTT clients are Debian's mosquitto-clients. `thirdring` is on PATH as after `npm link` (a shim that
// runs src/cli.ts with tsx, so no build is needed); `npx thirdring` is the real npx in this clone. Commands run in
// README order: the sensor simulator runs the .hex that `npm run firmware` built, `report --replay` reads what
// `export` wrote.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDays, ringLogDays } from '../bench/office-ring-log.js';
import { Bridge } from '../src/bridge/bridge.js';
import { loadConfigFile } from '../src/bridge/config/load.js';
import { MqttFeature } from '../src/bridge/mqtt/mqtt-feature.js';
import { parseLogPayload, RingLogStore, type StoredEntry } from '../src/bridge/store/ring-log-store.js';
import { PgRingLogStore } from '../src/bridge/store/pg-ring-log-store.js';
import { query, startPostgres, type PostgresServer } from '../bench/postgres-server.js';
import { handDayEntries, SITE as HAND_SITE, ZONE as HAND_ZONE } from './report/hand-day.js';
import { branchYaml, handEvents, recordDay } from './export/what-if-day.js';
import { freePort, sleep, subscriber, until } from './mqtt-helpers.js';
import { itWithTools } from './system-tools.js';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

// ─── The README's shell commands ────────────────────────────────────────────────────────────────────────────────

interface Snippet {
  /** As written (continuation lines and comments included), without a leading `$ `. */
  command: string;
  /** The command without comments, whitespace collapsed: what RUNNERS and SKIPPED are keyed by. */
  key: string;
  /** README line it starts on. */
  line: number;
}

/** `text` up to its first `#` comment outside quotes. */
function withoutComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function shellSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let inSh = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!inSh) {
      inSh = /^```sh\s*$/.test(line);
      continue;
    }
    if (/^```\s*$/.test(line)) {
      inSh = false;
      continue;
    }
    if (withoutComment(line).trim() === '') continue;
    const start = i;
    const parts = [line.replace(/^\$ /, '')];
    while (/\\\s*$/.test(withoutComment(lines[i]!)) && i + 1 < lines.length) parts.push(lines[++i]!);
    const command = parts.join('\n');
    const key = parts.map((part) => withoutComment(part).replace(/\\\s*$/, '')).join(' ').replace(/\s+/g, ' ').trim();
    snippets.push({ command, key, line: start + 1 });
  }
  return snippets;
}

/** The fenced block (```lang) right after the README's ```sh block holding `key`: what that command prints. */
function outputBlockAfter(key: string, lang: string): string {
  const at = README.indexOf(key);
  const block = new RegExp('```sh\\n[^`]*?```\\s*```' + lang + '\\n([\\s\\S]*?)```').exec(README.slice(README.lastIndexOf('```sh', at)));
  if (!block) throw new Error(`no \`\`\`${lang} block after "${key}"`);
  return block[1]!;
}

// ─── Commands not run here, and why ─────────────────────────────────────────────────────────────────────────────

const SKIPPED: Record<string, string> = {
  // The CI is `npm ci && npm test` (.ci/run): it has run `npm ci` before this file runs.
  'npm ci && npm start': 'npm ci is the CI itself; npm start is the demo on the fixed ports 1883 and 8080 for an hour — test/demo.test.ts runs the same demo (startDemo) on free ports',
  'npm ci && npm test': 'the CI itself: .ci/run runs exactly this',
  'npm ci': 'the CI itself (.ci/run), done before this test runs',
  'npm test': 'the test suite this file is part of',
  'npm run lint': 'static checks (tsc --noEmit + eslint), not a behaviour: about 20 s on the 2-core VM, a third of this file’s budget; engineers run it before committing',
  'npm run bench': 'minutes of load, and its numbers are measurements for the README table, not assertions',
  'make -C hardware/ring-sensor flash PORT=/dev/ttyACM0': 'writes the firmware to an Arduino with avrdude: needs a board on /dev/ttyACM0',
};

// ─── Where the commands run ─────────────────────────────────────────────────────────────────────────────────────

const base = tempDir('thirdring-readme-');
/** The office folder: thirdring.yaml for the running bridge, and the cwd of the thirdring commands. */
const office = join(base, 'office');
/** A second office for `thirdring start`, on its own port, so it never meets the in-process bridge. */
const startOffice = join(base, 'start');
const reportDir = join(base, 'report');
const whatIfDir = join(base, 'what-if');
/** Stands in for /var/lib/thirdring. */
const systemDir = join(base, 'var-lib-thirdring');
const stateHome = join(base, 'state');
const bin = join(base, 'bin');
for (const dir of [office, startOffice, reportDir, whatIfDir, systemDir, stateHome, bin]) mkdirSync(dir);

// `thirdring` as `npm link` puts it on PATH, but running the sources (as test/thirdring-process.ts does).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
writeFileSync(join(bin, 'thirdring'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(ROOT, 'src/cli.ts')}" "$@"\n`);
chmodSync(join(bin, 'thirdring'), 0o755);

// The office's zone, as on the bridge machine: `--from 2026-03-03` without --tz is that day there.
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, XDG_STATE_HOME: stateHome, TZ: 'Europe/Amsterdam' };

const officeYaml = (port: number) => `site: branch-01
timezone: Europe/Amsterdam
mqtt: { url: embedded, port: ${port}, wsPort: false }
dashboard: { enabled: false }
dataDir: data
desks:
  - { id: anna,  at: [2.0, 3.0] }
  - { id: bram,  at: [4.0, 3.0] }
  - { id: chloe, at: [6.0, 3.0] }
  - { id: daan,  at: [2.0, 6.0] }
  - { id: eva,   at: [6.0, 6.0] }
lines:
  - { id: front, phone: { at: [4.5, 2.0] }, cadence: nl }
  - { id: back, phone: { desks: [daan, eva] }, cadence: gb }
`;

let bridgePort = 0;

/** The README's placeholders, replaced by what this test runs; anything else is run as written. */
const PLACEHOLDERS: [string | RegExp, () => string][] = [
  ['mqtt://bridge-host:1883', () => `mqtt://127.0.0.1:${bridgePort}`],
  [/-h bridge-host(?= )/g, () => `-h 127.0.0.1 -p ${bridgePort}`],
  ['/var/lib/thirdring/', () => `${systemDir}/`],
  ['postgres://thirdring:secret@hq-db/ring_log', () => postgresUrl],
];

/** The README's PostgreSQL database (hq-db), on a server the first command that needs it starts. */
let postgres: PostgresServer | null = null;
let postgresUrl = 'postgres://not-started';
async function readmePostgres(): Promise<string> {
  if (!postgres) {
    postgres = await startPostgres();
    postgresUrl = await postgres.newDatabase('ring_log');
  }
  return postgresUrl;
}
/** Debian's postgresql-common: on PATH when the PostgreSQL server is installed. */
const POSTGRES_TOOLS = ['pg_lsclusters'];

function localise(command: string): string {
  let text = command;
  for (const [from, to] of PLACEHOLDERS) text = typeof from === 'string' ? text.replaceAll(from, to()) : text.replace(from, to());
  if (text.includes('bridge-host')) throw new Error(`a bridge-host this test does not know how to replace: ${command}`);
  return text;
}

// ─── Running them ───────────────────────────────────────────────────────────────────────────────────────────────

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  write(text: string): void;
  /** Resolves with the exit code (null: killed by a signal). */
  exited: Promise<number | null>;
  /** Ctrl-C to the command's process group, as a terminal sends it; the exit code. */
  interrupt(): Promise<number | null>;
}

const started: Running[] = [];

function start(command: string, cwd: string): Running {
  const child = spawn('bash', ['-c', localise(command)], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const running: Running = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    write: (text) => void child.stdin!.write(text),
    exited,
    async interrupt() {
      signalGroup(child, 'SIGINT');
      const code = await Promise.race([exited, sleep(8000).then(() => 'hung' as const)]);
      if (code === 'hung') throw new Error(`still running 8 s after Ctrl-C: ${command}\n${stderr}`);
      return code;
    },
  };
  started.push(running);
  return running;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to its end (or fails after `timeoutMs`). */
async function run(command: string, cwd: string, timeoutMs = 15_000) {
  const running = start(command, cwd);
  const code = await Promise.race([running.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    signalGroup(running.child, 'SIGKILL');
    throw new Error(`did not end within ${timeoutMs} ms: ${command}\nstdout: ${running.stdout()}\nstderr: ${running.stderr()}`);
  }
  return { status: code, stdout: running.stdout(), stderr: running.stderr() };
}

// ─── The bridge the facilities commands talk to ─────────────────────────────────────────────────────────────────

let bridge: Bridge | null = null;

async function runningBridge(): Promise<Bridge> {
  if (bridge) return bridge;
  const config = loadConfigFile(join(office, 'thirdring.yaml'));
  const created = new Bridge({ ...config, dataDir: join(base, 'bridge-data') });
  const mqtt = new MqttFeature(created);
  created.use(mqtt);
  await created.start();
  bridge = created;
  expect(mqtt.broker!.url).toBe(`mqtt://127.0.0.1:${bridgePort}`);
  // Ready when its retained state is out.
  const sub = await subscriber(mqtt.broker!.url, ['thirdring/branch-01/bridge/state']);
  await until('bridge online', () => sub.received.some((r) => r.payload === 'online'));
  await sub.client.endAsync();
  return created;
}

/** One call on `line`, answered at the line's phone and hung up: ring, assign, answered and ended in the log. */
function answeredCall(line: 'front' | 'back'): void {
  bridge!.input({ type: 'ring', line, state: 'on' });
  bridge!.input({ type: 'hook', line, state: 'off' });
  bridge!.input({ type: 'ring', line, state: 'off' });
  bridge!.input({ type: 'hook', line, state: 'on' });
}

/**
 * Makes calls until `check` holds: a subscriber that was just started cannot say when its subscription is in place,
 * so the test keeps the log moving until the entries show up.
 */
async function callUntil<T>(what: string, check: () => T | undefined | false | null, onLines: ('front' | 'back')[] = ['front'], timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    answeredCall(onLines[i % onLines.length]!);
    const found = await until(what, check, 300).catch(() => null);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out making calls until ${what}`);
  }
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

const entriesIn = (path: string): number => {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  } catch {
    return 0; // not created yet
  } finally {
    db.close();
  }
};

/** A recorder command: started, fed calls until its database has entries, stopped with Ctrl-C. */
async function recordsCalls(command: string, database: string): Promise<void> {
  await runningBridge();
  const recorder = start(command, office);
  await until('the recorder starts', () => recorder.stdout().includes('Ctrl-C to stop') || recorder.child.exitCode !== null, 10_000);
  expect(recorder.child.exitCode, recorder.stderr()).toBeNull();
  await callUntil(`entries in ${database}`, () => entriesIn(database) > 0);
  expect(await recorder.interrupt()).toBe(0);
  expect(recorder.stdout()).toMatch(/thirdring record: stopped; received [1-9]\d*, stored [1-9]\d*/);
  expect(entriesIn(database)).toBeGreaterThan(0);
}

/** The desk agent's config for desk anna of the running bridge (no USB devices, no logind here). */
function writeDeskYaml(): void {
  writeFileSync(
    join(office, 'desk.yaml'),
    `broker: { url: "mqtt://127.0.0.1:${bridgePort}" }\nsite: branch-01\ndesk: anna\nheadset: false\nbusylight: false\npresence: { source: none }\n`,
  );
}

// ─── What each command must do ──────────────────────────────────────────────────────────────────────────────────

interface Runner {
  /** System tools it needs (skipped with a reason locally, a failure in CI, when missing). */
  tools?: string[];
  run(command: string): Promise<void>;
}

const MOSQUITTO = ['mosquitto_sub', 'mosquitto_pub', 'mosquitto_rr'];

const RUNNERS: Record<string, Runner> = {
  'thirdring devices': {
    async run(command) {
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/^Serial ports \(ring sensors\):\n/);
      expect(stdout).toContain('\nTelephony headsets (USB HID):\n');
    },
  },
  'thirdring busylight frames blink1 yours': {
    async run(command) {
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(stdout).toBe(outputBlockAfter('thirdring busylight frames blink1 yours', 'text'));
    },
  },
  'thirdring busylight list': {
    async run(command) {
      // No USB busylight on a test machine: it says so (a machine with one lists it).
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/^no busylight found|usb [0-9a-f]{4}:[0-9a-f]{4}/);
    },
  },
  'thirdring check thirdring.yaml': {
    async run(command) {
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/^thirdring\.yaml: ok — site branch-01, 5 desks, 2 lines/);
    },
  },
  'thirdring start --config thirdring.yaml': {
    async run(command) {
      const port = await freePort();
      writeFileSync(join(startOffice, 'thirdring.yaml'), officeYaml(port));
      const bridgeProcess = start(command, startOffice);
      await until('the bridge starts', () => bridgeProcess.stdout().includes('Ctrl-C to stop') || bridgeProcess.child.exitCode !== null, 15_000);
      expect(bridgeProcess.child.exitCode, bridgeProcess.stderr()).toBeNull();
      expect(bridgeProcess.stdout()).toContain(`127.0.0.1:${port}`);
      const sub = await subscriber(`mqtt://127.0.0.1:${port}`, ['thirdring/branch-01/line/front']);
      await until('the retained front line', () => sub.received.find((r) => JSON.parse(r.payload).state === 'idle'));
      await sub.client.endAsync();
      // "Ctrl-C stops it cleanly".
      expect(await bridgeProcess.interrupt()).toBe(0);
    },
  },
  'npm run firmware': {
    tools: ['make', 'avr-gcc', 'avr-objcopy'],
    async run(command) {
      const { status, stdout, stderr } = await run(command, ROOT, 60_000);
      expect(status, stdout + stderr).toBe(0);
      const hex = readFileSync(join(ROOT, 'hardware/ring-sensor/build/ring-sensor.hex'), 'utf8').trim().split('\n');
      expect(hex[0]).toMatch(/^:[0-9A-F]+\r?$/);
      expect(hex.at(-1)!.trim()).toBe(':00000001FF');
    },
  },
  'mosquitto_sub -h bridge-host -t \'thirdring/+/log\' -v': {
    tools: MOSQUITTO,
    async run(command) {
      await runningBridge();
      const sub = start(command, office);
      const line = await callUntil('a log entry', () => lines(sub.stdout()).find((l) => l.startsWith('thirdring/branch-01/log {')));
      const entry = JSON.parse(line.slice('thirdring/branch-01/log '.length));
      expect(entry).toMatchObject({ site: 'branch-01', seq: expect.any(Number), type: expect.any(String) });
      await sub.interrupt();
    },
  },
  'mosquitto_sub -h bridge-host -t \'thirdring/branch-01/line/+\' -v': {
    tools: MOSQUITTO,
    async run(command) {
      await runningBridge();
      const sub = start(command, office);
      // Retained: both lines' state arrives at once, without a call.
      await until('both lines', () => ['front', 'back'].every((id) => sub.stdout().includes(`thirdring/branch-01/line/${id} {`)), 5000);
      for (const line of lines(sub.stdout())) {
        const [topic, payload] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
        expect(topic).toMatch(/^thirdring\/branch-01\/line\/(front|back)$/);
        expect(['idle', 'ringing', 'answered', 'in-use']).toContain(JSON.parse(payload).state);
      }
      await sub.interrupt();
    },
  },
  "mosquitto_rr -h bridge-host -V 311 -W 5 -t 'thirdring/branch-01/bridge/request/status' -e 'thirdring/branch-01/bridge/response/status' -m '{}'": {
    tools: MOSQUITTO,
    async run(command) {
      await runningBridge();
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(lines(stdout)).toHaveLength(1);
      const response = JSON.parse(stdout);
      expect(response).toMatchObject({ ok: true, site: 'branch-01', outbox: expect.any(Object), counters: expect.any(Object) });
      expect(Object.keys(response.lines)).toEqual(['front', 'back']);
      expect(Object.keys(response.desks)).toEqual(['anna', 'bram', 'chloe', 'daan', 'eva']);
    },
  },
  'mosquitto_pub -h bridge-host -t \'thirdring/branch-01/bridge/request/presence\' -m \'{"desk":"anna","state":"away"}\'': {
    tools: MOSQUITTO,
    async run(command) {
      const bridge = await runningBridge();
      const sub = await subscriber(`mqtt://127.0.0.1:${bridgePort}`, ['thirdring/branch-01/desk/anna']);
      try {
        await until('anna present', () => sub.received.some((r) => JSON.parse(r.payload).presence === 'present'));
        const { status, stdout, stderr } = await run(command, office);
        expect(status, stderr).toBe(0);
        expect(stdout).toBe('');
        await until('anna away', () => sub.received.some((r) => JSON.parse(r.payload).presence === 'away'), 5000);
      } finally {
        await sub.client.endAsync();
        bridge.input({ type: 'presence', desk: 'anna', state: 'present' });
      }
    },
  },
  'thirdring desk --config desk.yaml': {
    async run(command) {
      const bridge = await runningBridge();
      writeDeskYaml();
      bridge.input({ type: 'presence', desk: 'anna', state: 'away' });
      const agent = start(command, office);
      try {
        await until('the agent sees the bridge', () => agent.stdout().includes('bridge there') || agent.child.exitCode !== null, 15_000);
        expect(agent.child.exitCode, agent.stderr()).toBeNull();
        // Without a presence source the agent running is the person being there.
        await until('anna present', () => bridge.deskStatus('anna').presence === 'present', 5000);
        expect(await agent.interrupt()).toBe(0);
      } finally {
        bridge.input({ type: 'presence', desk: 'anna', state: 'present' });
      }
    },
  },
  'thirdring desk install --config desk.yaml': {
    async run(command) {
      writeDeskYaml();
      // Not the test user's own ~/.config: the unit goes under XDG_CONFIG_HOME.
      const config = join(base, 'xdg-config');
      const result = spawnSync('bash', ['-c', command], { cwd: office, env: { ...env, XDG_CONFIG_HOME: config }, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const unit = readFileSync(join(config, 'systemd/user/thirdring-desk.service'), 'utf8');
      expect(unit).toContain(`"desk" "--config" "${join(office, 'desk.yaml')}"`);
      expect(result.stdout).toContain('systemctl --user daemon-reload && systemctl --user enable --now thirdring-desk.service');
      expect(result.stdout).toContain('KERNEL=="hidraw*", ATTRS{idVendor}=="0b0e", MODE="0660", TAG+="uaccess"');
    },
  },
  'thirdring desk away --config desk.yaml': {
    async run(command) {
      const bridge = await runningBridge();
      writeDeskYaml();
      try {
        const { status, stdout, stderr } = await run(command, office);
        expect(status, stderr).toBe(0);
        expect(stdout).toBe('desk anna: away\n');
        await until('anna away', () => bridge.deskStatus('anna').presence === 'away', 5000);
      } finally {
        bridge.input({ type: 'presence', desk: 'anna', state: 'present' });
      }
    },
  },
  'thirdring log --url mqtt://bridge-host:1883': {
    async run(command) {
      await runningBridge();
      const tail = start(command, office);
      const answered = await callUntil('an answered call', () => lines(tail.stdout()).find((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}branch-01 {2}front {2}answered /.test(l)));
      expect(answered).toMatch(/ — on time$/);
      expect(tail.stdout()).toMatch(/branch-01 {2}front {2}ring 1\n/);
      expect(await tail.interrupt()).toBe(0);
    },
  },
  'thirdring log --config thirdring.yaml --type missed,answered': {
    async run(command) {
      await runningBridge();
      const tail = start(command, office);
      await callUntil('answered calls on both lines', () => ['front', 'back'].every((id) => tail.stdout().includes(`branch-01  ${id}  answered `)), ['front', 'back']);
      // Only outcomes: no rings, assignments or hang-ups.
      for (const line of lines(tail.stdout())) expect(line).toMatch(/ {2}(answered |MISSED )/);
      expect(await tail.interrupt()).toBe(0);
    },
  },
  'thirdring log --url mqtt://bridge-host:1883 --site branch-01 --line front --since 1h --json': {
    async run(command) {
      await runningBridge();
      const tail = start(command, office);
      await callUntil('an answered call on front, as JSON', () => tail.stdout().includes('"type":"answered"'), ['back', 'front']);
      const entries = lines(tail.stdout()).map((l) => JSON.parse(l));
      for (const entry of entries) expect(entry).toMatchObject({ site: 'branch-01', line: 'front' });
      expect(await tail.interrupt()).toBe(0);
    },
  },
  'thirdring record --url mqtt://bridge-host:1883 --db /var/lib/thirdring/ring-log.sqlite': {
    run: (command) => recordsCalls(command, join(systemDir, 'ring-log.sqlite')),
  },
  'thirdring record --config thirdring.yaml': {
    // "db in its dataDir": data/ring-log.sqlite next to thirdring.yaml.
    run: (command) => recordsCalls(command, join(office, 'data', 'ring-log.sqlite')),
  },
  'thirdring report --db ring-log.sqlite --from 2025-03-03 --to 2025-03-08 --tz Europe/Amsterdam --chart report-chart.svg': {
    async run(command) {
      // The simulated week of docs/report-sample.md (bench/report-sample.ts): 9,000 entries, 4 lines, 12 desks.
      const store = new RingLogStore(join(reportDir, 'ring-log.sqlite'));
      const days = businessDays(2025, 'Europe/Amsterdam').filter((day) => day.toISODate()! >= '2025-03-03' && day.toISODate()! < '2025-03-08');
      const entries: StoredEntry[] = [];
      for (const payload of ringLogDays(days, { entries: 9_000, lines: 4, desks: 12, seed: 3, site: 'branch-01' })) {
        const parsed = parseLogPayload(payload);
        if (!parsed.ok) throw new Error(parsed.error);
        entries.push(parsed.entry);
      }
      store.ingest(entries);
      store.close();
      const { status, stdout, stderr } = await run(command, reportDir);
      expect(status, stderr).toBe(0);
      expect(stdout).toBe(outputBlockAfter(command, 'text'));
      expect(readFileSync(join(reportDir, 'report-chart.svg'), 'utf8')).toMatch(/^<svg /);
    },
  },
  'thirdring record --url mqtt://bridge-host:1883 --db postgres://thirdring:secret@hq-db/ring_log --client-id recorder-hq-1': {
    tools: POSTGRES_TOOLS,
    async run(command) {
      const db = await readmePostgres();
      await runningBridge();
      const recorder = start(command, office);
      await until('the recorder starts', () => recorder.stdout().includes('Ctrl-C to stop') || recorder.child.exitCode !== null, 15_000);
      expect(recorder.child.exitCode, recorder.stderr()).toBeNull();
      let stored = 0;
      const poll = setInterval(() => void query<{ n: string }>(db, `SELECT count(*) AS n FROM calls WHERE site = 'branch-01'`).then((rows) => (stored = Number(rows[0]!.n)), () => {}), 200);
      try {
        await callUntil('a call in PostgreSQL', () => stored > 0, ['front'], 15_000);
      } finally {
        clearInterval(poll);
      }
      expect(await recorder.interrupt()).toBe(0);
      expect(recorder.stdout()).toMatch(/thirdring record: stopped; received [1-9]\d*, stored [1-9]\d*/);
    },
  },
  'thirdring report --db postgres://thirdring:secret@hq-db/ring_log --site all --by site --from 2026-03-02 --to 2026-03-03 --tz branch-ny=America/New_York': {
    tools: POSTGRES_TOOLS,
    async run(command) {
      // test/report/hand-day.ts's day at branch-01 (Amsterdam, zone in site_zones) and at the same local times in New York.
      const db = await readmePostgres();
      const store = await PgRingLogStore.open(db);
      await store.ingest([...handDayEntries(), ...handDayEntries('branch-ny', 'hand', 6 * 3_600_000)]);
      await store.close();
      await query(db, 'INSERT INTO site_zones VALUES ($1, $2) ON CONFLICT DO NOTHING', [HAND_SITE, HAND_ZONE]);
      const { status, stdout, stderr } = await run(command, office);
      expect(status, stderr).toBe(0);
      expect(stdout).toBe(outputBlockAfter(command, 'text'));
    },
  },
  'thirdring export --db ring-log.sqlite --from 2026-03-03 --to 2026-03-04 -o tuesday.jsonl': {
    async run(command) {
      // A recorded Tuesday with its inputs: test/export/what-if-day.ts's hand-written day on examples/branch.yaml.
      recordDay(join(whatIfDir, 'ring-log.sqlite'), branchYaml(), handEvents());
      const { status, stdout, stderr } = await run(command, whatIfDir);
      expect([status, stdout, stderr]).toEqual([0, '', '']);
      const events = lines(readFileSync(join(whatIfDir, 'tuesday.jsonl'), 'utf8')).map((l) => JSON.parse(l));
      expect(events[0]).toMatchObject({ type: 'tick', export: { site: 'branch-01', from: expect.any(String), to: expect.any(String) } });
      expect(events).toHaveLength(handEvents().length + 1);
    },
  },
  'thirdring report --db ring-log.sqlite --replay more-desks.yaml tuesday.jsonl --by desk': {
    async run(command) {
      // Made by the export command, the line before it in the README (and run before it here).
      expect(existsSync(join(whatIfDir, 'tuesday.jsonl'))).toBe(true);
      writeFileSync(join(whatIfDir, 'more-desks.yaml'), branchYaml({ extraDesks: ['{ id: femke, at: [4.5, 2.5] }'] }));
      const { status, stdout, stderr } = await run(command, whatIfDir);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toMatch(/^What-if report — site branch-01, by desk\n/);
      // femke, next to the front phone, is asked first: she has calls in the what-if and none recorded.
      expect(stdout).toMatch(/^femke +0 +[1-9]/m);
    },
  },
  'npx thirdring replay examples/branch.yaml examples/morning.jsonl': {
    async run(command) {
      // The real npx in this clone: it runs the clone's own build (dist/src/cli.js, made by npm ci's prepare).
      const { status, stdout, stderr } = await run(command, ROOT, 30_000);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toBe(outputBlockAfter(command, 'jsonl'));
    },
  },
  'npm run sim:ring-sensor': {
    // Runs the .hex that `npm run firmware` (the line before it in the README, run before it here) built.
    tools: ['make', 'avr-gcc', 'socat'],
    async run(command) {
      const sim = start(command, ROOT);
      await until('the pty', () => /point the bridge at \/\S+/.test(sim.stdout()) || sim.child.exitCode !== null, 15_000);
      await until('HELLO from the firmware', () => /HELLO thirdring-ring-sensor \S+ proto=1 channels=4\*[0-9A-F]{2}/.test(sim.stdout()), 5000);
      sim.write('ring 1 400\n');
      await until('the ring burst', () => /RING 1 ON \d+\*[0-9A-F]{2}\n[\s\S]*RING 1 OFF \d+\*[0-9A-F]{2}/.test(sim.stdout()), 5000);
      sim.write('quit\n');
      expect(await Promise.race([sim.exited, sleep(5000).then(() => 'hung')])).toBe(0);
    },
  },
};

// ─── The tests ──────────────────────────────────────────────────────────────────────────────────────────────────

const snippets = shellSnippets(README);

beforeAll(async () => {
  bridgePort = await freePort();
  writeFileSync(join(office, 'thirdring.yaml'), officeYaml(bridgePort));
});

afterAll(async () => {
  for (const running of started) if (running.child.exitCode === null && running.child.signalCode === null) signalGroup(running.child, 'SIGKILL');
  await bridge?.stop();
  await postgres?.close();
});

describe('README shell snippets', () => {
  it('every command is run below or skipped with a reason', () => {
    expect(snippets.length).toBeGreaterThan(20);
    const neither = snippets.filter((s) => !(s.key in RUNNERS) && !(s.key in SKIPPED)).map((s) => `README.md:${s.line}: ${s.key}`);
    expect(neither, 'add a runner to RUNNERS, or the command and why it is not run to SKIPPED').toEqual([]);
    const both = Object.keys(RUNNERS).filter((key) => key in SKIPPED);
    expect(both).toEqual([]);
    const gone = [...Object.keys(RUNNERS), ...Object.keys(SKIPPED)].filter((key) => !snippets.some((s) => s.key === key));
    expect(gone, 'entries for commands no longer in the README').toEqual([]);
    for (const reason of Object.values(SKIPPED)) expect(reason.length).toBeGreaterThan(10);
  });

  for (const snippet of snippets) {
    const runner = RUNNERS[snippet.key];
    if (!runner) continue;
    itWithTools(runner.tools ?? [], `README.md:${snippet.line}: ${snippet.key}`, () => runner.run(snippet.command), 40_000);
  }
});
