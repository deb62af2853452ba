import { describe, expect, it } from 'vitest';
import type { DeviceInput } from '../../src/common/device-events.js';
import { AmiCalls, MAX_CALLS, MAX_DESTINATIONS } from '../../src/devices/asterisk/ami-calls.js';
import { extensionOf } from '../../src/devices/asterisk/channel-name.js';

// Event shapes as the AMI event reference has them (DialBegin, DialEnd, BridgeEnter, Newstate, Hangup); the values
// are a FreePBX-style ring group 600 dialling extensions 201 and 202 through Local channels.
const ev = (fields: Record<string, string>) => new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));

function calls() {
  const log: (DeviceInput | { ringing: [string, string, boolean] } | { dropped: string })[] = [];
  const c = new AmiCalls(
    { dialled: new Map([['600', 'front']]), members: new Map([['301', 'back']]), desks: new Map([['201', 'anna'], ['202', 'bram']]) },
    { ringing: (...r) => log.push({ ringing: r }), input: (i) => log.push(i), dropped: (d) => log.push({ dropped: d }) },
  );
  return { c, log };
}

const dialBegin = (linked: string, dest: string, destId: string, exten = '600') =>
  ev({ Event: 'DialBegin', Channel: 'PJSIP/trunk-00000001', Uniqueid: '1700000000.1', Linkedid: linked, Exten: exten, DestChannel: dest, DestUniqueid: destId, DestLinkedid: linked });

describe('AMI calls', () => {
  it('channel names → extensions', () => {
    expect(['PJSIP/201-0000002a', 'SIP/110-00042242', 'IAX2/aster-17127', 'Local/201@from-queue-00000012;1', 'PJSIP/kermit-00000001', 'garbage', 'Local/;2'].map(extensionOf)).toEqual([
      '201', '110', 'aster', '201', 'kermit', null, null,
    ]);
  });

  it('the dialled ring group rings its line; BridgeEnter at 202 is bram answering; the caller hanging up ends it', () => {
    const { c, log } = calls();
    c.event(dialBegin('1700000000.1', 'Local/201@from-internal-00000001;1', '1700000000.2'));
    c.event(dialBegin('1700000000.1', 'Local/202@from-internal-00000002;1', '1700000000.3'));
    c.event(ev({ Event: 'BridgeEnter', Channel: 'Local/202@from-internal-00000002;1', Uniqueid: '1700000000.3', Linkedid: '1700000000.1' }));
    c.event(ev({ Event: 'DialEnd', DestUniqueid: '1700000000.3', DialStatus: 'ANSWER' }));
    c.event(ev({ Event: 'Hangup', Uniqueid: '1700000000.2' }));
    expect(c.ringingLines()).toEqual([]);
    c.event(ev({ Event: 'Hangup', Uniqueid: '1700000000.1' }));
    expect(log).toEqual([
      { ringing: ['front', '1700000000.1', true] },
      { ringing: ['front', '1700000000.1', true] },
      { type: 'hook', desk: 'bram', line: 'front', state: 'off' },
      { ringing: ['front', '1700000000.1', false] },
      { type: 'hook', desk: 'bram', line: 'front', state: 'on' },
    ]);
    expect(c.size).toBe(0);
  });

  it('Newstate Up of a dialled extension no desk has: answered at the line; calls of no line are not followed', () => {
    const { c, log } = calls();
    c.event(dialBegin('L', 'PJSIP/299-00000001', 'D', '600'));
    c.event(ev({ Event: 'Newstate', Uniqueid: 'D', ChannelState: '5' }));
    c.event(ev({ Event: 'Newstate', Uniqueid: 'D', ChannelState: '6' }));
    c.event(dialBegin('M', 'PJSIP/201-00000002', 'E', '201'));
    expect(c.size).toBe(1);
    c.event(ev({ Event: 'Hangup', Uniqueid: 'D' }));
    expect(log.slice(1)).toEqual([{ type: 'hook', line: 'front', state: 'off' }, { ringing: ['front', 'L', false] }, { type: 'hook', line: 'front', state: 'on' }]);
  });

  it('members: a call dialling a member rings that line; every destination failing ends it', () => {
    const { c, log } = calls();
    c.event(dialBegin('L', 'PJSIP/301-00000001', 'D', 's'));
    c.event(ev({ Event: 'DialEnd', DestUniqueid: 'D', DialStatus: 'NOANSWER' }));
    c.event(ev({ Event: 'Hangup', Uniqueid: 'D' }));
    expect(log).toEqual([{ ringing: ['back', 'L', true] }, { ringing: ['back', 'L', false] }]);
    expect(c.size).toBe(0);
  });

  it('bounded: past MAX_CALLS the oldest call is ended and counted; endAll stops every ringing call', () => {
    const { c, log } = calls();
    for (let i = 0; i <= MAX_CALLS; i++) c.event(dialBegin(`L${i}`, 'PJSIP/201-00000001', `D${i}`));
    expect(c.size).toBe(MAX_CALLS);
    expect(log.filter((e) => 'dropped' in e)).toEqual([{ dropped: 'too-many-calls' }]);
    expect(log.filter((e) => 'ringing' in e && !e.ringing[2])).toEqual([{ ringing: ['front', 'L0', false] }]);
    c.event(ev({ Event: 'Hangup', Uniqueid: 'D0' }));
    expect(c.size).toBe(MAX_CALLS);
    c.endAll();
    expect(c.size).toBe(0);
    expect(log.filter((e) => 'ringing' in e && !e.ringing[2])).toHaveLength(MAX_CALLS + 1);
  });

  it('bounded: one call dialling more than MAX_DESTINATIONS phones follows the first ones only', () => {
    const { c, log } = calls();
    for (let i = 0; i < MAX_DESTINATIONS + 5; i++) {
      c.event(ev({ Event: 'DialBegin', Uniqueid: `C${i}`, Linkedid: 'L', Exten: '600', DestChannel: `PJSIP/2${i}-00000001`, DestUniqueid: `D${i}` }));
    }
    expect(log.filter((e) => 'dropped' in e)).toHaveLength(5);
    expect(log.filter((e) => 'ringing' in e)).toHaveLength(MAX_DESTINATIONS);
  });
});
