// The desk agent as composed from desk.yaml, in this process against the bridge's embedded broker: the light's
// button and the PC's presence reach the bridge as the desk's presence; the light shows the desk's alert.
import { describe, expect, it } from 'vitest';
import { composeDeskAgent } from '../../src/desk-agent/compose.js';
import { parseDeskConfig } from '../../src/desk-agent/config.js';
import type { PcReading } from '../../src/desk-agent/presence.js';
import { FakeHidBackend } from '../devices/fake-hid.js';
import { startMqttBridge } from '../mqtt/bridge-harness.js';
import { tempDir, until } from '../mqtt-helpers.js';

const office = `
site: t
mqtt: { port: 0, wsPort: false }
desks:
  - { id: anna, at: [1, 0], unit: { password: anna-secret-1, presence: true } }
  - { id: bram, at: [3, 0] }
lines: [{ id: front, phone: { at: [0, 0] }, cadence: nl }]
`;

describe('thirdring desk, composed', () => {
  it("the Luxafor Mute's button toggles away and back; a locked session goes away after the hold-off; the light shows yours", async () => {
    const { bridge, mqtt } = await startMqttBridge(office, tempDir());
    const backend = new FakeHidBackend();
    const mute = backend.plug({ path: '/dev/hidraw9', vendorId: 0x04d8, productId: 0xf372, product: 'LUXAFOR MUTE' }, Buffer.alloc(0));
    let reading: PcReading = { locked: false, idle: false, idleSinceMs: null };
    const log: string[] = [];
    const desk = composeDeskAgent(
      parseDeskConfig(`broker: { url: "${mqtt.broker!.url}" }\nsite: t\ndesk: anna\nheadset: false\nbusylight: { model: luxafor-mute }\npresence: { holdOffSeconds: 0.3, pollSeconds: 0.2 }\n`),
      { password: 'anna-secret-1', hidBackend: () => backend, presenceSource: { read: async () => reading }, log: (l) => log.push(l), hidPollMs: 50 },
    );
    desk.start();
    try {
      await until('the light open', () => mute.connection);
      await until('connected, present', () => desk.link.connected && log.includes('present (input at the PC)'));

      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      // Luxafor: report 0, command 1 (steady colour), all LEDs (ff), blue.
      await until('blue on the light', () => mute.written.some((r) => r.join(',') === [0, 1, 0xff, 0, 0, 0xff, 0, 0, 0].join(',')));
      bridge.input({ type: 'hook', line: 'front', state: 'off' });
      bridge.input({ type: 'ring', line: 'front', state: 'off' });
      bridge.input({ type: 'hook', line: 'front', state: 'on' });

      mute.send([0x83, 0x00]);
      mute.send([0x83, 0x01]);
      await until('away by the button', () => bridge.deskStatus('anna').presence === 'away');
      mute.send([0x83, 0x00]);
      await until('back by the button', () => bridge.deskStatus('anna').presence === 'present');

      reading = { locked: true, idle: false, idleSinceMs: null };
      await until('away when locked', () => bridge.deskStatus('anna').presence === 'away', 3000);
      expect(log).toContain('away (session locked or idle)');
      reading = { locked: false, idle: false, idleSinceMs: null };
      await until('present on unlock', () => bridge.deskStatus('anna').presence === 'present', 3000);
    } finally {
      await desk.stop();
      await bridge.stop();
    }
  });
});
