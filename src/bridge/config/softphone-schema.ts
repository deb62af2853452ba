import { z } from 'zod';

// The softphone parts of the config (README "Softphones (baresip)"): top-level `softphones`, one entry per desk's
// baresip. Cross-references (desk and line ids, one base topic per softphone) are checked by softphoneProblems.

export const MAX_SOFTPHONES = 20_000;
const MAX_ACCOUNTS = 64;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _)');

export const softphoneSchema = z.strictObject({
  desk: id,
  /** baresip's `mqtt_basetopic`: it publishes on /<baseTopic>/event and reads /<baseTopic>/command/+. */
  baseTopic: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a topic level of letters, digits, - and _ (at most 64)'),
  /** The line a call on any of its accounts rings (unless `accounts` names the account). */
  line: id.optional(),
  /** Which line a call on each account rings: the account's AOR as baresip reports it (`accountaor`). */
  accounts: z
    .array(z.strictObject({ aor: z.string().min(1).max(256), line: id }))
    .max(MAX_ACCOUNTS, `expected at most ${MAX_ACCOUNTS} accounts`)
    .default([]),
  /** Embedded broker: this softphone's password (user name softphone-<desk>); required beyond loopback. */
  password: z.string().min(8, 'expected a password of at least 8 characters').optional(),
  /** How often the bridge asks it whether it is still there; silent for 2.5 × this = offline. */
  pingSeconds: z.number().min(0.1).max(600).default(15),
});

export const softphonesSchema = z.array(softphoneSchema).max(MAX_SOFTPHONES, `expected at most ${MAX_SOFTPHONES} softphones`).default([]);

export type SoftphoneConfig = z.infer<typeof softphoneSchema>;

/** The embedded broker account of a desk's softphone. */
export const softphoneUser = (desk: string) => `softphone-${desk}`;

export function softphoneProblems(config: { desks: { id: string }[]; lines: { id: string }[]; softphones: SoftphoneConfig[] }): string[] {
  const problems: string[] = [];
  const desks = new Set(config.desks.map((d) => d.id));
  const lines = new Set(config.lines.map((l) => l.id));
  const topics = new Map<string, number>();
  const phoneDesks = new Set<string>();
  config.softphones.forEach((phone, i) => {
    const at = `softphones[${i}]`;
    if (!desks.has(phone.desk)) problems.push(`${at}.desk: unknown desk "${phone.desk}"`);
    if (phoneDesks.has(phone.desk)) problems.push(`${at}.desk: desk "${phone.desk}" already has a softphone`);
    phoneDesks.add(phone.desk);
    const other = topics.get(phone.baseTopic);
    if (other !== undefined) problems.push(`${at}.baseTopic: "${phone.baseTopic}" is already softphones[${other}]'s`);
    topics.set(phone.baseTopic, i);
    if (phone.line === undefined && phone.accounts.length === 0) problems.push(`${at}: expected line or accounts (which line its calls ring)`);
    if (phone.line !== undefined && !lines.has(phone.line)) problems.push(`${at}.line: unknown line "${phone.line}"`);
    phone.accounts.forEach((account, j) => {
      if (!lines.has(account.line)) problems.push(`${at}.accounts[${j}].line: unknown line "${account.line}"`);
    });
  });
  return problems;
}
