import { timingSafeEqual } from 'node:crypto';
import { deskUnitUser } from './topics.js';

/** Who may connect to the embedded broker, and what each account may do. */
export type Account = { role: 'admin' } | { role: 'reader' } | { role: 'desk-unit'; desk: string };

export interface AccessPolicy {
  /** Without credentials configured (loopback only) everyone is admin. */
  open: boolean;
  accounts: Map<string, { password: string; account: Account }>;
  base: string;
}

export function accessPolicy(options: {
  site: string;
  admin?: { username: string; password: string };
  readers: { username: string; password: string }[];
  deskUnits: { desk: string; password: string }[];
}): AccessPolicy {
  const accounts = new Map<string, { password: string; account: Account }>();
  if (options.admin) accounts.set(options.admin.username, { password: options.admin.password, account: { role: 'admin' } });
  for (const r of options.readers) accounts.set(r.username, { password: r.password, account: { role: 'reader' } });
  for (const d of options.deskUnits) accounts.set(deskUnitUser(d.desk), { password: d.password, account: { role: 'desk-unit', desk: d.desk } });
  return { open: !options.admin, accounts, base: `thirdring/${options.site}` };
}

export function authenticate(policy: AccessPolicy, username: string | undefined, password: Buffer | undefined): Account | null {
  if (policy.open) return { role: 'admin' };
  const entry = username === undefined ? undefined : policy.accounts.get(username);
  if (!entry || !password) return null;
  const expected = Buffer.from(entry.password);
  return expected.length === password.length && timingSafeEqual(expected, password) ? entry.account : null;
}

/** A desk unit may publish only under its own `desk/<id>/`; readers publish nothing. */
export function mayPublish(policy: AccessPolicy, account: Account, topic: string): boolean {
  if (topic.startsWith('$SYS/')) return false;
  if (account.role === 'admin') return true;
  if (account.role === 'reader') return false;
  return topic.startsWith(`${policy.base}/desk/${account.desk}/`);
}

/** A desk unit may subscribe only to its own commands and its own desk state; readers to anything of the site. */
export function maySubscribe(policy: AccessPolicy, account: Account, topic: string): boolean {
  if (account.role === 'admin') return true;
  if (account.role === 'reader') return !topic.startsWith('$SYS') && (topic === '#' || topic.startsWith('thirdring/') || topic.startsWith('+/'));
  return topic === `${policy.base}/desk/${account.desk}/set` || topic === `${policy.base}/desk/${account.desk}`;
}
