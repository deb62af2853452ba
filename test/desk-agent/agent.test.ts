// The agent's decisions with the MQTT side replaced by an emitter: what it shows, what it sends.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeskAgent, type AgentLink } from '../../src/desk-agent/agent.js';
import { DeskConfigError, deskPassword, parseDeskConfig } from '../../src/desk-agent/config.js';
import type { DeskAction } from '../../src/desk-agent/desk-link.js';
import { NO_BRIDGE, type Shown } from '../../src/desk-agent/desk-view.js';
import { systemdUnit, udevRules } from '../../src/desk-agent/install.js';

class FakeLink extends EventEmitter implements AgentLink {
  connected = false;
  readonly sent: DeskAction[] = [];
  publish(action: DeskAction): boolean {
    if (this.connected) this.sent.push(action);
    return this.connected;
  }
  connect(): void {
    this.connected = true;
    this.emit('connected');
  }
  drop(): void {
    this.connected = false;
    this.emit('disconnected', 'connection closed');
  }
  message(kind: 'set' | 'state' | 'bridge', payload: string | object): void {
    this.emit('message', kind, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
  }
}

const yours = { led: { color: 'blue', pattern: 'fast-blink' }, buzzer: { pattern: 'off' }, alert: 'yours', line: 'front' };

function agent() {
  const link = new FakeLink();
  const shown: Shown[] = [];
  const log: string[] = [];
  const a = new DeskAgent({ desk: 'anna', link, indicators: [{ show: (s) => shown.push(s), stop: () => {} }], log: (l) => log.push(l), now: () => 0 });
  a.start();
  return { a, link, shown, log };
}

describe('the desk agent', () => {
  it('shows the bridge\'s command; "no bridge" when the bridge says offline or the broker goes, never a stale "answer now"', () => {
    const { a, link, shown, log } = agent();
    expect(shown).toEqual([NO_BRIDGE]);
    link.connect();
    link.message('bridge', 'online');
    link.message('set', yours);
    expect(a.shown).toEqual({ alert: 'yours', led: yours.led, buzzer: yours.buzzer });
    link.message('bridge', 'offline');
    expect(a.shown).toEqual(NO_BRIDGE);
    expect(log).toContain('no bridge (bridge offline): showing white slow blink until it is back');
    link.message('bridge', 'online');
    expect(a.shown.alert).toBe('yours');
    link.drop();
    expect(a.shown).toEqual(NO_BRIDGE);
    // Reconnected: nothing is shown until the bridge's retained command comes again.
    link.connect();
    expect(a.shown.led).toEqual({ color: 'off', pattern: 'off' });
  });

  it('an older bridge\'s command without alert takes the alert from the desk state', () => {
    const { a, link } = agent();
    link.connect();
    link.message('state', { presence: 'present', alert: 'nearby', alertLine: 'back' });
    link.message('set', { led: { color: 'amber', pattern: 'slow-blink' }, buzzer: { pattern: 'off' } });
    expect(a.shown.alert).toBe('nearby');
    a.hook('off');
    expect(link.sent).toEqual([{ action: 'hook', state: 'off', line: 'back' }]);
  });

  it('hook off answers the line the desk is alerted for; without a ringing alert it names none; hold and resume', () => {
    const { a, link } = agent();
    link.connect();
    link.message('set', yours);
    a.hook('off');
    link.message('set', { ...yours, alert: 'none', line: null, led: { color: 'off', pattern: 'off' } });
    a.hold('on');
    a.hold('off');
    a.hook('on');
    a.hook('off');
    expect(link.sent).toEqual([
      { action: 'hook', state: 'off', line: 'front' },
      { action: 'hold' },
      { action: 'resume' },
      { action: 'hook', state: 'on' },
      { action: 'hook', state: 'off' },
    ]);
  });

  it('bad payloads are dropped and counted, logged once a minute', () => {
    const { a, link, log } = agent();
    link.connect();
    for (let i = 0; i < 100; i++) link.message('set', i % 2 ? '{"led":' : { led: 'purple' });
    link.message('bridge', 'maybe');
    expect(a.counters.messagesDropped).toBe(101);
    expect(log.filter((l) => l.startsWith('bad-message:'))).toEqual(['bad-message:set: desk/anna/set: not a desk command (1 so far)', 'bad-message:bridge: bridge/state: expected online or offline (1 so far)']);
  });

  it('says its presence on (re)connecting — after an agent loss the bridge has the desk away — and adopts changes made elsewhere', () => {
    const { a, link } = agent();
    a.setPresence('present', 'agent started');
    expect(link.sent).toEqual([]);
    link.connect();
    expect(link.sent).toEqual([{ action: 'present' }]);
    link.message('state', { presence: 'present' });
    // `thirdring desk away` from another process: the bridge's state changes; a reconnect keeps it.
    link.message('state', { presence: 'away' });
    link.drop();
    link.connect();
    expect(link.sent.at(-1)).toEqual({ action: 'away' });
    // The light's button toggles what the bridge says.
    link.message('state', { presence: 'away' });
    a.togglePresence('button');
    expect(link.sent.at(-1)).toEqual({ action: 'present' });
  });

  it("a second press before the bridge's state shows the first goes back, not the same way twice", () => {
    let now = 0;
    const link = new FakeLink();
    const a = new DeskAgent({ desk: 'anna', link, indicators: [], log: () => {}, now: () => now });
    link.connect();
    link.message('state', { presence: 'present' });
    a.togglePresence('button');
    a.togglePresence('button');
    expect(link.sent).toEqual([{ action: 'away' }, { action: 'present' }]);
    // Shown by the bridge (its state for the first, then the second): the next press goes from there.
    link.message('state', { presence: 'away' });
    link.message('state', { presence: 'present' });
    a.togglePresence('button');
    expect(link.sent.at(-1)).toEqual({ action: 'away' });
    // A request the bridge never shows (refused, or overridden by a schedule) stops counting after 2 s.
    now += 2500;
    a.togglePresence('button');
    expect(link.sent.at(-1)).toEqual({ action: 'away' });
  });
});

describe('desk.yaml', () => {
  it('errors name the file and path', () => {
    expect(() => parseDeskConfig('broker: { url: "http://x" }\nsite: b\ndesk: "a b"\nheadset: { vendorId: "xyz" }\n', 'desk.yaml')).toThrow(DeskConfigError);
    try {
      parseDeskConfig('broker: { url: "http://x" }\nsite: b\ndesk: "a b"\nheadset: { vendorId: "xyz" }\nextra: 1\n', 'desk.yaml');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('desk.yaml: broker.url: expected an mqtt://, mqtts://, ws:// or wss:// URL');
      expect(message).toContain('desk.yaml: desk: expected an id');
      expect(message).toContain('desk.yaml: headset');
      expect(message).toContain('desk.yaml: (top level): Unrecognized key: "extra"');
    }
    expect(() => parseDeskConfig('broker: [', 'desk.yaml')).toThrow(/^desk\.yaml:1:\d+: not valid YAML/);
    expect(() => parseDeskConfig('broker: { url: "mqtt://b" }\nsite: b\ndesk: anna\nbusylight: { model: lava-lamp }\n', 'desk.yaml')).toThrow(
      /^desk\.yaml: busylight\.model: unknown model "lava-lamp": expected one of kuando-alpha, .*blink1/,
    );
  });

  it('the README\'s desk.yaml is valid as written', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Desk agent (`thirdring desk`)'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const config = parseDeskConfig(yaml, '/home/anna/.config/thirdring/desk.yaml');
    expect(config).toMatchObject({ site: 'branch-01', desk: 'anna', passwordFile: '/home/anna/.config/thirdring/desk.secret', headset: { vendorId: 0x0b0e } });
    expect(config.broker).toMatchObject({ url: 'mqtts://bridge-host:8883', ca: '/etc/thirdring/ca.pem', keepaliveSeconds: 10 });
  });

  it('defaults, paths relative to the file, the password from a file or the environment', () => {
    const config = parseDeskConfig('broker: { url: "mqtts://bridge:8883", ca: ca.pem }\nsite: branch-01\ndesk: anna\npasswordFile: secret\n', '/etc/thirdring/desk.yaml');
    expect(config.broker).toMatchObject({ ca: '/etc/thirdring/ca.pem', keepaliveSeconds: 10, rejectUnauthorized: true });
    expect(config).toMatchObject({ headset: {}, busylight: {}, passwordFile: '/etc/thirdring/secret', passwordEnv: 'THIRDRING_DESK_PASSWORD' });
    expect(config.presence).toMatchObject({ idleMinutes: 10, holdOffSeconds: 20, button: true });
    expect(() => deskPassword(config)).toThrow('/etc/thirdring/desk.yaml: passwordFile: cannot read /etc/thirdring/secret (ENOENT)');
    const fromEnv = parseDeskConfig('broker: { url: "mqtt://bridge" }\nsite: b\ndesk: anna\nheadset: false\nbusylight: false\n');
    expect(deskPassword(fromEnv, { THIRDRING_DESK_PASSWORD: 's3cret-pass' })).toBe('s3cret-pass');
    expect(deskPassword(fromEnv, {})).toBeUndefined();
  });
});

