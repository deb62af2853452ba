// npm run bench — a softphone's CALL_INCOMING → the desk command at a desk, through mosquitto.
// A desk's baresip publishes CALL_INCOMING on /<basetopic>/event (the payload below is what baresip 1.0 sends, see
// src/devices/softphone/baresip-event.ts); the bridge (in this process: its softphone feature's own MQTT client,
// WholeRing, the core, the MQTT feature) turns it into ring 1 and publishes desk/<id>/set, which a desk stand-in
// in its own process receives (bench/set-subscriber.js). The floor is the bare broker hop measured in the same
// run: a subscriber process on the softphone's event topic, getting the same publish. The bridge's path is two
// broker hops (softphone → bridge → desk), so ×2 the floor is what the hops alone cost.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { composeBridge } from '../src/bridge/compose.js';
import { parseConfig } from '../src/bridge/config/load.js';
import { freePort, MOSQUITTO, percentile, sleep, spawnSetSubscriber, wallClock } from './bench-kit.js';

const SAMPLES = Number(process.env.SOFTPHONE_BENCH_SAMPLES ?? 300);
const WARM_UP = 20;
const GAP_MS = 20;
const AOR = 'sip:anna@127.0.0.1:5070';

const event = (type: string, id: string) =>
  JSON.stringify({ type, class: 'call', accountaor: AOR, direction: 'incoming', peeruri: 'sip:pbx@127.0.0.1:5080', id, param: 'sip:pbx@127.0.0.1:5080' });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'thirdring-bench-softphone-'));
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nlog_dest none\n`);
  const children: ChildProcess[] = [];
  children.push(spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' }));
  await sleep(300);

  const config = parseConfig(`
site: bench
dataDir: ${dir}
mqtt: { url: "${url}" }
dashboard: { enabled: false }
desks: [{ id: d1, at: [1, 1] }, { id: d2, at: [5, 5] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
softphones: [{ desk: d1, baseTopic: desk-d1, accounts: [{ aor: "${AOR}", line: front }], pingSeconds: 600 }]
`);
  const { bridge, features } = composeBridge(config, { log: { write: () => {} } });
  await bridge.start();
  while (!features.mqtt.client?.connected) await sleep(20);
  await sleep(300);

  const spawnSubscriber = (topic: string) => spawnSetSubscriber(url, topic, children);
  const floorNext = await spawnSubscriber('/desk-d1/event');
  const setNext = await spawnSubscriber('thirdring/bench/desk/d1/set');
  const softphone = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'baresip-desk-d1' });
  (softphone.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);

  const floorMs: number[] = [];
  const bridgeMs: number[] = [];
  const arrivedAt = (line: string) => Number(line.slice(0, line.indexOf(' ')));
  for (let i = -WARM_UP; i < SAMPLES; i++) {
    const id = `call-${i + WARM_UP}`;
    const floorGot = floorNext((l) => l.includes('CALL_INCOMING'));
    const setGot = setNext((l) => l.includes('"blue"'));
    const publishedAt = wallClock();
    softphone.publish('/desk-d1/event', event('CALL_INCOMING', id));
    const [f, s] = await Promise.all([floorGot, setGot]);
    if (i >= 0) {
      floorMs.push(arrivedAt(f) - publishedAt);
      bridgeMs.push(arrivedAt(s) - publishedAt);
    }
    // Answered at d1, then hung up: the line is idle again at once (a cancelled call would wait for the silence).
    const setOff = setNext((l) => l.includes('"color":"off"'));
    softphone.publish('/desk-d1/event', event('CALL_ESTABLISHED', id));
    softphone.publish('/desk-d1/event', event('CALL_CLOSED', id));
    await setOff;
    await sleep(GAP_MS);
  }

  const p50 = { floor: percentile(floorMs, 0.5), bridge: percentile(bridgeMs, 0.5) };
  console.log(`Softphone CALL_INCOMING → desk/<id>/set at a desk, through mosquitto (${SAMPLES} calls):`);
  console.log(`  floor, the bare broker hop (a subscriber process): p50 ${p50.floor.toFixed(2)} ms, p99 ${percentile(floorMs, 0.99).toFixed(2)} ms`);
  console.log(`  bridge (softphone → bridge → desk, two hops):     p50 ${p50.bridge.toFixed(2)} ms, p99 ${percentile(bridgeMs, 0.99).toFixed(2)} ms`);
  console.log(`  bridge p50 / floor p50: ×${(p50.bridge / p50.floor).toFixed(2)} (two broker hops: ×2 is the hops alone)`);

  await softphone.endAsync();
  await bridge.stop();
  for (const child of children.reverse()) {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

await main();
