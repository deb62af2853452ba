// npm run bench — ring → LED through an external broker (issue #20): thirdring against Node-RED and a bare floor,
// side by side through ONE mosquitto, on the same machine at the same time.
//
// Each run starts a fresh mosquitto (/usr/sbin/mosquitto: 127.0.0.1, anonymous, no persistence, set_tcp_nodelay;
// listeners mqtt://, ws:// (protocol websockets) and mqtts:// (a throwaway CA and server certificate made with
// openssl)) and these paths, each on its own pty pair (socat) with its own probe:
//   floor               a minimal Node program (external-broker-agents.ts floor): serialport + parser-readline →
//                       checksum → mqtt.js publish of a fixed desk command (QoS 1, retained, TCP_NODELAY);
//   Node-RED            Node-RED 4.1.x, headless: serial in (node-red-node-serialport 2.x) → a function node (checksum,
//                       nearest desk) → mqtt out (QoS 1, retained). Installed by this benchmark into a cached prefix
//                       in TMPDIR, not a project dependency (Node-RED 5 needs Node 22);
//   thirdring           `node dist/src/cli.js start` with mqtt.url mqtt://127.0.0.1:<port> (that mosquitto);
//   … ws, … mqtts       the same three (Node-RED: ws only, a second flow in the same process) over mosquitto's
//                       websockets and TLS listeners — the floor of each is the bare hop over that transport;
//   … rabbitmq          floor and thirdring through one RabbitMQ node with the MQTT plugin (Debian's rabbitmq-server
//                       3.10, bench/rabbitmq-cluster.ts with the example config and accounts), when it is installed;
//   thirdring embedded  the same with mqtt.url embedded: its own aedes, where its probe subscribes;
//   floor embedded      the floor with that same aedes in its process (external-broker-agents.ts floor-embedded):
//                       with the floor through mosquitto, what "the embedded broker stays at the floor" is held to.
// A probe (external-broker-agents.ts probe) is the ring sensor on the pty's device side and a desk unit subscribed
// to desk/d1/set (over mqtt://, whatever the path's own transport): it writes RING ON and times the blue command on
// its own clock; then HOOK OFF, RING OFF, HOOK ON, so every ring is ring 1 of a new call for thirdring (answered at
// the line's phone, hung up: the LED goes off). The rings take turns, one path at a time (never two rings in
// flight), a slot of ~140 ms each: with 12 paths each one rings every ~1.7 s. 100 calls per path per run (p99 by
// nearest rank is then the second largest, not the largest of 30), three runs, the order of the paths rotated.
// Prints p50 / p99 / max per path per run, the ratios and the goal; exits non-zero only when something broke (a
// process died, a ring never lit), never on a MISS.
//
// EXTERNAL_BENCH_CALLS (100), EXTERNAL_BENCH_RUNS (3), EXTERNAL_BENCH_TRANSPORTS (tcp,ws,mqtts,rabbitmq: which
// external paths); EXTERNAL_BENCH_CPU_PROF=<dir>: every path process writes a V8
// CPU profile there when it stops (node --cpu-prof, interval EXTERNAL_BENCH_CPU_PROF_INTERVAL µs, default 100), and
// rings-run<n>.json gives each ring's RING ON write and LED arrival on the profiles' clock, to cut them ring by ring;
// EXTERNAL_BENCH_TRACE=<dir>: every path process records its serial reads, socket writes and garbage collections
// (bench/ring-trace.ts, preloaded), and each run prints, per path, the medians of RING ON → read in the process →
// first socket write (the command leaving) → at the desk: where a ring's time goes, ring by ring;
// EXTERNAL_BENCH_NODE_RED_PREFIX: where Node-RED is (or gets) installed; EXTERNAL_BENCH_MOSQUITTO: the broker binary.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { openPtyPair, type PtyPair } from '../firmware-sim/pty-pair.js';
import { seededRandom } from '../firmware-sim/random.js';
import { freePort } from './bench-kit.js';
import { throwawayCertificates } from './throwaway-certificates.js';
import { traceSummary, type TraceEvent } from './ring-trace-report.js';

const CALLS = Number(process.env.EXTERNAL_BENCH_CALLS ?? 100);
const RUNS = Number(process.env.EXTERNAL_BENCH_RUNS ?? 3);
const WARM_UP = 5;
/** One ring's slot, start to start: with ten paths each one rings every ~1.4 s. Varied, so nothing locks step with 1 s timers. */
const SLOT_MS = [120, 160] as const;
/**
 * "The embedded broker stays at the floor": thirdring with its embedded broker at most this many times the floor
 * with the same aedes, at p50 — the range issue #20 itself calls at the floor (×0.97–1.27). thirdring runs the rules
 * core and parses the whole protocol before its command; the floor publishes a fixed command.
 */
