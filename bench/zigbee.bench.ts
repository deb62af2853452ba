// npm run bench — a decision → <base>/<light>/set at a subscriber, through mosquitto; and how many Zigbee messages
// a call costs each desk. The bridge (this process: the core, the Zigbee feature's own MQTT client) decides ring 1
// at a desk whose light is a Zigbee2MQTT device; a Zigbee2MQTT stand-in in its own process receives the set
// (bench/set-subscriber.js). The floor is the bare broker hop measured in the same run: a plain client publishing
// to a subscriber process. Both paths are one hop, so the difference is the bridge's own time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Zigbee2mqttSim } from '../firmware-sim/zigbee2mqtt-sim.js';
import { composeBridge } from '../src/bridge/compose.js';
import { parseConfig } from '../src/bridge/config/load.js';
import { freePort, MOSQUITTO, percentile, sleep, spawnSetSubscriber, wallClock } from './bench-kit.js';

const SAMPLES = Number(process.env.ZIGBEE_BENCH_SAMPLES ?? 200);
const CALLS = Number(process.env.ZIGBEE_BENCH_CALLS ?? 10);
const WARM_UP = 20;

const office = (dir: string, url: string, minIntervalMs: number) =>
  parseConfig(`
site: bench
dataDir: ${dir}
mqtt: { url: "${url}" }
dashboard: { enabled: false }
desks:
  - { id: d1, at: [1, 1], zigbee: { light: d1-light, siren: d1-siren } }
  - { id: d2, at: [3, 3], zigbee: { light: d2-light, siren: d2-siren } }
  - { id: d3, at: [9, 9], zigbee: { light: d3-light } }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: [300, 300] }]
rules: { escalation: [{ atRing: 2, buzzer: chirp, nearest: 1 }, { atRing: 3, buzzer: ring, everyone: true }] }
zigbee2mqtt: { light: { minIntervalMs: ${minIntervalMs} } }
`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-zigbee-'));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nlog_dest none\n`);
  const children: ChildProcess[] = [spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' })];
  await sleep(300);
  const effects = ['blink', 'breathe', 'okay', 'channel_change', 'finish_effect', 'stop_effect'];
  const z2m = new Zigbee2mqttSim(url, [
    ...['d1', 'd2', 'd3'].map((d) => ({ name: `${d}-light`, kind: 'light' as const, colour: true, effects })),
    { name: 'd1-siren', kind: 'siren' },
    { name: 'd2-siren', kind: 'siren' },
  ]);
  await z2m.start();

  const spawnSubscriber = (topic: string) => spawnSetSubscriber(url, topic, children);
  const floorNext = await spawnSubscriber('bench/floor');
  const setNext = await spawnSubscriber('zigbee2mqtt/d1-light/set');
  const floor = await mqtt.connectAsync(url, { protocolVersion: 4 });
  (floor.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);

  // 1. Latency: ring 1 → the assigned desk's light set, at the rate limit's floor (100 ms) so calls can follow fast.
  let { bridge, features } = composeBridge(office(join(dir, 'a'), url, 100), { log: { write: () => {} } });
  await bridge.start();
  while (!features.zigbee.desks) await sleep(20);
  await sleep(500);
  const floorMs: number[] = [];
  const bridgeMs: number[] = [];
  const arrivedAt = (line: string) => Number(line.slice(0, line.indexOf(' ')));
  for (let i = -WARM_UP; i < SAMPLES; i++) {
    const floorGot = floorNext((l) => l.includes(`"n":${i}`));
    const floorAt = wallClock();
    floor.publish('bench/floor', JSON.stringify({ n: i }));
    const f = await floorGot;
    const setGot = setNext((l) => l.includes('#0000FF'));
    const bridgeAt = wallClock();
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    const s = await setGot;
    if (i >= 0) {
      floorMs.push(arrivedAt(f) - floorAt);
      bridgeMs.push(arrivedAt(s) - bridgeAt);
    }
    const off = setNext((l) => l.includes('"OFF"'));
    bridge.input({ type: 'hook', desk: 'd1', state: 'off' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    bridge.input({ type: 'hook', desk: 'd1', state: 'on' });
    await off;
    await sleep(120);
  }
  await bridge.stop();

  // 2. Messages per call per desk: rings 300 ms on / 300 off, answered at d1 during ring 2, the default rate limit.
  ({ bridge, features } = composeBridge(office(join(dir, 'b'), url, 500), { log: { write: () => {} } }));
  await bridge.start();
  while (!features.zigbee.desks) await sleep(20);
  await sleep(500);
  const zigbee = features.zigbee.desks!;
  const perDesk: Record<string, number[]> = { d1: [], d2: [], d3: [] };
  for (let call = 0; call < CALLS; call++) {
    const before = Object.fromEntries(Object.keys(perDesk).map((d) => [d, zigbee.sentTo(d).messages]));
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await sleep(300);
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    await sleep(300);
    bridge.input({ type: 'ring', line: 'front', state: 'on' });
    await sleep(100);
    bridge.input({ type: 'hook', desk: 'd1', state: 'off' });
    bridge.input({ type: 'ring', line: 'front', state: 'off' });
    await sleep(200);
    bridge.input({ type: 'hook', desk: 'd1', state: 'on' });
    // Let every waiting set go out before counting.
    await sleep(1200);
    for (const desk of Object.keys(perDesk)) perDesk[desk]!.push(zigbee.sentTo(desk).messages - before[desk]!);
  }
  const shortestGap = Math.min(...Object.keys(perDesk).map((d) => zigbee.sentTo(d).shortestGapMs));
  await bridge.stop();

  const p50 = { floor: percentile(floorMs, 0.5), bridge: percentile(bridgeMs, 0.5) };
  console.log(`Zigbee desk light: decision (ring 1) → zigbee2mqtt/<light>/set at a subscriber process, through mosquitto (${SAMPLES} calls):`);
  console.log(`  floor, the bare broker hop (a client → a subscriber process): p50 ${p50.floor.toFixed(2)} ms, p99 ${percentile(floorMs, 0.99).toFixed(2)} ms`);
  console.log(`  bridge (the decision → the light's set, one hop):             p50 ${p50.bridge.toFixed(2)} ms, p99 ${percentile(bridgeMs, 0.99).toFixed(2)} ms`);
  console.log(`  bridge p50 − floor p50: ${(p50.bridge - p50.floor).toFixed(2)} ms`);
  const worst = Math.max(...Object.values(perDesk).flat());
  console.log(`Zigbee messages per call per desk, answered at d1 during ring 2 (${CALLS} calls, rate limit 500 ms, goal ≤ 4):`);
  for (const [desk, counts] of Object.entries(perDesk)) console.log(`  ${desk}: ${[...new Set(counts)].sort().join(' or ')} (light + siren)`);
  console.log(`  most for one desk: ${worst} — ${worst <= 4 ? 'within' : 'OVER'} the goal; shortest gap between two sets to one device: ${shortestGap.toFixed(0)} ms`);

  await floor.endAsync();
  await z2m.stop();
  for (const child of children.reverse()) {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

await main();
