// npm run bench — what the desk command's QoS and retain flag cost, through mosquitto.
// The desk contract needs a unit that reconnects to get its current state at once: the command is retained. It
// is published at QoS 1 so the broker has it even if the bridge's connection drops right after. This measures
// publish → arrival at a desk unit stand-in in its own process (set-subscriber.ts, QoS 1 subscription) for the
// four combinations, interleaved so the machine's mood hits all alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { freePort, percentile, sleep, wallClock } from './bench-kit.js';

const here = fileURLToPath(new URL('.', import.meta.url));

async function startMosquitto(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-qos-bench-'));
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\nlog_dest none\n`);
  const child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) return { url: `mqtt://127.0.0.1:${port}`, child };
    await sleep(50);
  }
  child.kill();
  throw new Error('mosquitto did not start (apt-get install mosquitto)');
}

const VARIANTS = [
  { name: 'QoS 1, retained (what thirdring sends)', qos: 1, retain: true },
  { name: 'QoS 1, not retained', qos: 1, retain: false },
  { name: 'QoS 0, retained', qos: 0, retain: true },
  { name: 'QoS 0, not retained', qos: 0, retain: false },
] as const;
const ROUNDS = Number(process.env.QOS_BENCH_ROUNDS ?? 200);

const broker = await startMosquitto();
const topic = 'thirdring/bench/desk/d1/set';
const subscriber = spawn(process.execPath, [join(here, 'set-subscriber.js'), broker.url, topic], { stdio: ['ignore', 'pipe', 'inherit'] });
let arrived: ((at: number, payload: string) => void) | null = null;
let ready: () => void = () => {};
const isReady = new Promise<void>((resolve) => (ready = resolve));
createInterface({ input: subscriber.stdout! }).on('line', (line) => {
  if (line === 'ready') return ready();
  const space = line.indexOf(' ');
  arrived?.(Number(line.slice(0, space)), line.slice(space + 1));
});
await isReady;
const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
(publisher.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);

const samples = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
for (let round = 0; round < ROUNDS + 10; round++) {
  for (const variant of VARIANTS) {
    const payload = JSON.stringify({ led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' }, n: `${round}-${variant.name}` });
    const got = new Promise<number>((resolve) => (arrived = (at, text) => text === payload && resolve(at)));
    const sentAt = wallClock();
    publisher.publish(topic, payload, { qos: variant.qos, retain: variant.retain });
    const at = await got;
    if (round >= 10) samples.get(variant.name)!.push(at - sentAt);
    await sleep(20);
  }
}

console.log(`desk command QoS / retain through mosquitto (publish → a desk unit stand-in in its own process), ${ROUNDS} each, interleaved:`);
const base = percentile(samples.get(VARIANTS[0].name)!, 0.5);
for (const variant of VARIANTS) {
  const values = samples.get(variant.name)!;
  const p50 = percentile(values, 0.5);
  console.log(`  ${variant.name.padEnd(40)} p50 ${p50.toFixed(3)} ms  p99 ${percentile(values, 0.99).toFixed(3)} ms  (p50 ×${(p50 / base).toFixed(2)} of QoS 1 retained)`);
}
await publisher.endAsync();
subscriber.kill('SIGTERM');
broker.child.kill('SIGTERM');
