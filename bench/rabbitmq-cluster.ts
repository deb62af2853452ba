// A throwaway RabbitMQ cluster on this machine, for test/topologies and bench/topologies.bench.ts: Debian's rabbitmq-server (3.10) nodes
// with the MQTT plugin, each with its own node name, ports and data folder, one Erlang cookie and a private epmd,
// clustered with rabbitmqctl join_cluster. The nodes run as the current user (root is fine) with HOME in a temp
// folder, so nothing of a system RabbitMQ (its cookie, its epmd on 4369, its data) is touched.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../src/package-root.js';
import { freePort } from './bench-kit.js';

const BIN = '/usr/lib/rabbitmq/bin';
export const EXAMPLE = join(packageRoot(), 'examples/topologies/rabbitmq');
/** On PATH once Debian's rabbitmq-server is installed (its scripts are in BIN). */
export const RABBITMQ_TOOLS = ['rabbitmqctl', 'epmd'];

export interface RabbitNode {
  name: string;
  mqttPort: number;
  url: string;
  running(): boolean;
  /** SIGKILL: the machine is gone, nothing is shut down cleanly. */
  kill(): Promise<void>;
  /** Starts it again with its data (it rejoins the cluster by itself). */
  start(): Promise<void>;
}

export interface RabbitCluster {
  nodes: RabbitNode[];
  /** rabbitmqctl against a running node. */
  ctl(args: string[]): Promise<string>;
  /** examples/topologies/rabbitmq/accounts.sh against the cluster, with these lines on its stdin. */
  accounts(lines: string[]): Promise<string>;
  close(): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}


export async function startRabbitCluster(count: number): Promise<RabbitCluster> {
  const home = mkdtempSync(join(tmpdir(), 'thirdring-rabbitmq-'));
  writeFileSync(join(home, '.erlang.cookie'), `thirdring-test-${process.pid}-${Date.now()}`);
  chmodSync(join(home, '.erlang.cookie'), 0o400);
  const epmdPort = await freePort();
  const epmd = spawn('epmd', ['-port', String(epmdPort)], { stdio: 'ignore' });
  // Listening before the first node starts, or the node would start a daemon epmd of its own that outlives us.
  while (!(await answers(epmdPort))) await sleep(20);
  const env = {
    ...process.env,
    HOME: home,
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_CONF_ENV_FILE: '/dev/null',
    // Two cores shared with everything else: no busy-waiting schedulers, two of them per node.
    RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD: 'none',
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '+S 2:2 +A 8',
  };
  const example = readFileSync(join(EXAMPLE, 'rabbitmq.conf'), 'utf8');
  const children = new Map<string, ChildProcess>();

  const nodes: RabbitNode[] = [];
  for (let i = 0; i < count; i++) {
    const name = `thirdring${process.pid}${String.fromCharCode(97 + i)}@localhost`;
    const dir = join(home, name.split('@')[0]!);
    mkdirSync(dir);
    const [amqpPort, distPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
    // The example config, with only the listeners moved to loopback ports of their own.
    const conf = example.replace(/^mqtt\.listeners\.tcp\.default = .*$/m, `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`) + `listeners.tcp.default = 127.0.0.1:${amqpPort}\n`;
    if (!conf.includes(`127.0.0.1:${mqttPort}`)) throw new Error('the example rabbitmq.conf has no mqtt.listeners.tcp.default line');
    writeFileSync(join(dir, 'rabbitmq.conf'), conf);
    writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
    const nodeEnv = {
      ...env,
      RABBITMQ_NODENAME: name,
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'pid'),
      RABBITMQ_LOGS: '-',
    };
    let log = '';
    const start = async () => {
      log = '';
      const child = spawn(join(BIN, 'rabbitmq-server'), [], { env: nodeEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      children.set(name, child);
      const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      const deadline = Date.now() + 90_000;
      while (!log.includes('Server startup complete')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`RabbitMQ node ${name} did not start:\n${log.slice(-3000)}`);
        await sleep(100);
      }
    };
    nodes.push({
      name,
      mqttPort,
      url: `mqtt://127.0.0.1:${mqttPort}`,
      running: () => {
        const child = children.get(name);
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
      kill: async () => {
        const child = children.get(name);
        if (!child || child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // The script's erl is its child: kill the node itself (its pid file), then the script.
        const pid = Number(readFileSync(join(dir, 'pid'), 'utf8').trim());
        if (pid > 0) spawnSync('kill', ['-9', String(pid)]);
        child.kill('SIGKILL');
        await exited;
      },
      start,
    });
  }

  const ctlOn = async (node: RabbitNode, args: string[]) => (await run(join(BIN, 'rabbitmqctl'), ['-q', '-n', node.name, ...args], { env, timeout: 60_000 })).stdout;
  const anyRunning = () => nodes.find((n) => n.running()) ?? nodes[0]!;
  const cluster: RabbitCluster = {
    nodes,
    ctl: (args) => ctlOn(anyRunning(), args),
    accounts(lines) {
      const script = spawnSync(join(EXAMPLE, 'accounts.sh'), [], {
        input: lines.join('\n') + '\n',
        encoding: 'utf8',
        env: { ...env, RABBITMQCTL: `${join(BIN, 'rabbitmqctl')} -q -n ${anyRunning().name}` },
        timeout: 60_000,
      });
      if (script.status !== 0) return Promise.reject(new Error(`accounts.sh failed: ${script.stderr}`));
      return Promise.resolve(script.stdout);
    },
    async close() {
      for (const node of nodes) await node.kill();
      epmd.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((node) => node.start()));
    for (const node of nodes.slice(1)) {
      await ctlOn(node, ['stop_app']);
      await ctlOn(node, ['join_cluster', nodes[0]!.name]);
      await ctlOn(node, ['start_app']);
    }
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
