import type { Bridge, Feature } from '../bridge.js';
import type { AsteriskConfig } from '../config/asterisk-schema.js';
import { AsteriskPbx } from '../../devices/asterisk/asterisk-pbx.js';
import { WholeRing } from '../../devices/whole-ring.js';

/** Connection timings a test may shorten. */
export interface AsteriskTimings {
  pingMs?: number;
  loginTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

/**
 * The config's Asterisk / FreePBX PBX (`asterisk:`): its calls to a shared line ring that line with the line's
 * cadence (whole-ring bursts, since the PBX says only "ringing"), an answer at a desk's extension is that desk off
 * hook, the hangup on hook.
 */
export class AsteriskFeature implements Feature {
  readonly name = 'asterisk';
  pbx: AsteriskPbx | null = null;
  private ring: WholeRing | null = null;

  constructor(
    private readonly bridge: Bridge,
    private readonly timings: AsteriskTimings = {},
  ) {}

  start(): void {
    const config = this.bridge.config.asterisk;
    if (!config) return;
    const cadences = new Map(this.bridge.coreConfig.lines.map((line) => [line.id, line.cadence]));
    const ring = new WholeRing({
      cadence: (line) => cadences.get(line) ?? 'auto',
      emit: (burst, at) => this.bridge.input(burst, at),
      clock: this.bridge.clock,
    });
    const pbx = new AsteriskPbx({ ...this.timings, ...connection(config), calls: callMap(config), now: () => this.bridge.clock.now(), settings: 'asterisk.username / asterisk.secret' });
    pbx.on('ringing', (line, call, ringing) => ring.set(line, call, ringing));
    pbx.on('input', (input, at) => this.bridge.input(input, at));
    pbx.on('device', (event) => this.bridge.reportDevice(event));
    pbx.start();
    this.ring = ring;
    this.pbx = pbx;
  }

  stop(): void {
    this.pbx?.stop();
    this.ring?.stopAll();
    this.pbx = this.ring = null;
  }
}

function connection({ host, port, username, secret }: AsteriskConfig) {
  return { host, port, username, secret };
}

function callMap(config: AsteriskConfig) {
  const dialled = new Map<string, string>();
  const members = new Map<string, string>();
  for (const entry of config.lines) {
    for (const number of entry.dialled) dialled.set(number, entry.line);
    for (const number of entry.members) members.set(number, entry.line);
  }
  return { dialled, members, desks: new Map(config.desks.map(({ extension, desk }) => [extension, desk])) };
}
