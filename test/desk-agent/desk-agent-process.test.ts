// thirdring desk through real parts: the agent in its own process (its USB headset through the HID seam, fed
// with the Jabra Link 380c's real descriptor), mosquitto with the example's accounts and ACL, and a real bridge
// (`thirdring start`) whose ring sensor is the emulator on a pty.
import mqtt from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect } from 'vitest';
import { emulatedSensor } from '../emulated-sensor.js';
import { tempDir, until } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { startThirdring } from '../thirdring-process.js';
import { PASSWORDS, SITE, startSiteMosquitto } from './site-mosquitto.js';

const TOOLS = ['mosquitto', 'mosquitto_passwd', 'socat'];
const HEADSET = '/dev/hidraw7';
const LIGHT = '/dev/hidraw8';
const KEEPALIVE_S = 2;
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function bridgeYaml(url: string, sensor: string): string {
  return `
site: ${SITE}
dataDir: ./data
dashboard: { enabled: false }
mqtt: { url: "${url}", username: thirdring-bridge, password: ${PASSWORDS['thirdring-bridge']} }
rules: { businessHours: { days: [mon, tue, wed, thu, fri, sat, sun], open: "00:00", close: "23:59" } }
desks:
  - { id: anna, at: [1, 0], unit: { password: ${PASSWORDS['desk-anna']}, presence: true } }
  - { id: bram, at: [3, 0] }
lines:
  - { id: front, phone: { at: [0, 0] }, cadence: nl, sensor: { serial: ${sensor}, channel: 1 } }
`;
}

