import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/bridge/config/load.js';
import { accessPolicy, authenticate, mayPublish, maySubscribe } from '../../src/bridge/mqtt/broker-access.js';
import { parseBaresipEvent } from '../../src/devices/softphone/baresip-event.js';
import { MAX_CALLS_PER_PHONE, SoftphoneCalls } from '../../src/devices/softphone/softphone-calls.js';
import { configProblems } from '../helpers.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
// As baresip 1.0.0 publishes it (seen on loopback, see test/softphone/softphones-real.test.ts).
const incoming = {
  type: 'CALL_INCOMING',
  class: 'call',
  accountaor: 'sip:anna@127.0.0.1:15070',
  direction: 'incoming',
  peeruri: 'sip:pbx@127.0.0.1:15080',
  id: '34c6a92b18a8920f',
  param: 'sip:pbx@127.0.0.1:15080',
};

describe('baresip events', () => {
  it('reads call events and takes every other event as proof of life', () => {
    expect(parseBaresipEvent(json(incoming))).toEqual({ kind: 'incoming', id: incoming.id, aor: incoming.accountaor, outgoing: false });
    expect(parseBaresipEvent(json({ type: 'CALL_RTCP', id: 'x' }))).toEqual({ kind: 'other' });
  });

  it.each([
    ['not json', Buffer.from('{'), 'event-not-json'],
    ['an array', json([1]), 'event-not-object'],
    ['no type', json({ id: 'x' }), 'event-without-type'],
    ['a huge id', json({ ...incoming, id: 'x'.repeat(1000) }), 'call-event-bad-id'],
    ['no account', json({ ...incoming, accountaor: 7 }), 'call-event-bad-account'],
    ['too large', Buffer.alloc(20_000, 32), 'event-too-large'],
  ])('refuses %s', (_, payload, refused) => {
    expect(parseBaresipEvent(payload)).toEqual({ refused });
  });
});

describe('the calls of one softphone', () => {
  const event = (kind: 'incoming' | 'established' | 'closed', id = 'c1', aor = 'sip:anna@x') => ({ kind, id, aor, outgoing: false });
  const calls = () => new SoftphoneCalls((aor) => (aor === 'sip:anna@x' ? 'front' : null));

  it('rings until established (off hook, then the ringing stops), and a closed call goes on hook', () => {
    const c = calls();
    expect(c.apply(event('incoming'))).toEqual({ actions: [{ do: 'ring', line: 'front', call: 'c1', ringing: true }] });
    expect(c.ringingOn('front')).toBe('c1');
    expect(c.apply(event('established'))).toEqual({
      actions: [
        { do: 'hook', line: 'front', state: 'off' },
        { do: 'ring', line: 'front', call: 'c1', ringing: false },
      ],
    });
    expect(c.apply(event('closed'))).toEqual({ actions: [{ do: 'hook', line: 'front', state: 'on' }] });
  });

  it('a call cancelled while ringing only stops ringing (CALL_CLOSED without CALL_ESTABLISHED)', () => {
    const c = calls();
    c.apply(event('incoming'));
    expect(c.apply(event('closed'))).toEqual({ actions: [{ do: 'ring', line: 'front', call: 'c1', ringing: false }] });
    expect(c.apply(event('closed'))).toEqual({ ignored: 'unknown-call' });
  });

  it('ignores calls on accounts that map to no line, and bounds the calls it keeps', () => {
    const c = calls();
    expect(c.apply(event('incoming', 'p', 'sip:private@x'))).toEqual({ ignored: 'unmapped-account' });
    for (let i = 0; i < MAX_CALLS_PER_PHONE; i++) c.apply(event('incoming', `c${i}`));
    expect(c.apply(event('incoming', 'one-more'))).toEqual({ refused: 'too-many-calls' });
    expect(c.clear()).toHaveLength(MAX_CALLS_PER_PHONE);
  });
});

describe('softphone accounts on the embedded broker', () => {
  const policy = accessPolicy({ site: 's', admin: { username: 'admin', password: 'admin-pass' }, readers: [], deskUnits: [], softphones: [{ username: 'softphone-anna', baseTopic: 'desk-anna', password: 'secret-123' }] });
  const account = authenticate(policy, 'baresip-anna', 'softphone-anna', Buffer.from('secret-123'));

  it('publishes only its own events and command answers, and reads only its command topic', () => {
    if ('refused' in account) throw new Error('refused');
    expect(mayPublish(policy, account, '/desk-anna/event')).toBe(true);
    expect(mayPublish(policy, account, '/desk-anna/command_resp/thirdring-ping')).toBe(true);
    expect(mayPublish(policy, account, '/desk-bram/event')).toBe(false);
    expect(mayPublish(policy, account, '/desk-anna/command/x')).toBe(false);
    expect(mayPublish(policy, account, 'thirdring/s/desk/anna/action')).toBe(false);
    expect(maySubscribe(policy, account, '/desk-anna/command/+')).toBe(true);
    expect(maySubscribe(policy, account, '#')).toBe(false);
  });
});

describe('softphones in the config', () => {
  it('names unknown desks and lines, shared base topics and softphones without a line', () => {
    expect(
      configProblems(`
site: t
desks: [{ id: anna, at: [0, 0] }]
lines: [{ id: front, phone: { at: [1, 0] } }]
softphones:
  - { desk: anna, baseTopic: desk-anna, line: front }
  - { desk: nobody, baseTopic: desk-anna, accounts: [{ aor: "sip:x@y", line: back }] }
  - { desk: anna, baseTopic: other }
`),
    ).toEqual([
      'office.yaml: softphones[1].desk: unknown desk "nobody"',
      'office.yaml: softphones[1].baseTopic: "desk-anna" is already softphones[0]\'s',
      'office.yaml: softphones[1].accounts[0].line: unknown line "back"',
      'office.yaml: softphones[2].desk: desk "anna" already has a softphone',
      'office.yaml: softphones[2]: expected line or accounts (which line its calls ring)',
    ]);
  });
});

describe('the README\'s softphone and Kuando Box examples', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const yamlAfter = (heading: string) => {
    const section = readme.slice(readme.indexOf(heading));
    return /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  };

  it('are configs the bridge takes', () => {
    const office = `site: t\ndesks: [{ id: anna, at: [1, 0] }, { id: bram, at: [2, 0] }]\nlines: [{ id: front, phone: { at: [0, 0] } }]\n`;
    const config = parseConfig(office + yamlAfter('### Softphones (baresip)') + yamlAfter('### Kuando Busylight Box'));
    expect(config.softphones.map((p) => p.desk)).toEqual(['anna', 'bram']);
    expect(config.kuandoBoxes).toEqual([{ line: 'front', serialNumber: 'KB-0001', sensitivity: 4, timeoutSeconds: 4, triggerMs: 85 }]);
  });
});
