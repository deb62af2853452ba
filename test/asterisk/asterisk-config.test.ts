import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/bridge/config/load.js';
import { configProblems } from '../helpers.js';

const office = (asterisk: string) => `
site: t
desks: [{ id: anna, at: [1, 0] }]
lines: [{ id: front, phone: { at: [0, 0] } }]
asterisk:
${asterisk}
`;

describe('asterisk config', () => {
  it('defaults to the AMI port 5038 on this machine', () => {
    const config = parseConfig(office('  username: thirdring\n  secret: s3cret\n  lines: [{ line: front, dialled: ["600"] }]'));
    expect(config.asterisk).toEqual({ host: '127.0.0.1', port: 5038, username: 'thirdring', secret: 's3cret', lines: [{ line: 'front', dialled: ['600'], members: [] }], desks: [] });
  });

  it('names unknown lines and desks, numbers mapped twice, a line with nothing to match, and line breaks in what goes on the wire', () => {
    const problems = configProblems(
      office(`  username: thirdring
  secret: "s3cret\\r\\nAction: Originate"
  lines:
    - { line: front, dialled: ["600"] }
    - { line: back, dialled: ["600"] }
    - { line: front }
  desks:
    - { extension: "201", desk: anna }
    - { extension: "201", desk: zoe }`),
    );
    expect(problems.join('\n')).toMatch(/asterisk\.secret: expected one line of text/);
    expect(problems.join('\n')).toMatch(/asterisk\.lines\[2\]: expected dialled: \[numbers\] or members: \[extensions\]/);
    const crossChecks = configProblems(
      office(`  username: thirdring
  secret: s3cret
  lines:
    - { line: front, dialled: ["600"] }
    - { line: back, dialled: ["600"] }
  desks:
    - { extension: "201", desk: anna }
    - { extension: "201", desk: zoe }`),
    );
    expect(crossChecks).toEqual([
      'office.yaml: asterisk.lines[1].line: unknown line "back"',
      'office.yaml: asterisk.lines[1].dialled[0]: "600" already belongs to line "front"',
      'office.yaml: asterisk.desks[1].desk: unknown desk "zoe"',
      'office.yaml: asterisk.desks[1].extension: "201" is already a desk\'s',
    ]);
  });

  it("the README's example is a config thirdring takes", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Asterisk / FreePBX (AMI)'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const config = parseConfig(`
site: t
desks: [{ id: anna, at: [1, 0] }, { id: bram, at: [2, 0] }]
lines: [{ id: front, phone: { at: [0, 0] } }, { id: back, phone: { at: [5, 0] } }]
${example}`);
    expect(config.asterisk).toMatchObject({ host: '192.0.2.10', port: 5038, lines: [{ line: 'front', dialled: ['600', '+31201234567'] }, { line: 'back', members: ['301', '302'] }] });
  });
});