/** The agent's process: its log lines and HID writes on stdout, input reports on stdin. */
function startAgent(dir: string, url: string) {
  const config = join(dir, 'desk.yaml');
  writeFileSync(join(dir, 'desk.secret'), `${PASSWORDS['desk-anna']}\n`);
  writeFileSync(
    config,
    `broker: { url: "${url}", keepaliveSeconds: ${KEEPALIVE_S} }\nsite: ${SITE}\ndesk: anna\npasswordFile: desk.secret\nheadset: { vendorId: 0x0b0e }\nbusylight: { model: luxafor-flag }\npresence: { source: none }\n`,
  );
  const devices = join(dir, 'devices.json');
  writeFileSync(
    devices,
    JSON.stringify([
      { info: { path: HEADSET, vendorId: 0x0b0e, productId: 0x24c9, usagePage: 0x0b, product: 'Jabra Link 380' }, descriptorFile: resolve('test/fixtures/hid/jabra-link380c.hex') },
      { info: { path: LIGHT, vendorId: 0x04d8, productId: 0xf372, product: 'LUXAFOR FLAG' } },
    ]),
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, resolve('firmware-sim/desk-agent-with-hid.ts'), devices, '--config', config], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = { lines: [] as string[], stderr: '' };
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    out.lines.push(...parts);
  });
  child.stderr!.on('data', (chunk) => (out.stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  cleanups.push(() => stop());
  /** Output report bytes written to the headset, in order. */
  const writes = () => out.lines.filter((l) => l.startsWith(`hid-write ${HEADSET} `)).map((l) => Buffer.from(l.split(' ')[2]!, 'hex'));
  /** Reports written to the light, as hex. */
  const lightWrites = () => out.lines.filter((l) => l.startsWith(`hid-write ${LIGHT} `)).map((l) => l.split(' ')[2]!);
  return {
    out,
    writes,
    lightWrites,
    press: (hex: string) => child.stdin!.write(`hid-report ${HEADSET} ${hex}\n`),
    stop,
    logged: (text: string) => out.lines.find((l) => l.includes(text)),
  };
}

// Luxafor Flag, all LEDs one colour (`thirdring busylight frames luxafor-flag yours`): blue, and the white of "no bridge".
const LIGHT_BLUE = '0001ff0000ff000000';
const LIGHT_WHITE = '0001ffffffff000000';

// Jabra Link 380c output report 2, first byte: Off-Hook LED bit 0, Ring LED bit 3.
const RING = 0b1000;
const OFF_HOOK = 0b0001;
const ringLed = (report: Buffer | undefined) => report !== undefined && report[0] === 2 && (report[1]! & RING) !== 0;

describe('thirdring desk, its own process, with mosquitto and a real bridge', () => {
  itWithTools(
    TOOLS,
    'ring → the Ring LED at the agent\'s headset; its hook answers at that desk; agent killed → the bridge marks the desk away and assigns the next call elsewhere; bridge killed → "no bridge" within the keep-alive window',
    async () => {
      const broker = await startSiteMosquitto();
      cleanups.push(() => broker.stop());
      const sensor = await emulatedSensor();
      cleanups.push(() => sensor.close());
      const dir = tempDir('thirdring-desk-agent-');
      writeFileSync(join(dir, 'bridge.yaml'), bridgeYaml(broker.url, sensor.hostPath));
      let bridge = startThirdring(['start', '--config', 'bridge.yaml'], { cwd: dir });
      cleanups.push(() => bridge.stop());

      // The ring log, as facilities staff read it.
      const log: { type: string; [k: string]: unknown }[] = [];
      const reader = await mqtt.connectAsync(broker.url, { protocolVersion: 4, username: 'facilities', password: PASSWORDS.facilities, reconnectPeriod: 200 });
      cleanups.push(() => reader.endAsync(true));
      reader.on('message', (_t, payload) => log.push(JSON.parse(payload.toString())));
      await reader.subscribeAsync(`thirdring/${SITE}/log`, { qos: 1 });
      const inLog = (match: (e: (typeof log)[number]) => boolean, what: string) => until(what, () => log.find(match), 15_000);
      await inLog((e) => e.type === 'device' && e.family === 'ring-sensor' && e.state === 'online', 'the bridge has its ring sensor');

      let agent = startAgent(dir, broker.url);
      await until('the agent sees the bridge', () => agent.logged('bridge there'), 15_000);
      await until('the agent opened the headset', () => agent.logged('headset online: Jabra Link 380'), 15_000);
      await until('the agent opened the light', () => agent.logged('busylight online'), 15_000);
      await inLog((e) => e.type === 'input' && (e.event as { type: string; desk: string }).type === 'presence' && (e.event as { desk: string }).desk === 'anna', 'the agent said anna is present');

      // Ring: the nearest desk, anna, is told "yours" — the Ring LED lights at her headset.
      sensor.emulator.edge(1, 'ring', 'on');
      await until('the Ring LED at the agent', () => ringLed(agent.writes().at(-1)), 10_000);
      await until('blue on the light', () => agent.lightWrites().includes(LIGHT_BLUE), 5000);
      // Anna picks up at her headset: the bridge logs the call answered at anna.
      agent.press('020100');
      const answered = await inLog((e) => e.type === 'answered', 'answered');
      expect(answered).toMatchObject({ line: 'front', desk: 'anna' });
      await until('Off-Hook LED on, Ring LED off', () => agent.writes().at(-1)?.[1] === OFF_HOOK);
      sensor.emulator.edge(1, 'ring', 'off');
      agent.press('020000');
      await inLog((e) => e.type === 'ended', 'the call ended');

      // The agent dies (no goodbye): its last will says offline, and the bridge takes anna out of the rules.
      await agent.stop('SIGKILL');
      await inLog((e) => e.type === 'input' && JSON.stringify(e.event) === JSON.stringify({ type: 'presence', desk: 'anna', state: 'away' }), 'anna away after her agent was lost');
      sensor.emulator.edge(1, 'ring', 'on');
      const second = await inLog((e) => e.type === 'assign' && e !== log.find((x) => x.type === 'assign'), 'the next call assigned');
      expect(second).toMatchObject({ desk: 'bram' });
      sensor.emulator.edge(1, 'hook', 'off');
      sensor.emulator.edge(1, 'ring', 'off');
      sensor.emulator.edge(1, 'hook', 'on');
      await until('the second call ended', () => log.filter((e) => e.type === 'ended').length === 2, 10_000);

      // The agent comes back (present again), a call rings for anna, and the bridge dies mid-ring.
      agent = startAgent(dir, broker.url);
      await until('the agent is back', () => agent.logged('bridge there'), 15_000);
      await until('anna present again', () => log.filter((e) => e.type === 'input' && JSON.stringify(e.event) === JSON.stringify({ type: 'presence', desk: 'anna', state: 'present' })).length === 2, 10_000);
      sensor.emulator.edge(1, 'ring', 'on');
      await until('the Ring LED again', () => ringLed(agent.writes().at(-1)), 10_000);
      const killedAt = Date.now();
      await bridge.stop('SIGKILL');
      await until('"no bridge" at the agent', () => agent.logged('no bridge (bridge offline)'), KEEPALIVE_S * 1500 + 2000);
      const noBridgeMs = Date.now() - killedAt;
      // The stale "yours" is gone from the headset: Ring LED off.
      await until('Ring LED off', () => !ringLed(agent.writes().at(-1)), 2000);
      const whiteFrom = agent.lightWrites().lastIndexOf(LIGHT_BLUE);
      await until('white (slow blink) on the light', () => agent.lightWrites().slice(whiteFrom).includes(LIGHT_WHITE), 3000);
      expect(noBridgeMs).toBeLessThan(KEEPALIVE_S * 1500 + 2000);
      console.log(`desk agent: "no bridge" ${noBridgeMs} ms after the bridge was killed`);

      // The bridge comes back: the agent shows what it says again.
      bridge = startThirdring(['start', '--config', 'bridge.yaml'], { cwd: dir });
      await until('the agent sees the bridge again', () => agent.out.lines.filter((l) => l.includes('bridge there')).length >= 2, 15_000);
      // The broker goes: "no bridge" too, and the agent keeps running, trying again.
      await broker.stop();
      await until('"no bridge" without a broker', () => agent.logged('no bridge (broker not reachable)'), KEEPALIVE_S * 1500 + 2000);
      expect(agent.out.stderr).toBe('');
    },
    90_000,
  );
});
