import { describe, expect, it } from 'vitest';
import { AmiParser, type AmiDropReason, type AmiMessage } from '../../src/devices/asterisk/ami-parser.js';

function parser(limits?: { lineChars: number; messageChars: number; fields: number }) {
  const out = { banner: [] as string[], messages: [] as AmiMessage[], dropped: [] as AmiDropReason[] };
  const p = new AmiParser(
    { banner: (l) => out.banner.push(l), message: (m) => out.messages.push(m), dropped: (r) => out.dropped.push(r) },
    limits,
  );
  return { p, out, partial: () => (p as unknown as { partial: string }).partial.length };
}

// "This is syntantically equivalent to the following ASCII string" — the AMI v2 Specification's own example,
// https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-v2-Specification/ ("Message Layout").
const SPEC_NEWCHANNEL =
  'Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/misspiggy-00000001\r\nUniqueid: 1368479157.3\r\nChannelState: 3\r\nChannelStateDesc: Up\r\nCallerIDNum: 657-5309\r\nCallerIDName: Miss Piggy\r\nConnectedLineName:\r\nConnectedLineNum:\r\nAccountCode: Pork\r\nPriority:\r\nExten: 31337\r\nContext: inbound\r\n\r\n';

describe('AMI parser', () => {
  it("reads the spec's example, byte by byte as well as whole; keys are case-insensitive, empty values kept", () => {
    for (const chunks of [[SPEC_NEWCHANNEL], [...SPEC_NEWCHANNEL]]) {
      const { p, out } = parser();
      p.push('Asterisk Call Manager/2.0.0\r\n');
      for (const chunk of chunks) p.push(chunk);
      expect(out.banner).toEqual(['Asterisk Call Manager/2.0.0']);
      expect(out.messages).toHaveLength(1);
      const m = out.messages[0]!;
      expect([m.get('event'), m.get('channel'), m.get('calleridname'), m.get('connectedlinename'), m.get('exten')]).toEqual(['Newchannel', 'PJSIP/misspiggy-00000001', 'Miss Piggy', '', '31337']);
      expect(out.dropped).toEqual([]);
    }
  });

  it('ids from the PBX are Map keys: "__proto__" and "constructor" are fields like any other', () => {
    const { p, out } = parser();
    p.push('banner\r\n__proto__: x\r\nconstructor: y\r\n\r\n');
    expect(out.messages[0]!.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a line past the limit is never held: dropped as it arrives, the rest skipped to its line break, the next message read', () => {
    const { p, out, partial } = parser({ lineChars: 100, messageChars: 1000, fields: 10 });
    p.push('banner\r\nEvent: Newstate\r\nChannel: ');
    for (let i = 0; i < 1000; i++) {
      p.push('A'.repeat(64));
      expect(partial()).toBeLessThanOrEqual(100 + 64);
    }
    p.push('\r\nUniqueid: 1\r\n\r\nEvent: Hangup\r\n\r\n');
    expect(out.dropped).toEqual(['line-too-long']);
    expect(out.messages.map((m) => m.get('event'))).toEqual(['Hangup']);
  });

  it('too many fields, too many characters, or a line that is no "Key: value": the message is dropped whole, once', () => {
    const { p, out } = parser({ lineChars: 100, messageChars: 60, fields: 3 });
    p.push('banner\r\n');
    p.push('Event: A\r\nB: 1\r\nC: 2\r\nD: 3\r\nE: 4\r\n\r\n');
    p.push(`Event: B\r\nX: ${'y'.repeat(70)}\r\n\r\n`);
    p.push('Event: C\r\nnot a field\r\n: nor this\r\n\r\n');
    p.push('Event: D\n\n');
    expect(out.dropped).toEqual(['message-too-big', 'message-too-big', 'malformed-line']);
    expect(out.messages.map((m) => m.get('event'))).toEqual(['D']);
  });
});
