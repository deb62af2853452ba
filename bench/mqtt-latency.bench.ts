// npm run bench — ring → LED over MQTT.
// 1. A ring decision in the bridge process → desk/<id>/set received through the embedded broker by a subscriber
//    in another process, as a desk unit is (issue target: p99 ≤ 5 ms).
// 2. The whole path: ring sensor line on a pty → `thirdring start` (its own process: serial adapter, rules core,
//    embedded aedes) → desk/<id>/set at a subscriber; against the floor, a bare relay process (pty → aedes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { openPtyPair } from '../firmware-sim/pty-pair.js';
import { RingSensorEmulator } from '../firmware-sim/ring-sensor-emulator.js';
import { Bridge } from '../src/bridge/bridge.js';
import { parseConfig } from '../src/bridge/config/load.js';
import { MqttFeature } from '../src/bridge/mqtt/mqtt-feature.js';
import { freePort } from './bench-kit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const summary = (values: number[]) => `median ${percentile(values, 0.5).toFixed(2)} ms, p99 ${percentile(values, 0.99).toFixed(2)} ms`;
const here = fileURLToPath(new URL('.', import.meta.url));

/** Resolves with the arrival time of the next message on `topic` whose payload passes `accept`. */
function nextMessage(client: mqtt.MqttClient, topic: string, accept: (payload: string) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic || !accept(payload.toString())) return;
      client.off('message', onMessage);
      resolve(performance.now());
    };
    client.on('message', onMessage);
  });
}

const WARM_UP = 10;
const isBlue = (p: string) => p.includes('"blue"');
const isOff = (p: string) => p.includes('"color":"off"');

/** Arrival times of desk commands, reported by a subscriber in its own process (see set-subscriber.ts). */
async function subscriberProcess(url: string, topic: string) {
  const child = spawn(process.execPath, [join(here, 'set-subscriber.js'), url, topic], { stdio: ['ignore', 'pipe', 'inherit'] });
  let waiting: { accept: (payload: string) => boolean; resolve: (at: number) => void } | null = null;
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') return ready();
    const space = line.indexOf(' ');
    if (waiting?.accept(line.slice(space + 1))) waiting.resolve(Number(line.slice(0, space)));
  });
  await isReady;
  return {
    next: (accept: (payload: string) => boolean) => new Promise<number>((resolve) => (waiting = { accept, resolve })),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const wallClock = () => performance.timeOrigin + performance.now();

async function decisionToSet(samples: number, gapMs: number): Promise<number[]> {
  const bridge = new Bridge({
    ...parseConfig('site: bench\nmqtt: { port: 0, wsPort: false }\ndesks: [{ id: d1, at: [1, 1] }]\nlines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]\n'),
    dataDir: mkdtempSync(join(tmpdir(), 'thirdring-bench-')),
  });
  const feature = new MqttFeature(bridge);
  bridge.use(feature);
  await bridge.start();
  const unit = await subscriberProcess(feature.broker!.url, 'thirdring/bench/desk/d1/set');
  await sleep(100);
  const latencies: number[] = [];
  for (let i = -WARM_UP; i < samples; i++) {
    const lit = unit.next(isBlue);
    const decidedAt = wallClock();
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    const latency = (await lit) - decidedAt;
    if (i >= 0) latencies.push(latency);
    const cleared = unit.next(isOff);
    bridge.input({ type: 'hook', line: 'front', state: 'off' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    bridge.input({ type: 'hook', line: 'front', state: 'on' });
    await cleared;
    await sleep(gapMs);
  }
  await unit.stop();
  await bridge.stop();
  return latencies;
}

async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => pattern.test(line) && resolve());
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before "${pattern}"`)));
  });
}

/** Ring sensor line → a subscriber, through `child` (started with the pty host path and an MQTT port). */
async function throughProcess(
  start: (ptyPath: string, port: number) => ChildProcess,
  ready: RegExp,
  topic: string,
  samples: number,
  gapMs: number,
): Promise<number[]> {
  const pty = await openPtyPair();
  const emulator = new RingSensorEmulator(pty.devicePath);
  await emulator.start();
  const port = await freePort();
  const child = start(pty.hostPath, port);
  await waitForLine(child, ready);
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
  await client.subscribeAsync(topic, { qos: 1 });
  await sleep(1500);
  const latencies: number[] = [];
  for (let i = -WARM_UP; i < samples; i++) {
    const lit = nextMessage(client, topic, (p) => p.includes('RING 1 ON') || isBlue(p));
    const sentAt = performance.now();
    emulator.edge(1, 'ring', 'on');
    const latency = (await lit) - sentAt;
    if (i >= 0) latencies.push(latency);
    const cleared = nextMessage(client, topic, (p) => p.includes('HOOK 1 ON') || isOff(p));
    emulator.edge(1, 'hook', 'off');
    emulator.edge(1, 'ring', 'off');
    emulator.edge(1, 'hook', 'on');
    await cleared;
    await sleep(gapMs);
  }
  await client.endAsync();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await emulator.stop();
  await pty.close();
  return latencies;
}

const bridgeProcess = (ptyPath: string, port: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-'));
  writeFileSync(join(dir, 'office.yaml'), `site: bench\ndataDir: ${dir}\nmqtt: { port: ${port}, wsPort: false }\ndesks: [{ id: d1, at: [1, 1] }]\nlines: [{ id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${ptyPath}, channel: 1 } }]\n`);
  return spawn(process.execPath, [join(here, '../src/cli.js'), 'start', '--config', join(dir, 'office.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
};
const relayProcess = (ptyPath: string, port: number) => spawn(process.execPath, [join(here, 'bare-relay.js'), ptyPath, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });

for (const [label, samples, gap] of [['hot loop (every 20 ms)', 300, 20], ['a ring per second', 40, 1000]] as const) {
  const inProcess = await decisionToSet(samples, gap);
  console.log(`mqtt, ${label}: decision → desk/<id>/set at a desk-unit subscriber in its own process (embedded aedes) ${summary(inProcess)}   [target p99 ≤ 5 ms: ${percentile(inProcess, 0.99) <= 5 ? 'ok' : 'MISSED'}]`);
  const floor = await throughProcess(relayProcess, /ready/, 'bare/relay', samples, gap);
  const full = await throughProcess(bridgeProcess, /running/, 'thirdring/bench/desk/d1/set', samples, gap);
  console.log(`ring→LED, ${label}: pty line → thirdring start → desk/<id>/set ${summary(full)}; bare pty→process→aedes floor ${summary(floor)}; median ratio ×${(percentile(full, 0.5) / percentile(floor, 0.5)).toFixed(2)}`);
}
