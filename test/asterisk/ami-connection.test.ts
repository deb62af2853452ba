import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiTranscriptServer } from '../../firmware-sim/asterisk-ami-server.js';
import type { DeviceEvent } from '../../src/common/device-events.js';
import { AsteriskPbx } from '../../src/devices/asterisk/asterisk-pbx.js';
import { until } from '../wait.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function pbx(port: number, timings: { pingMs?: number; loginTimeoutMs?: number } = {}) {
  const events: DeviceEvent[] = [];
  const device = new AsteriskPbx({
    host: '127.0.0.1',
    port,
    username: 'thirdring',
    secret: 'kermit-secret',
    calls: { dialled: new Map(), members: new Map(), desks: new Map() },
    now: () => Date.now(),
    reconnectMinMs: 20,
    reconnectMaxMs: 50,
    ...timings,
  });
  device.on('device', (e) => events.push(e));
  device.start();
  cleanup.push(() => device.stop());
  return { device, events };
}

async function rawServer(onConnect: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    onConnect(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

describe('AMI connection', () => {
  it('a PBX that stops answering Ping (gone without closing the connection): offline, then reconnects', async () => {
    const server = new AmiTranscriptServer({ username: 'thirdring', secret: 'kermit-secret', answerPing: false });
    const port = await server.start();
    cleanup.push(() => server.stop());
    const { events } = pbx(port, { pingMs: 50 });
    const offline = await until('offline', () => events.find((e) => e.type === 'device' && e.state === 'offline'));
    expect(offline).toMatchObject({ reason: 'no answer to a Ping within 0.05 s' });
    await until('logged in again', () => server.logins.accepted >= 2);
  });

  it('a server that never greets: the attempt times out and is made again', async () => {
    let connections = 0;
    const port = await rawServer(() => connections++);
    const { events } = pbx(port, { loginTimeoutMs: 50 });
    await until('a third attempt', () => connections >= 3);
    expect(events).toEqual([]);
  });

  it('something other than AMI on the port: a not-ami fault quoting its greeting', async () => {
    const port = await rawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.2p1\r\n'));
    const { events } = pbx(port);
    const fault = await until('the fault', () => events.find((e) => e.type === 'fault'));
    expect(fault).toMatchObject({ reason: 'not-ami', detail: `127.0.0.1:${port} greeted with "SSH-2.0-OpenSSH_9.2p1", not "Asterisk Call Manager/…": is this the AMI port?` });
  });
});