const EMBEDDED_AT_FLOOR = 1.27;
const NODE_RED = 'node-red@~4.1.0';
const SERIAL_NODE = 'node-red-node-serialport@^2.0.0';
const NODE_RED_PREFIX = process.env.EXTERNAL_BENCH_NODE_RED_PREFIX ?? join(tmpdir(), 'thirdring-nodered-4.1-serialport-2');
const MOSQUITTO = process.env.EXTERNAL_BENCH_MOSQUITTO ?? (existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto');
const CPU_PROF = process.env.EXTERNAL_BENCH_CPU_PROF;
const CPU_PROF_INTERVAL = process.env.EXTERNAL_BENCH_CPU_PROF_INTERVAL ?? '100';
const TRACE = process.env.EXTERNAL_BENCH_TRACE;

const here = fileURLToPath(new URL('.', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * p) - 1)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const times = (value: number) => `×${value.toFixed(2)}`;

/** The office all paths serve: a line whose phone is at [0, 0] on sensor channel 1; d1 is the nearest desk. */
const DESKS = [
  { id: 'd1', at: [1, 1] },
  { id: 'd2', at: [3, 1] },
  { id: 'd3', at: [1, 3] },
  { id: 'd4', at: [4, 4] },
] as const;
const PHONE = [0, 0] as const;
const BLUE = '{"led":{"color":"blue","pattern":"fast-blink"},"buzzer":{"pattern":"off"}}';
const OFF = '{"led":{"color":"off","pattern":"off"},"buzzer":{"pattern":"off"}}';

type Transport = 'tcp' | 'ws' | 'mqtts' | 'rabbitmq';
type PathName =
  | 'floor'
  | 'Node-RED'
  | 'thirdring'
  | 'floor ws'
  | 'Node-RED ws'
  | 'thirdring ws'
  | 'floor mqtts'
  | 'thirdring mqtts'
  | 'floor rabbitmq'
  | 'thirdring rabbitmq'
  | 'thirdring embedded'
  | 'floor embedded';
/** With EXTERNAL_BENCH_CPU_PROF: each path's profile is <name>-run<n>.cpuprofile (Node-RED's two flows share one process). */
const PROFILES: Record<PathName, string> = {
  floor: 'floor',
  'Node-RED': 'node-red',
  thirdring: 'thirdring-external',
  'floor ws': 'floor-ws',
  'Node-RED ws': 'node-red',
  'thirdring ws': 'thirdring-ws',
  'floor mqtts': 'floor-mqtts',
  'thirdring mqtts': 'thirdring-mqtts',
  'floor rabbitmq': 'floor-rabbitmq',
  'thirdring rabbitmq': 'thirdring-rabbitmq',
  'thirdring embedded': 'thirdring-embedded',
  'floor embedded': 'floor-embedded',
};
/** The bridge side's transport to mosquitto (the probe, the desk, is on mqtt:// always), or RabbitMQ's MQTT plugin (all on it). */
const TRANSPORT_OF: Partial<Record<PathName, Transport>> = {
  floor: 'tcp',
  'Node-RED': 'tcp',
  thirdring: 'tcp',
  'floor ws': 'ws',
  'Node-RED ws': 'ws',
  'thirdring ws': 'ws',
  'floor mqtts': 'mqtts',
  'thirdring mqtts': 'mqtts',
  'floor rabbitmq': 'rabbitmq',
  'thirdring rabbitmq': 'rabbitmq',
};
/** RabbitMQ rows when Debian's rabbitmq-server is there (bench/rabbitmq-cluster.ts starts a node of our own). */
const HAS_RABBITMQ = existsSync('/usr/lib/rabbitmq/bin/rabbitmq-server');
const TRANSPORTS = (process.env.EXTERNAL_BENCH_TRANSPORTS ?? `tcp,ws,mqtts${HAS_RABBITMQ ? ',rabbitmq' : ''}`).split(',').filter(Boolean) as Transport[];
const PATHS: PathName[] = (Object.keys(PROFILES) as PathName[]).filter((path) => {
  const transport = TRANSPORT_OF[path];
  return transport === undefined || TRANSPORTS.includes(transport);
});

/** Everything that counts as the benchmark breaking (not as a missed goal). */
const failures: string[] = [];

/** Seconds in which some runnable task waited for a CPU (Linux PSI), or NaN without /proc/pressure. */
function cpuPressureSeconds(): number {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]) / 1e6;
  } catch {
    return NaN;
  }
}

// ---- processes -----------------------------------------------------------------------------------------------

/** Every process this benchmark started, ended with it whatever happens. */
const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Rejected when a process of the current run exits before it was stopped; every wait of the run races it. */
let runDied: Promise<never> = new Promise(() => {});
let died: (error: Error) => void = () => {};
function newRun(): void {
  runDied = new Promise<never>((_, reject) => (died = reject));
  runDied.catch(() => {});
}

