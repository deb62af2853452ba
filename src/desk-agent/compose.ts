// The desk agent's composition root: from desk.yaml to a running agent (MQTT link, headset, light, presence).
import type { DeviceEvent } from '../common/device-events.js';
import { openBusylight, type Busylight } from '../devices/busylight/index.js';
import type { HidBackend } from '../devices/hid-headset/types.js';
import { DeskAgent, type DeskIndicator } from './agent.js';
import type { DeskConfig } from './config.js';
import { DeskHeadset } from './desk-headset.js';
import { DeskLink } from './desk-link.js';
import { LogindSource } from './logind.js';
import { PresenceWatcher, type PresenceSource } from './presence.js';

export interface ComposeDeskOptions {
  password: string | undefined;
  /** node-hid in production; made only when a headset or light is configured. */
  hidBackend: () => HidBackend;
  /** Default: logind when the config says so. */
  presenceSource?: PresenceSource | null;
  log: (line: string) => void;
  now?: () => number;
  clientId?: string;
  /** How often USB devices are looked for (default 2 s). */
  hidPollMs?: number;
}

export interface ComposedDesk {
  agent: DeskAgent;
  link: DeskLink;
  headset: DeskHeadset | null;
  light: Busylight | null;
  presence: PresenceWatcher | null;
  start(): void;
  stop(): Promise<void>;
}

export function composeDeskAgent(config: DeskConfig, options: ComposeDeskOptions): ComposedDesk {
  const now = options.now ?? Date.now;
  const { log } = options;
  const link = new DeskLink(config, options.password, options.clientId);
  const indicators: DeskIndicator[] = [];
  const agent = new DeskAgent({ desk: config.desk, link, indicators, log, now });
  const onDevice = (event: DeviceEvent) => log(describeDeviceEvent(event));

  let backend: HidBackend | null = null;
  const hid = () => (backend ??= options.hidBackend());
  const headset =
    config.headset === false
      ? null
      : new DeskHeadset({
          backend: hid(),
          desk: config.desk,
          match: config.headset,
          now,
          onHook: (state) => agent.hook(state),
          onHold: (state) => agent.hold(state),
          onDevice,
          ...(options.hidPollMs !== undefined ? { pollMs: options.hidPollMs } : {}),
        });
  if (headset) indicators.push(headset);
  const light = config.busylight === false ? null : busylight(config.busylight, hid, now, options.hidPollMs, log);
  if (light) {
    indicators.push(light);
    light.on('device', onDevice);
    light.on('button', (press) => {
      if (press.state === 'down' && config.presence.button) agent.togglePresence("the light's button");
    });
  }

  const source = options.presenceSource !== undefined ? options.presenceSource : config.presence.source === 'logind' ? new LogindSource(config.presence.session) : null;
  const p = config.presence;
  const presence = source
    ? new PresenceWatcher({
        source,
        rules: { idleMs: p.idleMinutes * 60_000, holdOffMs: p.holdOffSeconds * 1000 },
        pollMs: p.pollSeconds * 1000,
        now,
        onChange: (state) => agent.setPresence(state, state === 'away' ? 'session locked or idle' : 'input at the PC'),
        onError: (error) => agent.reportFault('presence', error.message),
      })
    : null;

  return {
    agent,
    link,
    headset,
    light,
    presence,
    start() {
      agent.start();
      // Without a PC source the agent running is the person's PC being on: present until told otherwise.
      if (!presence) agent.setPresence('present', 'agent started');
      link.start();
      headset?.start();
      presence?.start();
    },
    async stop() {
      presence?.stop();
      agent.stop();
      await link.stop();
    },
  };
}

/** The configured light, or null (logged) when the driver cannot open one: the agent runs on without it. */
function busylight(
  choice: { model?: string; serial?: string; path?: string },
  backend: () => HidBackend,
  now: () => number,
  pollMs: number | undefined,
  log: (line: string) => void,
): Busylight | null {
  try {
    return openBusylight({ backend: backend(), ...choice, now, ...(pollMs !== undefined ? { pollMs } : {}), name: 'busylight' });
  } catch (error) {
    log(`busylight: not used: ${(error as Error).message}`);
    return null;
  }
}

function describeDeviceEvent(event: DeviceEvent): string {
  if (event.type === 'fault') return `${event.device}: ${event.reason}: ${event.detail} (${event.count} so far)`;
  return event.state === 'online' ? `${event.device} online${event.detail ? `: ${event.detail}` : ''}` : `${event.device} offline: ${event.reason}`;
}
