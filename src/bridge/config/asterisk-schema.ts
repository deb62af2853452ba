import { z } from 'zod';

// The `asterisk:` part of the config (README "Asterisk / FreePBX (AMI)"): where the PBX's AMI is, which calls
// are a shared line's, and which extension is whose desk. Cross-references are checked in asteriskProblems.

/** Sent on the AMI wire as `Key: value` lines: a line break in one would forge another field. */
const amiValue = z.string().min(1).regex(/^[^\r\n]*$/, 'expected one line of text');
const extension = z.string().min(1).max(80).regex(/^[^\r\n]*$/, 'expected an extension like "201"');
const extensions = z.array(extension).max(1_000);

const asteriskLine = z
  .strictObject({
    line: z.string(),
    /** The number callers dial: the ring group, queue or DID (the calling channel's Exten when the Dial starts). */
    dialled: extensions.default([]),
    /** Or: the extensions the PBX rings for this line (a call dialling one of them rings the line). */
    members: extensions.default([]),
  })
  .refine((l) => l.dialled.length + l.members.length > 0, 'expected dialled: [numbers] or members: [extensions]');

export const asteriskSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** "By default, AMI is available on TCP port 5038" (The Asterisk Manager TCP IP API). */
  port: z.int().min(1).max(65535).default(5038),
  username: amiValue,
  secret: amiValue,
  lines: z.array(asteriskLine).min(1, 'expected at least one line').max(2_000),
  /** Which desk's phone each extension is: answering there is that desk picking up. */
  desks: z.array(z.strictObject({ extension, desk: z.string() })).max(20_000).default([]),
});

export type AsteriskConfig = z.infer<typeof asteriskSchema>;

/** Lines and desks the asterisk section names that the config does not have, and numbers mapped twice. */
export function asteriskProblems(asterisk: AsteriskConfig | undefined, lineIds: ReadonlySet<string>, deskIds: ReadonlySet<string>): string[] {
  if (!asterisk) return [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  asterisk.lines.forEach((entry, i) => {
    if (!lineIds.has(entry.line)) problems.push(`asterisk.lines[${i}].line: unknown line "${entry.line}"`);
    for (const key of ['dialled', 'members'] as const) {
      entry[key].forEach((number, j) => {
        const other = seen.get(`${key} ${number}`);
        if (other !== undefined) problems.push(`asterisk.lines[${i}].${key}[${j}]: "${number}" already belongs to line "${other}"`);
        seen.set(`${key} ${number}`, entry.line);
      });
    }
  });
  const desks = new Set<string>();
  asterisk.desks.forEach(({ extension, desk }, i) => {
    if (!deskIds.has(desk)) problems.push(`asterisk.desks[${i}].desk: unknown desk "${desk}"`);
    if (desks.has(extension)) problems.push(`asterisk.desks[${i}].extension: "${extension}" is already a desk's`);
    desks.add(extension);
  });
  return problems;
}