/** A child whose output lines can be waited for; an exit before `stop()` is a failure. */
let runProcs: Proc[] = [];
class Proc {
  readonly lines: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private stopping = false;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    streams: (Readable | null)[] = [child.stdout],
  ) {
    children.push(child);
    runProcs.push(this);
    for (const stream of streams) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        const index = this.waiters.findIndex((w) => w.test(line));
        if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(line);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
      child.once('error', (error) => {
        this.lines.push(String(error));
        resolve(-1);
      });
    });
    void this.exited.then((code) => {
      if (this.stopping) return;
      const message = `run ${runNumber}: ${name} exited (${code}); last output:\n    ${this.lines.slice(-15).join('\n    ')}`;
      failures.push(message);
      died(new Error(message));
    });
  }

  /** The first line passing `test` from line `since` on (default: lines still to come). */
  waitFor(test: RegExp | ((line: string) => boolean), timeoutMs: number, since = this.lines.length): Promise<string> {
    const check = typeof test === 'function' ? test : (line: string) => test.test(line);
    const seen = this.lines.slice(since).find(check);
    if (seen !== undefined) return Promise.resolve(seen);
    let timer: NodeJS.Timeout | undefined;
    const found = new Promise<string>((resolve, reject) => {
      const waiter = {
        test: check,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
      timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no ${String(test)} within ${timeoutMs / 1000} s; last output:\n    ${this.lines.slice(-15).join('\n    ')}`));
      }, timeoutMs);
    });
    return Promise.race([found, runDied]);
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  async stop(command?: string): Promise<number | null> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    if (command) this.send(command);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Folders of the current run (configs, data, Node-RED's userDir), removed when it ends. */
let runDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  runDirs.push(dir);
  return dir;
}

/**
 * A path process: node [--cpu-prof …] [--import ring-trace.js] script args, profiled when EXTERNAL_BENCH_CPU_PROF
 * is set and traced (into <profileName>.trace.json) when EXTERNAL_BENCH_TRACE is.
 */
function spawnPath(profileName: string, script: string, args: string[], stdio: ('ignore' | 'pipe' | 'inherit')[], cwd?: string): ChildProcess {
  const profile = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF, '--cpu-prof-name', `${profileName}.cpuprofile`, '--cpu-prof-interval', CPU_PROF_INTERVAL] : [];
  const trace = TRACE ? ['--import', join(here, 'ring-trace.js')] : [];
  const env = TRACE ? { ...process.env, THIRDRING_BENCH_TRACE_FILE: join(TRACE, `${profileName}.trace.json`) } : process.env;
  return spawn(process.execPath, [...profile, ...trace, script, ...args], { stdio, env, cwd });
}

// ---- Node-RED: installed once per version into a prefix in TMPDIR ------------------------------------------------

async function installNodeRed(): Promise<{ redJs: string; version: string; serialVersion: string }> {
  const marker = join(NODE_RED_PREFIX, '.thirdring-bench-installed');
  const packageVersion = (name: string) => (JSON.parse(readFileSync(join(NODE_RED_PREFIX, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  if (!existsSync(marker)) {
    mkdirSync(NODE_RED_PREFIX, { recursive: true });
    console.log(`external broker: installing ${NODE_RED} and ${SERIAL_NODE} into ${NODE_RED_PREFIX} (once; kept for the next runs) …`);
    const startedAt = performance.now();
    // Not through this project's npm settings: `npm run` passes them on as npm_config_* variables.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const npm = spawn('npm', ['install', '--prefix', NODE_RED_PREFIX, '--no-audit', '--no-fund', '--loglevel=error', NODE_RED, SERIAL_NODE], {
      cwd: NODE_RED_PREFIX,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => {
      npm.once('exit', resolve);
      npm.once('error', () => resolve(-1));
    });
    if (code !== 0) throw new Error(`npm install of ${NODE_RED} ${SERIAL_NODE} into ${NODE_RED_PREFIX} failed (${code})`);
    writeFileSync(marker, `${NODE_RED} ${SERIAL_NODE}\n`);
    console.log(`external broker: installed Node-RED ${packageVersion('node-red')} in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  }
  return { redJs: join(NODE_RED_PREFIX, 'node_modules', 'node-red', 'red.js'), version: packageVersion('node-red'), serialVersion: packageVersion('node-red-node-serialport') };
}

/** The function node: the checksum, then the desk nearest the line's phone (a tiny inline computation). */
const FUNCTION_NODE = `
const line = msg.payload.replace(/\\r?\\n$/, '');
const star = line.length - 3;
if (star < 0 || line[star] !== '*') return null;
const body = line.slice(0, star);
let sum = 0;
for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
if (line.slice(star + 1) !== sum.toString(16).toUpperCase().padStart(2, '0')) return null;
const [kind, channel, state] = body.split(' ');
if (channel !== '1') return null;
if (kind === 'RING' && state === 'ON') {
  const phone = ${JSON.stringify(PHONE)};
  const desks = ${JSON.stringify(DESKS)};
  let nearest = null;
  let best = Infinity;
  for (const desk of desks) {
    const distance = Math.hypot(desk.at[0] - phone[0], desk.at[1] - phone[1]);
    if (distance < best) [nearest, best] = [desk, distance];
  }
  context.set('lit', nearest.id);
  msg.topic = 'thirdring/nodered/desk/' + nearest.id + '/set';
  msg.payload = ${JSON.stringify(BLUE)};
  return msg;
}
if (kind === 'HOOK' && state === 'ON' && context.get('lit')) {
  msg.topic = 'thirdring/nodered/desk/' + context.get('lit') + '/set';
  msg.payload = ${JSON.stringify(OFF)};
  context.set('lit', null);
  return msg;
}
return null;
`;

/** One Node-RED flow: its own serial port, broker connection (mqtt:// or ws://) and site in the topic. */
type NodeRedFlow = { key: string; ptyPath: string; brokerUrl: string; site: string };

function nodeRedFlows(flows: NodeRedFlow[]): object[] {
  return flows.flatMap(({ key, ptyPath, brokerUrl, site }, i) => [
    { id: `ring-tab${key}`, type: 'tab', label: `ring → LED ${brokerUrl.split(':')[0]}`, disabled: false },
    {
      id: `ring-sensor${key}`,
      type: 'serial-port',
      name: `ring sensor${key}`,
      serialport: ptyPath,
      serialbaud: '115200',
      databits: '8',
      parity: 'none',
      stopbits: '1',
      waitfor: '',
      dtr: 'none',
      rts: 'none',
      cts: 'none',
      dsr: 'none',
      newline: '\\n',
      bin: 'false',
      out: 'char',
      addchar: '',
      responsetimeout: '10000',
    },
    {
      id: `broker${key}`,
      type: 'mqtt-broker',
      name: `mosquitto${key}`,
      // A URL: the mqtt node takes mqtt:// and ws:// here (the port field is then not used).
      broker: brokerUrl,
      port: brokerUrl.split(':').at(-1),
      clientid: `thirdring-bench-node-red${key}`,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: '',
      closeTopic: '',
      willTopic: '',
    },
    { id: `serial-in${key}`, type: 'serial in', z: `ring-tab${key}`, name: 'sensor lines', serial: `ring-sensor${key}`, x: 120, y: 80 + i, wires: [[`nearest-desk${key}`]] },
    {
      id: `nearest-desk${key}`,
      type: 'function',
      z: `ring-tab${key}`,
      name: 'checksum, nearest desk',
      func: FUNCTION_NODE.replaceAll("'thirdring/nodered/desk/'", `'thirdring/${site}/desk/'`),
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      x: 330,
      y: 80,
      wires: [[`desk-set${key}`]],
    },
    { id: `desk-set${key}`, type: 'mqtt out', z: `ring-tab${key}`, name: 'desk/<id>/set', topic: '', qos: '1', retain: 'true', broker: `broker${key}`, x: 550, y: 80, wires: [] },
  ]);
}

/** One Node-RED process for all its paths (mqtt:// and ws://): rings never overlap, so they do not meet in it. */
async function startNodeRed(redJs: string, flows: NodeRedFlow[]): Promise<Proc> {
  const userDir = tempDir('thirdring-bench-nodered-');
  const flowFile = join(userDir, 'flows.json');
  writeFileSync(flowFile, JSON.stringify(nodeRedFlows(flows), null, 2));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: await freePort(),
    userDir,
    flowFile,
    credentialSecret: false,
    logging: { console: { level: 'info', metrics: false, audit: false } },
    editorTheme: { projects: { enabled: false }, tours: false },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    functionExternalModules: false,
  };
  const settingsFile = join(userDir, 'settings.js');
  writeFileSync(settingsFile, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  const child = spawnPath(`${PROFILES['Node-RED']}-run${runNumber}`, redJs, ['--settings', settingsFile, '--userDir', userDir], ['ignore', 'pipe', 'pipe'], userDir);
  const proc = new Proc('Node-RED', child, [child.stdout, child.stderr]);
  // Its flow is running, the serial port open and the mqtt node connected.
  await Promise.all([
    proc.waitFor(/\] Started flows/, 30_000, 0),
    ...flows.flatMap(({ key, ptyPath }) => [
      proc.waitFor((line) => line.includes(`[mqtt-broker:mosquitto${key}] Connected to broker`), 30_000, 0),
      proc.waitFor((line) => line.includes(`serial port ${ptyPath} opened at 115200 baud`), 30_000, 0),
    ]),
  ]);
  return proc;
}

// ---- the other paths -----------------------------------------------------------------------------------------

/** A throwaway CA and a server certificate for 127.0.0.1, for the mqtts:// listener. */
function makeCertificates(): { ca: string; cert: string; key: string } {
  const { ca, server } = throwawayCertificates(tempDir('thirdring-bench-tls-'));
  return { ca, ...server };
}

type Listeners = { tcp: number; ws: number; mqtts: number; certs: ReturnType<typeof makeCertificates> | null };

/** mqtt:// always; a websockets listener and a TLS one (server certificate only) for the paths that use them. */
async function startMosquitto(listeners: Listeners): Promise<Proc> {
  const dir = tempDir('thirdring-bench-mosquitto-');
  const conf = join(dir, 'mosquitto.conf');
  const lines = ['per_listener_settings false', 'allow_anonymous true', 'persistence false', 'log_dest stderr', `listener ${listeners.tcp} 127.0.0.1`, 'set_tcp_nodelay true'];
  if (TRANSPORTS.includes('ws')) lines.push(`listener ${listeners.ws} 127.0.0.1`, 'protocol websockets');
  if (listeners.certs) {
    const { ca, cert, key } = listeners.certs;
    lines.push(`listener ${listeners.mqtts} 127.0.0.1`, `cafile ${ca}`, `certfile ${cert}`, `keyfile ${key}`, 'require_certificate false');
  }
  writeFileSync(conf, [...lines, ''].join('\n'));
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = new Proc('mosquitto', child, [child.stdout, child.stderr]);
  await proc.waitFor(/mosquitto version \S+ running/, 10_000, 0);
  return proc;
}

async function startThirdring(label: string, ptyPath: string, mqttSettings: string, profileName: string, site = 'bench'): Promise<Proc> {
  const dir = tempDir('thirdring-bench-');
  writeFileSync(
    join(dir, 'office.yaml'),
    `site: ${site}\ndataDir: ${dir}\nmqtt: ${mqttSettings}\ndashboard: { enabled: false }\n` +
      `desks: [${DESKS.map((d) => `{ id: ${d.id}, at: [${d.at.join(', ')}] }`).join(', ')}]\n` +
      `lines: [{ id: front, phone: { at: [${PHONE.join(', ')}] }, cadence: nl, sensor: { serial: ${ptyPath}, channel: 1 } }]\n`,
  );
  const child = spawnPath(profileName, join(here, '../src/cli.js'), ['start', '--config', join(dir, 'office.yaml')], ['ignore', 'pipe', 'inherit']);
  const proc = new Proc(label, child);
  // The last line of its start-up report says it is running (it waits up to 3 s for the sensor to answer).
  await proc.waitFor(/^thirdring: .*running/, 20_000, 0);
  return proc;
}

async function startFloor(label: string, args: string[], profileName: string): Promise<Proc> {
  const child = spawnPath(profileName, join(here, 'external-broker-agents.js'), args, ['ignore', 'pipe', 'inherit']);
  const proc = new Proc(label, child);
  await proc.waitFor(/^ready$/, 10_000, 0);
  return proc;
}

async function startProbe(path: PathName, ptyPath: string, url: string, topic: string): Promise<Proc> {
  const child = spawn(process.execPath, [join(here, 'external-broker-agents.js'), 'probe', ptyPath, url, topic], { stdio: ['pipe', 'pipe', 'inherit'] });
  const proc = new Proc(`probe (${path})`, child);
  await proc.waitFor(/^ready$/, 30_000, 0);
  return proc;
}

// ---- RabbitMQ: one node for the whole benchmark ---------------------------------------------------------------

const RABBIT_PASSWORD = 'bench-rabbit-secret';
/** The node's URL (thirdring logs in through its config), and the same with the floor's and the probes' users in it. */
type Rabbit = { url: string; floorUrl: string; probeUrl: string; close: () => Promise<void> };
let rabbit = null as Rabbit | null;

async function startRabbit(): Promise<void> {
  const { startRabbitCluster } = await import('./rabbitmq-cluster.js');
  const startedAt = performance.now();
  const cluster = await startRabbitCluster(1);
  try {
    // examples/topologies/rabbitmq/accounts.sh: a branch account per site; the probes read everything.
    await cluster.accounts([`branch rabbitbench ${RABBIT_PASSWORD}`, `branch rabbitfloor ${RABBIT_PASSWORD}`]);
    await cluster.ctl(['add_user', 'probe', RABBIT_PASSWORD]);
    await cluster.ctl(['set_permissions', 'probe', '.*', '.*', '.*']);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  const { url } = cluster.nodes[0]!;
  const withUser = (user: string) => url.replace('mqtt://', `mqtt://${user}:${RABBIT_PASSWORD}@`);
  rabbit = { url, floorUrl: withUser('bridge-rabbitfloor'), probeUrl: withUser('probe'), close: () => cluster.close() };
  console.log(`  RabbitMQ: one node of Debian's rabbitmq-server with the MQTT plugin (examples/topologies/rabbitmq), started in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
}

// ---- one run -------------------------------------------------------------------------------------------------

type RunResult = { order: PathName[]; latencies: Record<PathName, number[]>; pressure: number; seconds: number; notRetained: PathName[]; traces: Partial<Record<PathName, string>> };
let runNumber = 0;

async function oneRun(order: PathName[], redJs: string): Promise<RunResult | null> {
  runNumber++;
  newRun();
  runProcs = [];
  runDirs = [];
  const ptys: PtyPair[] = [];
  try {
    const listeners: Listeners = { tcp: await freePort(), ws: await freePort(), mqtts: await freePort(), certs: TRANSPORTS.includes('mqtts') ? makeCertificates() : null };
    const url = `mqtt://127.0.0.1:${listeners.tcp}`;
    const wsUrl = `ws://127.0.0.1:${listeners.ws}`;
    const tlsUrl = `mqtts://127.0.0.1:${listeners.mqtts}`;
    const ca = listeners.certs?.ca ?? '';
    const mosquitto = await startMosquitto(listeners);
    for (let i = 0; i < PATHS.length; i++) ptys.push(await openPtyPair());
    const pty = Object.fromEntries(PATHS.map((path, i) => [path, ptys[i]!])) as Record<PathName, PtyPair>;
    const embeddedPort = await freePort();
    const floorPort = await freePort();
    // Every path publishes to a site of its own on the one mosquitto; its probe (the desk) subscribes over mqtt://.
    const topics: Record<PathName, [string, string]> = {
      floor: [url, 'thirdring/floor/desk/d1/set'],
      'Node-RED': [url, 'thirdring/nodered/desk/d1/set'],
      thirdring: [url, 'thirdring/bench/desk/d1/set'],
      'floor ws': [url, 'thirdring/floorws/desk/d1/set'],
      'Node-RED ws': [url, 'thirdring/noderedws/desk/d1/set'],
      'thirdring ws': [url, 'thirdring/benchws/desk/d1/set'],
      'floor mqtts': [url, 'thirdring/floortls/desk/d1/set'],
      'thirdring mqtts': [url, 'thirdring/benchtls/desk/d1/set'],
      // The floor and the probes log in with the URL's user (RabbitMQ's MQTT plugin has no anonymous access).
      'floor rabbitmq': [rabbit?.probeUrl ?? '', 'thirdring/rabbitfloor/desk/d1/set'],
      'thirdring rabbitmq': [rabbit?.probeUrl ?? '', 'thirdring/rabbitbench/desk/d1/set'],
      'thirdring embedded': [`mqtt://127.0.0.1:${embeddedPort}`, 'thirdring/bench/desk/d1/set'],
      'floor embedded': [`mqtt://127.0.0.1:${floorPort}`, 'thirdring/floor/desk/d1/set'],
    };
    const profile = (path: PathName) => `${PROFILES[path]}-run${runNumber}`;
    const nodeRedFlowsOfRun: NodeRedFlow[] = [
      { key: '', ptyPath: pty['Node-RED']?.hostPath ?? '', brokerUrl: url, site: 'nodered' },
      { key: '-ws', ptyPath: pty['Node-RED ws']?.hostPath ?? '', brokerUrl: wsUrl, site: 'noderedws' },
    ].filter(({ ptyPath }) => ptyPath !== '');
    let nodeRedStarted: Promise<Proc> | null = null;
    const nodeRedProc = () => (nodeRedStarted ??= startNodeRed(redJs, nodeRedFlowsOfRun));
    const floorPath = (path: PathName, brokerUrl: string, extra: string[] = []) =>
      startFloor(path, ['floor', pty[path].hostPath, brokerUrl, topics[path][1], ...extra], profile(path));
    const thirdringPath = (path: PathName, settings: string) => startThirdring(`thirdring start (${path})`, pty[path].hostPath, settings, profile(path), topics[path][1].split('/')[1]);
    const start: Record<PathName, () => Promise<Proc>> = {
      floor: () => floorPath('floor', url),
      'Node-RED': nodeRedProc,
      thirdring: () => thirdringPath('thirdring', `{ url: "${url}" }`),
      'floor ws': () => floorPath('floor ws', wsUrl),
      'Node-RED ws': nodeRedProc,
      'thirdring ws': () => thirdringPath('thirdring ws', `{ url: "${wsUrl}" }`),
      'floor mqtts': () => floorPath('floor mqtts', tlsUrl, [ca]),
      'thirdring mqtts': () => thirdringPath('thirdring mqtts', `{ url: "${tlsUrl}", ca: "${ca}" }`),
      'floor rabbitmq': () => floorPath('floor rabbitmq', rabbit!.floorUrl),
      'thirdring rabbitmq': () => thirdringPath('thirdring rabbitmq', `{ url: "${rabbit!.url}", username: bridge-rabbitbench, password: ${RABBIT_PASSWORD} }`),
      'thirdring embedded': () => thirdringPath('thirdring embedded', `{ url: embedded, port: ${embeddedPort}, wsPort: false }`),
      'floor embedded': () => startFloor('floor (embedded aedes)', ['floor-embedded', pty['floor embedded'].hostPath, String(floorPort), 'floor'], profile('floor embedded')),
    };
    // Each path with its probe at once: the sensor answers while the path starts (thirdring waits for it).
    const started = await Promise.all(PATHS.map((path) => Promise.all([start[path](), startProbe(path, pty[path].devicePath, ...topics[path])])));
    const paths = [...new Set(started.map(([proc]) => proc))];
    const probes = Object.fromEntries(PATHS.map((path, i) => [path, started[i]![1]])) as Record<PathName, Proc>;
    await Promise.race([sleep(1500), runDied]);

    const latencies = Object.fromEntries(PATHS.map((path) => [path, [] as number[]])) as Record<PathName, number[]>;
    const rings = Object.fromEntries(PATHS.map((path) => [path, [] as [number, number | null][]])) as Record<PathName, [number, number | null][]>;
    const random = seededRandom(20 + runNumber);
    const pressureAt = cpuPressureSeconds();
    const startedAt = performance.now();
    for (let round = -WARM_UP; round < CALLS; round++) {
      for (const path of order) {
        const slotEnds = performance.now() + SLOT_MS[0] + random() * (SLOT_MS[1] - SLOT_MS[0]);
        const answer = probes[path].waitFor(/^rang /, 15_000);
        probes[path].send('ring');
        const { ms: latency, cleared, sentUs, litUs } = JSON.parse((await answer).slice(5)) as { ms: number | null; cleared: boolean; sentUs: number; litUs: number | null };
        if (round >= 0) rings[path].push([sentUs, litUs]);
        if (latency === null) failures.push(`run ${runNumber}: ${path}: RING ON never lit desk d1 (no blue command within 5 s)`);
        else if (round >= 0) latencies[path].push(latency);
        if (!cleared) failures.push(`run ${runNumber}: ${path}: the call's end never turned desk d1 off within 5 s`);
        if (latency === null || !cleared) {
          if (failures.filter((f) => f.startsWith(`run ${runNumber}: ${path}:`)).length >= 3) throw new Error(`${path} is not lighting the desk; run abandoned`);
        }
        await Promise.race([sleep(slotEnds - performance.now()), runDied]);
      }
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const pressure = (cpuPressureSeconds() - pressureAt) / seconds;
    // Each measured ring's RING ON write and LED arrival in CLOCK_MONOTONIC µs, the profiles' clock: a profile cut at
    // these is the path's work between the serial line and the desk command.
    if (CPU_PROF) writeFileSync(join(CPU_PROF, `rings-run${runNumber}.json`), JSON.stringify({ order, profiles: PROFILES, rings }));

    // Each path left its last desk command retained on mosquitto (QoS 1, retain), as a desk unit that reconnects needs.
    const retained = new Set<string>();
    const checker = await Promise.race([mqtt.connectAsync(url, { protocolVersion: 4 }), runDied]);
    checker.on('message', (topic, _payload, packet) => packet.retain && retained.add(topic));
    await checker.subscribeAsync('thirdring/+/desk/d1/set', { qos: 1 });
    await sleep(300);
    await checker.endAsync();
    const notRetained = PATHS.filter((path) => TRANSPORT_OF[path] !== undefined && TRANSPORT_OF[path] !== 'rabbitmq' && !retained.has(topics[path][1]));

    await Promise.all(Object.values(probes).map((probe) => probe.stop('quit')));
    const codes = await Promise.all(paths.map((proc) => proc.stop()));
    paths.forEach((proc, i) => {
      if (proc.name.startsWith('thirdring') && codes[i] !== 0) failures.push(`run ${runNumber}: ${proc.name} exited with ${codes[i]} on SIGTERM`);
    });
    await mosquitto.stop();
    // The path processes wrote their traces as they exited.
    const traces: Partial<Record<PathName, string>> = {};
    if (TRACE) {
      for (const path of PATHS) {
        const file = join(TRACE, `${PROFILES[path]}-run${runNumber}.trace.json`);
        traces[path] = existsSync(file) ? traceSummary(JSON.parse(readFileSync(file, 'utf8')) as TraceEvent[], rings[path]) : 'no trace (the process did not exit normally)';
      }
    }
    return { order, latencies, pressure, seconds, notRetained, traces };
  } catch (error) {
    const message = (error as Error).message;
    if (!failures.includes(message)) failures.push(message.startsWith(`run ${runNumber}: `) ? message : `run ${runNumber}: ${message}`);
    return null;
  } finally {
    for (const proc of runProcs) if (proc.child.exitCode === null && proc.child.signalCode === null) await proc.stop();
    for (const pty of ptys) await pty.close();
    for (const dir of runDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report --------------------------------------------------------------------------------------------------

const LABELS: Record<PathName, string> = {
  floor: 'floor',
  'Node-RED': 'Node-RED',
  thirdring: 'thirdring',
  'floor ws': 'floor, ws://',
  'Node-RED ws': 'Node-RED, ws://',
  'thirdring ws': 'thirdring, ws://',
  'floor mqtts': 'floor, mqtts://',
  'thirdring mqtts': 'thirdring, mqtts://',
  'floor rabbitmq': 'floor, RabbitMQ',
  'thirdring rabbitmq': 'thirdring, RabbitMQ',
  'thirdring embedded': 'thirdring, embedded broker',
  'floor embedded': 'floor, embedded broker',
};

function stats(values: number[]) {
  return { p50: nearestRank(values, 0.5), p99: nearestRank(values, 0.99), max: Math.max(...values) };
}

function report(index: number, result: RunResult): void {
  const s = Object.fromEntries(PATHS.map((path) => [path, stats(result.latencies[path])])) as Record<PathName, ReturnType<typeof stats>>;
  const pressure = Number.isNaN(result.pressure) ? '' : `; CPU pressure ${(result.pressure * 100).toFixed(0)}% of ${cpus().length} CPUs`;
  console.log(`  run ${index} (order ${result.order.map((p) => LABELS[p]).join(' → ')}; ${result.latencies[result.order[0]!].length} calls per path in ${result.seconds.toFixed(0)} s${pressure})`);
  for (const path of PATHS) {
    const { p50, p99, max } = s[path];
    const slowest = [...result.latencies[path]].sort((a, b) => b - a).slice(0, 3).map((v) => v.toFixed(1));
    console.log(`    ${LABELS[path].padEnd(27)} p50 ${ms(p50).padStart(8)}   p99 ${ms(p99).padStart(9)}   max ${ms(max).padStart(9)}   (slowest ${slowest.join(', ')} ms)`);
    if (result.traces[path]) console.log(`      ${result.traces[path]}`);
  }
  const t = s.thirdring;
  const red = s['Node-RED'];
  const floor = s.floor;
  if (TRANSPORTS.includes('tcp')) {
    console.log(
      `    thirdring / Node-RED: p50 ${times(t.p50 / red.p50)}, p99 ${times(t.p99 / red.p99)};   thirdring / floor: p50 ${times(t.p50 / floor.p50)}, p99 ${times(t.p99 / floor.p99)}`,
    );
    console.log(`    goal: thirdring p50 ≤ Node-RED p50 and p99 ≤ 1.2 × Node-RED p99, in the same run → ${beatsNodeRed(result) ? 'PASS' : 'MISS'}`);
  }
  for (const transport of ['ws', 'mqtts', 'rabbitmq'] as const) {
    if (!TRANSPORTS.includes(transport)) continue;
    const [tt, ff, rr] = [s[`thirdring ${transport}`], s[`floor ${transport}`], transport === 'ws' ? s['Node-RED ws'] : null];
    console.log(
      `    ${transport === 'rabbitmq' ? 'RabbitMQ' : `${transport}://`}: thirdring / floor p50 ${times(tt.p50 / ff.p50)}, p99 ${times(tt.p99 / ff.p99)}` +
        (rr ? `; thirdring / Node-RED p50 ${times(tt.p50 / rr.p50)}, p99 ${times(tt.p99 / rr.p99)} → ${tt.p50 <= rr.p50 && tt.p99 <= 1.2 * rr.p99 ? 'PASS' : 'MISS'}` : ''),
    );
  }
  const embedded = s['thirdring embedded'];
  const floorEmbedded = s['floor embedded'];
  console.log(
    `    embedded broker stays at the floor: thirdring with its embedded broker / the floor with the same aedes: p50 ${times(embedded.p50 / floorEmbedded.p50)}, p99 ${times(embedded.p99 / floorEmbedded.p99)}` +
      (floor ? `; / the floor through mosquitto: p50 ${times(embedded.p50 / floor.p50)}, p99 ${times(embedded.p99 / floor.p99)}` : '') +
      ` → ${embeddedAtFloor(result) ? 'PASS' : 'MISS'} (p50 ≤ ×${EMBEDDED_AT_FLOOR})`,
  );
  if (result.notRetained.length > 0) console.log(`    note: no retained desk command on mosquitto after the run from ${result.notRetained.join(', ')}`);
}

function beatsNodeRed(result: RunResult): boolean {
  const [t, red] = [stats(result.latencies.thirdring), stats(result.latencies['Node-RED'])];
  return t.p50 <= red.p50 && t.p99 <= 1.2 * red.p99;
}

function embeddedAtFloor(result: RunResult): boolean {
  return stats(result.latencies['thirdring embedded']).p50 <= EMBEDDED_AT_FLOOR * stats(result.latencies['floor embedded']).p50;
}

// ---- main ----------------------------------------------------------------------------------------------------

const results: RunResult[] = [];
let nodeRed: Awaited<ReturnType<typeof installNodeRed>> | null = null;
try {
  nodeRed = await installNodeRed();
} catch (error) {
  failures.push((error as Error).message);
}
if (nodeRed) {
  const mosquittoVersion = await new Promise<string>((resolve) => {
    const child = spawn(MOSQUITTO, ['-h'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', () => resolve(/mosquitto version (\S+)/.exec(out)?.[1] ?? 'unknown version'));
    child.once('error', () => resolve('not found'));
  });
  console.log(
    `external broker: ring → LED, RING ON on a pty → the path's process → desk/d1/set at a desk-unit probe, paths side by side through one mosquitto ${mosquittoVersion} ` +
      `(fresh per run, 127.0.0.1, set_tcp_nodelay; listeners ${TRANSPORTS.join(', ')}); ${CALLS} calls per path per run after ${WARM_UP} warm-up, one ring at a time, ` +
      `each path every ~${((PATHS.length * (SLOT_MS[0] + SLOT_MS[1])) / 2000).toFixed(1)} s; p99 by nearest rank${CALLS < 100 ? ` (of ${CALLS}: the largest)` : ''}`,
  );
  console.log(
    `  floor: serialport + parser-readline → checksum → mqtt.js (QoS 1, retained, TCP_NODELAY); Node-RED ${nodeRed.version}: serial in (node-red-node-serialport ${nodeRed.serialVersion}) → function (checksum, nearest desk) → mqtt out (QoS 1, retained); ` +
      `thirdring: node dist/src/cli.js start, mqtt.url mqtt://127.0.0.1:<port>, 4 desks; embedded broker: thirdring with mqtt.url embedded, and the floor with the same aedes in its process (the probe on that broker)`,
  );
  if (PATHS.some((path) => TRANSPORT_OF[path] === 'rabbitmq')) {
    try {
      await startRabbit();
    } catch (error) {
      console.log(`  RabbitMQ: left out, it did not start: ${(error as Error).message.split('\n')[0]}`);
      for (const path of ['floor rabbitmq', 'thirdring rabbitmq'] as const) PATHS.splice(PATHS.indexOf(path), 1);
      TRANSPORTS.splice(TRANSPORTS.indexOf('rabbitmq'), 1);
    }
  }
  try {
    for (let run = 0; run < RUNS; run++) {
      const order = PATHS.map((_, i) => PATHS[(i + run) % PATHS.length]!);
      const result = await oneRun(order, nodeRed.redJs);
      if (!result) continue;
      results.push(result);
      report(run + 1, result);
    }
  } finally {
    await (rabbit as Rabbit | null)?.close();
  }
  if (results.length > 1) {
    const pooled = (path: PathName) => stats(results.flatMap((r) => r.latencies[path]));
    const nodeRedGoal = TRANSPORTS.includes('tcp') ? `thirdring ≤ Node-RED met in ${results.filter(beatsNodeRed).length} of ${results.length}; ` : '';
    console.log(
      `  all runs: ${nodeRedGoal}embedded at the floor in ${results.filter(embeddedAtFloor).length} of ${results.length}; pooled p50 / p99: ` +
        PATHS.map((path) => `${LABELS[path]} ${pooled(path).p50.toFixed(2)} / ${pooled(path).p99.toFixed(2)} ms`).join(', '),
    );
  }
  if (CPU_PROF) {
    console.log(
      `  CPU profiles (node --cpu-prof, every ${CPU_PROF_INTERVAL} µs) in ${CPU_PROF}: <path>-run<n>.cpuprofile, and rings-run<n>.json with each ring's RING ON write and LED arrival in their clock (CLOCK_MONOTONIC µs)`,
    );
  }
}
if (failures.length > 0) {
  console.error(`external broker: FAILED\n  ${[...new Set(failures)].join('\n  ')}`);
  process.exit(1);
}
