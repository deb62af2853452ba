// npm run bench — a ring decision in the bridge → the Ring LED write at a desk agent's USB headset.
// The bridge (in this process) publishes desk/<id>/set to mosquitto; `thirdring desk` for desk d1, in its own
// process (firmware-sim/desk-agent-with-hid.js: its headset is the Jabra Link 380c's real descriptor behind the HID
// seam, output reports timed on stdout), shows it. The floor is the bare broker hop, measured in the same run: a
// plain subscriber process (bench/set-subscriber.js) on desk d2's command. Rings alternate: one for d1 (the agent),
// one with d1 away so it goes to d2 (the floor) — each time only one of the two is woken, as on an office PC,
// rather than both racing for the same cores.
// Goal (issue #16): agent p50 ≤ 1.3 × the floor's p50.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bridge } from '../src/bridge/bridge.js';
import { parseConfig } from '../src/bridge/config/load.js';
import { MqttFeature } from '../src/bridge/mqtt/mqtt-feature.js';
import { freePort, lines, MOSQUITTO, percentile, sleep, wallClock } from './bench-kit.js';

const SAMPLES = Number(process.env.DESK_AGENT_BENCH_SAMPLES ?? 300);
const WARM_UP = 20;
const GAP_MS = 20;
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-desk-agent-'));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nlog_dest none\n`);
  const children: ChildProcess[] = [];
  const broker = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  children.push(broker);
  await sleep(300);

  const bridge = new Bridge({
    ...parseConfig(`site: bench\nmqtt: { url: "${url}" }\ndashboard: { enabled: false }\ndesks: [{ id: d1, at: [1, 1] }, { id: d2, at: [5, 5] }]\nlines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]\n`),
    dataDir: dir,
  });
  const feature = new MqttFeature(bridge);
  bridge.use(feature);
  await bridge.start();
  while (!feature.client?.connected) await sleep(20);

  const floor = spawn(process.execPath, [join(here, 'set-subscriber.js'), url, 'thirdring/bench/desk/d2/set'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(floor);
  const floorNext = lines(floor);
  await floorNext((l) => l === 'ready');

  writeFileSync(join(dir, 'desk.yaml'), `broker: { url: "${url}" }\nsite: bench\ndesk: d1\nheadset: { vendorId: 0x0b0e }\nbusylight: false\npresence: { source: none }\n`);
  writeFileSync(
    join(dir, 'devices.json'),
    JSON.stringify([{ info: { path: '/dev/hidraw7', vendorId: 0x0b0e, productId: 0x24c9, usagePage: 0x0b, product: 'Jabra Link 380' }, descriptorFile: join(root, 'test/fixtures/hid/jabra-link380c.hex') }]),
  );
  const agent = spawn(process.execPath, [join(root, 'dist/firmware-sim/desk-agent-with-hid.js'), join(dir, 'devices.json'), '--config', join(dir, 'desk.yaml')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(agent);
  const agentNext = lines(agent);
  await agentNext((l) => l.includes('headset online'));
  await sleep(500);

  // Jabra Link 380c: output report 2, Ring LED = bit 3 of its first byte.
  const ringWrite = (on: boolean) => (l: string) => {
    if (!l.startsWith('hid-write ')) return false;
    const report = Buffer.from(l.split(' ')[2]!, 'hex');
    return report[0] === 2 && ((report[1]! & 0b1000) !== 0) === on;
  };
  const at = (line: string) => Number(line.split(' ').at(-1));
  const floorMs: number[] = [];
  const agentMs: number[] = [];
  const ring = () => {
    const decidedAt = wallClock();
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    return decidedAt;
  };
  const endCall = () => {
    bridge.input({ type: 'hook', line: 'front', state: 'off' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    bridge.input({ type: 'hook', line: 'front', state: 'on' });
  };
  for (let i = -WARM_UP; i < SAMPLES; i++) {
    const agentLit = agentNext(ringWrite(true));
    const toAgent = ring();
    const a = await agentLit;
    const agentOff = agentNext(ringWrite(false));
    endCall();
    await agentOff;
    await sleep(GAP_MS);

    bridge.input({ type: 'presence', desk: 'd1', state: 'away' });
    await sleep(GAP_MS);
    const floorLit = floorNext((l) => l.includes('"blue"'));
    const toFloor = ring();
    const f = await floorLit;
    const floorOff = floorNext((l) => l.includes('"color":"off"'));
    endCall();
    await floorOff;
    bridge.input({ type: 'presence', desk: 'd1', state: 'present' });
    await sleep(GAP_MS);
    if (i >= 0) {
      agentMs.push(at(a) - toAgent);
      floorMs.push(Number(f.slice(0, f.indexOf(' '))) - toFloor);
    }
  }

  const p50 = { floor: percentile(floorMs, 0.5), agent: percentile(agentMs, 0.5) };
  console.log(`Ring decision → Ring LED write at a desk agent's headset, through mosquitto (${SAMPLES} rings):`);
  console.log(`  floor, the bare broker hop (a subscriber process, d2): p50 ${p50.floor.toFixed(2)} ms, p99 ${percentile(floorMs, 0.99).toFixed(2)} ms`);
  console.log(`  thirdring desk (d1), HID write:                       p50 ${p50.agent.toFixed(2)} ms, p99 ${percentile(agentMs, 0.99).toFixed(2)} ms`);
  console.log(`  agent p50 / floor p50: ×${(p50.agent / p50.floor).toFixed(2)} (goal ≤ ×1.3)`);

  await bridge.stop();
  for (const child of children.reverse()) {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

await main();