describe('thirdring desk install', () => {
  it('a systemd --user unit that restarts the agent, its words quoted', () => {
    const unit = systemdUnit({ configFile: '/home/anna/.config/thirdring/desk 1.yaml', command: ['/usr/bin/node', '/usr/lib/node_modules/thirdring/dist/src/cli.js'], desk: 'anna' });
    expect(unit).toContain('ExecStart="/usr/bin/node" "/usr/lib/node_modules/thirdring/dist/src/cli.js" "desk" "--config" "/home/anna/.config/thirdring/desk 1.yaml"\n');
    expect(unit).toContain('Restart=always\n');
    expect(unit).toContain('WantedBy=default.target\n');
  });

  it('udev rules for hidraw, one vendor per line, for the user at the seat', () => {
    const rules = udevRules().split('\n').filter((l) => l.startsWith('KERNEL'));
    expect(rules).toContain('KERNEL=="hidraw*", ATTRS{idVendor}=="0b0e", MODE="0660", TAG+="uaccess"');
    expect(rules).toContain('KERNEL=="hidraw*", ATTRS{idVendor}=="27bb", ATTRS{idProduct}=="3bca", MODE="0660", TAG+="uaccess"');
    expect(rules).toContain('KERNEL=="hidraw*", ATTRS{idVendor}=="04d8", ATTRS{idProduct}=="f372", MODE="0660", TAG+="uaccess"');
    expect(rules.every((l) => !l.includes('|'))).toBe(true);
  });
});
