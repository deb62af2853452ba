// The processes of bench/external-broker.bench.ts (usage: node external-broker-agents.js <role> ...):
//
//   probe <pty> <mqtt-url> <set-topic>   the timed path's two ends and nothing else: a ring sensor (protocol v1,
//                                         HELLO and a heartbeat a second) on the pty's device side, and a desk unit
//                                         subscribed to the desk's `set`. `ring` makes one call (RING ON, then
//                                         HOOK OFF, RING OFF, HOOK ON) and answers
//                                         `rang {"ms":…,"cleared":…,"sentUs":…,"litUs":…}`: the time from writing
//                                         RING ON to the blue `set`, on this one clock (and both ends in
//                                         CLOCK_MONOTONIC µs, the clock of a CPU profile).
//   floor <pty> <url> <set-topic> [ca]   the bare floor: serialport + @serialport/parser-readline, the checksum
//                                         checked, a fixed desk command published with mqtt.js (QoS 1, retained,
//                                         TCP_NODELAY): blue on `RING 1 ON`, off on `HOOK 1 ON`. No rules.
//   floor-embedded <pty> <port> <site>   the same floor with thirdring's embedded aedes in its process, on <port>,
//                                         publishing to thirdring/<site>/desk/d1/set from inside the broker.
//
// Commands come on stdin, one a line; answers go to stdout, one a line. The floor process loads only serialport,
// its readline parser and mqtt.js (and the probe's pty writer with thirdring's tiny protocol module; thirdring's
// broker module is imported only by floor-embedded).
import { ReadlineParser } from '@serialport/parser-readline';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { probeSensor } from './probe-sensor.js';
import { setArrivals } from './set-arrivals.js';
import mqtt from 'mqtt';
import { SerialPort } from 'serialport';

const say = (line: string) => process.stdout.write(`${line}\n`);
const commands = (run: (words: string[]) => void | Promise<void>) =>
  createInterface({ input: process.stdin }).on('line', (line) => void run(line.trim().split(' ')));

/** Protocol v1: the XOR of every byte before the `*`, two upper-case hex digits. */
function checksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** The desk commands the floor publishes; thirdring's own for a desk assigned at ring 1, and for none. */
const BLUE = '{"led":{"color":"blue","pattern":"fast-blink"},"buzzer":{"pattern":"off"}}';
const OFF = '{"led":{"color":"off","pattern":"off"},"buzzer":{"pattern":"off"}}';

// ---- probe -------------------------------------------------------------------------------------------------

async function probe(ptyPath: string, url: string, setTopic: string): Promise<void> {
  // Blocking whole-line writes on our own descriptor, as bench/under-load-agents.ts does.
  const sensor = probeSensor(ptyPath);

  // Started with the path's process: an embedded broker may not listen yet, so connecting is retried.
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 100 });
  client.on('error', () => {});
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  // Arrival and write times also as CLOCK_MONOTONIC µs: the clock of V8's CPU profiles (node --cpu-prof), so a
  // profile of the path's process can be cut ring by ring.
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  let litUs = 0;
  const arrivals = await setArrivals(client, setTopic, () => (litUs = monotonicUs()));
  /** The arrival time of the next `set` that passes `accept`, or null after `timeoutMs`. */
  const next = (accept: (payload: string) => boolean, timeoutMs = 5000) => arrivals(accept, timeoutMs);

  commands(async ([command]) => {
    if (command === 'quit') {
      await client.endAsync();
      sensor.close();
      process.exit(0);
    }
    if (command !== 'ring') return;
    const lit = next((p) => p.includes('"blue"'));
    let sentUs = 0;
    const { sentAt, litAt } = await sensor.ring(lit, () => (sentUs = monotonicUs()));
    const lastLitUs = litUs;
    // Answered at the line's phone and hung up: thirdring's call ends (so the next ring is ring 1 of a new
    // call), the LED goes off; the floor and the Node-RED flow turn it off on HOOK ON.
    const cleared = next((p) => p.includes('"color":"off"'));
    sensor.endCall();
    const clearedAt = await cleared;
    say(`rang ${JSON.stringify({ ms: litAt === null ? null : litAt - sentAt, cleared: clearedAt !== null, sentUs, litUs: litAt === null ? null : lastLitUs })}`);
  });
  say('ready');
}

// ---- floor -------------------------------------------------------------------------------------------------

/** Serial lines → checksum → `publish` a fixed desk command: blue on `RING 1 ON`, off on `HOOK 1 ON`. No rules. */
function relayRings(ptyPath: string, publish: (payload: string) => void, close: () => Promise<void>): void {
  const serial = new SerialPort({ path: ptyPath, baudRate: 115200 });
  serial.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' })).on('data', (line: string) => {
    const star = line.length - 3;
    if (star < 0 || line[star] !== '*') return;
    const body = line.slice(0, star);
    if (line.slice(star + 1) !== checksum(body)) return;
    if (body.startsWith('RING 1 ON ')) publish(BLUE);
    else if (body.startsWith('HOOK 1 ON ')) publish(OFF);
  });
  serial.on('open', () => say('ready'));
  process.once('SIGTERM', () => serial.close(() => void close().then(() => process.exit(0))));
}

/** Through an external broker (mqtt://, ws:// or mqtts:// with the CA file `ca`): mqtt.js, QoS 1, retained, TCP_NODELAY. */
async function floor(ptyPath: string, url: string, setTopic: string, ca?: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, ...(ca ? { ca: readFileSync(ca) } : {}) });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  relayRings(ptyPath, (payload) => client.publish(setTopic, payload, { qos: 1, retain: true }), () => client.endAsync());
}

/**
 * With the broker in the process: the aedes thirdring embeds (src/bridge/mqtt/embedded-broker.ts, loaded only for
 * this role), published into from inside as the bridge does, no client socket in between.
 */
async function floorEmbedded(ptyPath: string, port: number, site: string): Promise<void> {
  const { startEmbeddedBroker } = await import('../src/bridge/mqtt/embedded-broker.js');
  const { accessPolicy } = await import('../src/bridge/mqtt/broker-access.js');
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port, wsPort: false, policy: accessPolicy({ site, readers: [], deskUnits: [] }) });
  relayRings(ptyPath, (payload) => broker.publish(`thirdring/${site}/desk/d1/set`, payload, { qos: 1, retain: true }), () => broker.close());
}

const [role, ...args] = process.argv.slice(2);
if (role === 'probe') await probe(args[0]!, args[1]!, args[2]!);
else if (role === 'floor') await floor(args[0]!, args[1]!, args[2]!, args[3]);
else if (role === 'floor-embedded') await floorEmbedded(args[0]!, Number(args[1]), args[2]!);
else throw new Error(`unknown role ${role}`);
