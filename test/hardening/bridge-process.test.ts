import mqtt from 'mqtt';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, sleep, subscriber, tempDir, until, type Received } from '../mqtt-helpers.js';
import { startThirdring } from '../thirdring-process.js';

// `thirdring start` as a separate process, the way the adversarial run met it.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function office(ports: { mqtt: number; ws: number | false; dashboard: number | false }): string {
  const dir = tempDir('thirdring-hardening-');
  const file = join(dir, 'office.yaml');
  writeFileSync(
    file,
    `site: t
dataDir: ${dir}/data
mqtt: { port: ${ports.mqtt}, wsPort: ${ports.ws} }
dashboard: ${ports.dashboard === false ? '{ enabled: false }' : `{ port: ${ports.dashboard} }`}
desks: [{ id: anna, at: [1, 0] }, { id: bram, at: [3, 0] }]
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
`,
  );
  return file;
}

const startBridge = (configFile: string) => {
  const bridge = startThirdring(['start', '--config', configFile]);
  cleanups.push(async () => void (await bridge.stop('SIGKILL')));
  return bridge;
};

/** Resident memory of a process, from /proc. */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kb) * 1024;
}

const json = (r: Received) => JSON.parse(r.payload);

async function status(client: mqtt.MqttClient, received: Received[]): Promise<{ counters: Record<string, number> }> {
  const before = received.length;
  await client.publishAsync('thirdring/t/bridge/request/status', '{}', { qos: 1 });
  const answer = await until('status', () => received.slice(before).find((r) => r.topic === 'thirdring/t/bridge/response/status'));
  return json(answer);
}

describe('thirdring start under hostile input', () => {
  it('survives Object.prototype request names and 100,000 publishes to random desks, with flat memory and a handful of log entries', async () => {
    const port = await freePort();
    const { pid, exitCode, output } = startBridge(office({ mqtt: port, ws: false, dashboard: false }));
    const url = `mqtt://127.0.0.1:${port}`;
    await until('bridge listening', () => output.stdout.includes('running'), 15_000);
    const sub = await subscriber(url, ['thirdring/t/bridge/response/#', 'thirdring/t/log', 'thirdring/t/bridge/state']);
    cleanups.push(() => sub.client.endAsync(true));
    const tool = await mqtt.connectAsync(url, { protocolVersion: 4 });
    cleanups.push(() => tool.endAsync(true));

    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await tool.publishAsync(`thirdring/t/bridge/request/${name}`, '{}', { qos: 1 });
    }
    expect((await status(tool, sub.received)).counters.inboundDropped).toBe(4);
    expect(exitCode()).toBeNull();

    await sleep(500);
    const rssBefore = rssOf(pid);
    const total = 100_000;
    for (let i = 0; i < total; i++) {
      tool.publish(`thirdring/t/desk/${Math.random().toString(36).slice(2)}-${i}/action`, '{"action":"away"}', { qos: 0 });
      if (i % 5000 === 4999) await tool.publishAsync('thirdring/t/desk/anna/availability', 'online', { qos: 1 });
    }
    let dropped = 0;
    const deadline = Date.now() + 60_000;
    while (dropped < total + 4 && Date.now() < deadline) {
      dropped = (await status(tool, sub.received)).counters.inboundDropped!;
      if (dropped < total + 4) await sleep(250);
    }
    expect(dropped).toBe(total + 4);
    const grown = rssOf(pid) - rssBefore;
    const faults = sub.received.filter((r) => r.topic === 'thirdring/t/log' && json(r).type === 'fault').map(json);
    // One report per kind and second (unknown desk, and the four bad requests): tens, not 100,000.
    expect(faults.length).toBeLessThan(60);
    expect(faults.filter((f) => f.reason === 'bad-message:unknown-desk').at(-1)!.count).toBeGreaterThan(total / 2);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
    expect(exitCode()).toBeNull();
    expect(sub.received.filter((r) => r.topic === 'thirdring/t/bridge/state').map((r) => r.payload)).not.toContain('offline');
    expect(output.stderr).toBe('');
  }, 90_000);

  it.each([
    ['mqtt.port', (busy: number) => ({ mqtt: busy, ws: false as const, dashboard: false as const })],
    ['mqtt.wsPort', (busy: number, free: number) => ({ mqtt: free, ws: busy, dashboard: false as const })],
    ['dashboard.port', (busy: number, free: number) => ({ mqtt: free, ws: false as const, dashboard: busy })],
  ])('a port that is taken (%s) is named, with what to do: exit 1, one line, no stack trace', async (setting, ports) => {
    const busy = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(busy, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const { output, exited } = startBridge(office(ports(busy, await freePort())));
    expect(await exited).toBe(1);
    expect(output.stderr).toBe(
      `thirdring start: cannot listen on 127.0.0.1:${busy} (${setting}): another program uses that port — stop it, or set ${setting} to a free port (0 picks one)\n`,
    );
  }, 30_000);
});
