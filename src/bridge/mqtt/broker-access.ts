import { randomBytes, timingSafeEqual } from 'node:crypto';
import { deskUnitUser, isCommandInput, levelsBelow } from './topics.js';

/**
 * Who may connect to the embedded broker, and what each account may do (README "Security of the embedded
 * broker"). `bridge` is the bridge's own clients (its MQTT client, the embedded recorder), with a password made
 * at each start that never leaves the process.
 */
export type Account =
  | { role: 'bridge'; username: string }
  | { role: 'admin'; username: string }
  | { role: 'reader'; username: string }
  | { role: 'desk-unit'; username: string; desk: string }
  /** A desk's baresip (README "Softphones (baresip)"): its own /<baseTopic>/… topics and nothing else. */
  | { role: 'softphone'; username: string; baseTopic: string };

export interface AccessPolicy {
  /** Without credentials configured (loopback only) everyone but the bridge's own accounts is admin. */
  open: boolean;
  accounts: Map<string, { password: Buffer; account: Account }>;
  base: string;
  /** The login of the bridge's own clients. */
  bridgeLogin: { username: string; password: string };
}

/** The bridge's own user name; configs may not use the `thirdring-` prefix (config/load.ts). */
export const BRIDGE_USER = 'thirdring-bridge';
/** Client ids starting with this are the bridge's own (its client, the embedded recorder): only its account may use them. */
export const BRIDGE_CLIENT_ID_PREFIX = 'thirdring-bridge-';

export function accessPolicy(options: {
  site: string;
  admin?: { username: string; password: string };
  readers: { username: string; password: string }[];
  deskUnits: { desk: string; password: string }[];
  softphones?: { username: string; baseTopic: string; password: string }[];
}): AccessPolicy {
  const accounts = new Map<string, { password: Buffer; account: Account }>();
  const add = (password: string, account: Account) => accounts.set(account.username, { password: Buffer.from(password), account });
  if (options.admin) add(options.admin.password, { role: 'admin', username: options.admin.username });
  for (const r of options.readers) add(r.password, { role: 'reader', username: r.username });
  for (const d of options.deskUnits) add(d.password, { role: 'desk-unit', username: deskUnitUser(d.desk), desk: d.desk });
  for (const p of options.softphones ?? []) add(p.password, { role: 'softphone', username: p.username, baseTopic: p.baseTopic });
  const bridgeLogin = { username: BRIDGE_USER, password: randomBytes(24).toString('base64url') };
  add(bridgeLogin.password, { role: 'bridge', username: BRIDGE_USER });
  return { open: !options.admin, accounts, base: `thirdring/${options.site}`, bridgeLogin };
}

/** The account for these credentials, or why not (MQTT 3.1.1 CONNACK return codes 2 and 4). */
export function authenticate(policy: AccessPolicy, clientId: string, username: string | undefined, password: Buffer | undefined): Account | { refused: 2 | 4 } {
  const entry = username === undefined ? undefined : policy.accounts.get(username);
  let account: Account | null = null;
  if (entry && password && entry.password.length === password.length && timingSafeEqual(entry.password, password)) account = entry.account;
  // Open (loopback, no accounts): anyone is admin, but nobody passes for the bridge without its password.
  else if (policy.open && username !== BRIDGE_USER) account = { role: 'admin', username: username ?? '' };
  if (!account) return { refused: 4 };
  if (clientId.startsWith(BRIDGE_CLIENT_ID_PREFIX) !== (account.role === 'bridge')) return { refused: 2 };
  return account;
}

/**
 * The bridge's own output (its state, line and desk state, desk commands, responses and the ring log) is
 * published by the bridge alone: nobody else can forge a log entry or a desk command.
 */
export function isBridgeOutput(policy: AccessPolicy, topic: string): boolean {
  const rest = levelsBelow(policy.base, topic);
  if (!rest) return false;
  switch (rest[0]) {
    case 'log':
    case 'line':
      return true;
    case 'bridge':
      return rest[1] !== 'request';
    case 'desk':
      return rest.length <= 2 || (rest.length === 3 && rest[2] === 'set');
    default:
      return false;
  }
}

/** A publish to one of the bridge's "do this now" inputs (see isCommandInput). */
export function isCommandInputTopic(policy: AccessPolicy, topic: string): boolean {
  const levels = levelsBelow(policy.base, topic);
  return levels !== null && isCommandInput(levels);
}

/** A desk unit may publish only its own actions and availability; readers publish nothing. */
export function mayPublish(policy: AccessPolicy, account: Account, topic: string): boolean {
  if (topic.startsWith('$SYS/')) return false;
  if (account.role === 'bridge') return true;
  if (isBridgeOutput(policy, topic)) return false;
  if (account.role === 'admin') return true;
  if (account.role === 'reader') return false;
  // baresip publishes events and command answers (modules/mqtt: mqtt.c, subscribe.c).
  if (account.role === 'softphone') return topic === `/${account.baseTopic}/event` || topic.startsWith(`/${account.baseTopic}/command_resp/`);
  const own = `${policy.base}/desk/${account.desk}/`;
  return topic === `${own}action` || topic === `${own}availability`;
}

/** A desk unit may subscribe only to its own commands, its own desk state and bridge/state; readers to anything of the site. */
export function maySubscribe(policy: AccessPolicy, account: Account, topic: string): boolean {
  if (account.role === 'admin' || account.role === 'bridge') return true;
  if (account.role === 'reader') return !topic.startsWith('$SYS') && (topic === '#' || topic.startsWith('thirdring/') || topic.startsWith('+/'));
  // The one subscription baresip 1.0 makes (modules/mqtt/mqtt.c: "/%s/command/+").
  if (account.role === 'softphone') return topic === `/${account.baseTopic}/command/+`;
  // bridge/state: whether anybody is deciding, so a desk shows "no bridge" instead of a stale command.
  return topic === `${policy.base}/desk/${account.desk}/set` || topic === `${policy.base}/desk/${account.desk}` || topic === `${policy.base}/bridge/state`;
}

/** The largest MQTT packet each kind of client may send, in bytes; the bridge's own status answers can be large. */
export const MAX_PACKET_BYTES = {
  /** Until CONNECT is accepted: a CONNECT with credentials and a last will. */
  unauthenticated: 16 * 1024,
  'desk-unit': 16 * 1024,
  softphone: 16 * 1024,
  reader: 16 * 1024,
  admin: 1024 * 1024,
  bridge: 256 * 1024 * 1024,
} as const;
