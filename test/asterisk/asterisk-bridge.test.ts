import { afterEach, describe, expect, it } from 'vitest';
import { ofType } from '../helpers.js';
import { until } from '../wait.js';
import { startAsteriskBridge, transcript } from './asterisk-harness.js';

// The PBX is the transcript server (firmware-sim/asterisk-ami-server.ts) replaying the AMI v2 Specification's
// examples (test/fixtures/asterisk/*.ami); the bridge is the real one, on a clock the test moves.

let running: Awaited<ReturnType<typeof startAsteriskBridge>> | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function online() {
  const office = (running = await startAsteriskBridge());
  await until('the AMI login', () => office.devices.find((e) => e.type === 'device' && e.state === 'online'));
  return office;
}

describe('Asterisk over AMI: a ring group call rings the shared line', () => {
  it('Parallel Dial: ring 1 and the assignment at once; Dr. Teeth answering is bram answering; the hangup ends it', async () => {
    const { server, decisions, devices, time } = await online();
    expect(devices[0]).toMatchObject({ type: 'device', family: 'asterisk', state: 'online', detail: 'Asterisk Call Manager/2.0.0' });
    const call = transcript('ring-group-answered');

    server.play(call, 'ring');
    await until('ring 1', () => ofType(decisions, 'ring')[0]);
    expect(ofType(decisions, 'assign')).toMatchObject([{ line: 'front', desk: 'anna', reason: 'first' }]);

    time.advance(5000);
    expect(ofType(decisions, 'ring').map((d) => d.ring)).toEqual([1, 2]);

    server.play(call, 'answer');
    const answered = await until('answered', () => ofType(decisions, 'answered')[0]);
    expect(answered).toMatchObject({ line: 'front', desk: 'bram', rings: 2, onTime: true });

    server.play(call, 'bridge');
    server.play(call, 'hangup');
    await until('the call ended', () => ofType(decisions, 'ended')[0]);
    time.advance(60_000);
    expect(ofType(decisions, 'missed')).toEqual([]);
    expect(ofType(decisions, 'ring')).toHaveLength(2);
  });

  it('Simple Failed Dial: the line rings until the dial times out, then the call is missed and a callback owed', async () => {
    const { server, decisions, time } = await online();
    const call = transcript('ring-group-unanswered');

    server.play(call, 'ring');
    await until('ring 1', () => ofType(decisions, 'ring')[0]);
    time.advance(1000);
    server.play(call, 'timeout');
    await until('the ringing stops', () => running!.feature.pbx!.activeCalls === 0);
    time.advance(60_000);

    expect(ofType(decisions, 'missed')).toMatchObject([{ line: 'front', rings: 1, desk: 'anna' }]);
    expect(ofType(decisions, 'callback-owed')).toMatchObject([{ line: 'front', desk: 'anna' }]);
    expect(ofType(decisions, 'answered')).toEqual([]);
  });
});

describe('Asterisk over AMI: the connection', () => {
  it('the PBX drops the connection: offline, the ringing call ends, logged in again, and calls ring again', async () => {
    const { server, decisions, devices, time } = await online();
    const call = transcript('ring-group-answered');
    server.play(call, 'ring');
    await until('ring 1', () => ofType(decisions, 'ring')[0]);

    const relogin = server.nextLogin();
    server.dropClients();
    await until('offline', () => devices.find((e) => e.type === 'device' && e.state === 'offline'));
    expect(devices.find((e) => e.type === 'device' && e.state === 'offline')).toMatchObject({ family: 'asterisk', reason: 'connection closed by the PBX', lines: ['front'] });
    time.advance(60_000);
    expect(ofType(decisions, 'missed')).toMatchObject([{ line: 'front', rings: 1 }]);

    await relogin;
    await until('online again', () => devices.filter((e) => e.type === 'device' && e.state === 'online').length === 2);
    server.play(call, 'ring');
    await until('the next call rings', () => ofType(decisions, 'ring').length === 2);
    server.play(call, 'answer');
    await until('answered', () => ofType(decisions, 'answered')[0]);
    expect(ofType(decisions, 'answered')).toMatchObject([{ desk: 'bram' }]);
  });

  it('a wrong secret: a fault naming the settings, never online, tried again with backoff', async () => {
    const office = (running = await startAsteriskBridge({ secret: 'not-the-secret' }));
    const fault = await until('the login fault', () => office.devices.find((e) => e.type === 'fault'));
    expect(fault).toMatchObject({ family: 'asterisk', reason: 'login-refused', count: 1 });
    expect(fault.type === 'fault' && fault.detail).toBe(
      'the PBX refused the AMI login of user "thirdring" ("Authentication failed"): check asterisk.username / asterisk.secret against manager.conf',
    );
    await until('a second attempt', () => office.server.logins.refused >= 2);
    expect(office.devices.filter((e) => e.type === 'device')).toEqual([]);
  });

  it('malformed and oversized input is dropped and counted, and the events after it still ring the line', async () => {
    const { server, decisions, devices, feature } = await online();
    server.sendRaw(`Event: DialBegin\r\nno colon on this line\r\nDestUniqueid: x\r\n\r\n`);
    server.sendRaw(`Event: Newstate\r\nChannel: ${'A'.repeat(200_000)}\r\n\r\n`);
    server.sendRaw(`Event: Hangup\r\n${Array.from({ length: 300 }, (_, i) => `Field${i}: x`).join('\r\n')}\r\n\r\n`);
    server.play(transcript('ring-group-answered'), 'ring');
    await until('ring 1', () => ofType(decisions, 'ring')[0]);

    expect(feature.pbx!.counters.dropped).toBe(3);
    const faults = devices.filter((e) => e.type === 'fault');
    expect(faults.map((f) => f.type === 'fault' && f.reason).sort()).toEqual(['line-too-long', 'malformed-line', 'message-too-big']);
    expect(faults.every((f) => f.type === 'fault' && f.detail.length < 200)).toBe(true);
    expect(devices.filter((e) => e.type === 'device' && e.state === 'offline')).toEqual([]);
  });
});
