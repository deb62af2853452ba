import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, loadConfigFile, parseConfig, toCoreConfig } from '../src/bridge/config/load.js';
import { configProblems, tempDir } from './helpers.js';

const minimal = `
site: branch-01
desks:
  - { id: d1, at: [2.0, 3.5] }
  - { id: d2, at: [4.0, 3.5] }
lines:
  - { id: front, phone: { at: [5.0, 1.0] } }
`;

const problemsOf = configProblems;

describe('config', () => {
  it('fills in the defaults', () => {
    const config = parseConfig(minimal);
    expect(config.mqtt).toMatchObject({ url: 'embedded', port: 1883, host: '127.0.0.1', wsPort: 8083, readers: [] });
    expect(config.dataDir).toBe(defaultDataDir('branch-01'));
    expect(config.rules).toEqual({
      answerBy: 3,
      tieMetres: 0.5,
      holdCheckSeconds: 120,
      businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:30', holidays: [] },
    });
    expect(config.schedules).toEqual([]);
    expect(config.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(config.lines[0]!.cadence).toBe('auto');
    const core = toCoreConfig(config);
    expect(core.rules.escalation.map((s) => s.atRing)).toEqual([2, 3]);
    expect(core.lines[0]!.cadence).toBe('auto');
  });

  it('resolves country cadences (any case) and phone.desks positions', () => {
    const core = toCoreConfig(parseConfig(`${minimal}
  - { id: back, phone: { desks: [d2, d1] }, cadence: GB }
  - { id: side, phone: { at: [0, 0] }, cadence: nl }
  - { id: own, phone: { at: [0, 0] }, cadence: [800, 200, 800, 3000] }
`));
    expect(core.lines.map((l) => [l.id, l.cadence])).toEqual([
      ['front', 'auto'],
      ['back', [400, 200, 400, 2000]],
      ['side', [1000, 4000]],
      ['own', [800, 200, 800, 3000]],
    ]);
    expect(core.lines[1]!.phones).toEqual([[4, 3.5], [2, 3.5]]);
  });

  it('names the path of a bad position', () => {
    expect(problemsOf(minimal.replace('{ id: front, phone: { at: [5.0, 1.0] } }', '{ id: front, phone: { at: [5.0] } }')))
      .toEqual(['office.yaml: lines[0].phone.at: expected [x, y]']);
  });

  it('reports a missing desk position', () => {
    expect(problemsOf(minimal.replace('{ id: d2, at: [4.0, 3.5] }', '{ id: d2 }'))).toEqual(['office.yaml: desks[1].at: expected [x, y]']);
  });

  it('wants exactly one of phone.at and phone.desks', () => {
    expect(problemsOf(minimal.replace('phone: { at: [5.0, 1.0] }', 'phone: {}'))).toEqual([
      'office.yaml: lines[0].phone: expected { at: [x, y] } or { desks: [desk ids] }',
    ]);
  });

  it('reports an unknown desk in phone.desks', () => {
    expect(problemsOf(`${minimal}  - { id: back, phone: { desks: [d1, d9] } }\n`))
      .toEqual(['office.yaml: lines[1].phone.desks[1]: unknown desk "d9"']);
  });

  it('takes desks[].coverFor: another known desk', () => {
    const config = parseConfig(minimal.replace('{ id: d2, at: [4.0, 3.5] }', '{ id: d2, at: [4.0, 3.5], coverFor: d1 }'));
    expect(config.desks.map((d) => d.coverFor)).toEqual([undefined, 'd1']);
    expect(problemsOf(minimal.replace('{ id: d1, at: [2.0, 3.5] }', '{ id: d1, at: [2.0, 3.5], coverFor: d9 }').replace('{ id: d2, at: [4.0, 3.5] }', '{ id: d2, at: [4.0, 3.5], coverFor: d2 }')))
      .toEqual([
        'office.yaml: desks[0].coverFor: unknown desk "d9"',
        'office.yaml: desks[1].coverFor: a desk cannot take over its own calls',
      ]);
  });

  it('reports duplicate ids', () => {
    expect(problemsOf(`${minimal}  - { id: front, phone: { at: [1, 1] } }\n`.replace('id: d2', 'id: d1'))).toEqual([
      'office.yaml: desks[1].id: duplicate desk id "d1"',
      'office.yaml: lines[1].id: duplicate line id "front"',
    ]);
  });

  it.each([
    ['[]', 'office.yaml: lines[0].cadence: expected [on, off, ...]: pairs of burst and silence durations'],
    ['[1000, -4000]', 'office.yaml: lines[0].cadence[1]: expected a duration > 0 ms'],
    ['[1000]', 'office.yaml: lines[0].cadence: expected [on, off, ...]: pairs of burst and silence durations'],
    ['[1000, 4000, 500]', 'office.yaml: lines[0].cadence: expected [on, off, ...]: pairs of burst and silence durations'],
  ])('rejects cadence %s', (cadence, message) => {
    expect(problemsOf(minimal.replace('phone: { at: [5.0, 1.0] } }', `phone: { at: [5.0, 1.0] }, cadence: ${cadence} }`))).toEqual([message]);
  });

  it('rejects an unknown country with the list of known ones', () => {
    const [problem] = problemsOf(minimal.replace('phone: { at: [5.0, 1.0] } }', 'phone: { at: [5.0, 1.0] }, cadence: xx }'));
    expect(problem).toMatch(/^office\.yaml: lines\[0\]\.cadence: unknown cadence "xx": use auto, a country code \(AT, AU, BE, .*US, ZA\)/);
  });

  it('rejects unknown keys (typos), bad site names and out-of-order escalation steps', () => {
    expect(problemsOf(minimal.replace('site: branch-01', 'site: Branch 01\nrulez: {}'))).toEqual([
      'office.yaml: site: expected [a-z0-9-]+ (it is used in MQTT topics)',
      'office.yaml: (top level): Unrecognized key: "rulez"',
    ]);
    expect(problemsOf(`${minimal}rules:\n  escalation: [{ atRing: 3 }, { atRing: 2 }]\n`)).toEqual([
      'office.yaml: rules.escalation[1].atRing: expected a ring after 3 (steps in order)',
    ]);
  });

  it('requires credentials when the embedded broker listens beyond loopback', () => {
    expect(problemsOf(`${minimal}mqtt: { host: 0.0.0.0 }\n`)).toEqual([
      'office.yaml: mqtt.username: required when the embedded broker listens beyond loopback (host 0.0.0.0); there are no default credentials',
      'office.yaml: mqtt.password: required when the embedded broker listens beyond loopback (host 0.0.0.0); there are no default credentials',
    ]);
    expect(parseConfig(`${minimal}mqtt: { host: 0.0.0.0, username: admin, password: long-enough-secret }\n`).mqtt.host).toBe('0.0.0.0');
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(problemsOf('site: x\ndesks: [\n')[0]).toMatch(/^office\.yaml:3:1: not valid YAML: /);
  });

  it('reports a file that cannot be read', () => {
    expect(() => loadConfigFile('/nonexistent/thirdring.yaml')).toThrow('/nonexistent/thirdring.yaml: cannot read config (ENOENT)');
  });

  it('loads the shipped example', () => {
    const dir = tempDir('thirdring-');
    writeFileSync(join(dir, 'c.yaml'), minimal);
    expect(loadConfigFile(join(dir, 'c.yaml')).site).toBe('branch-01');
    expect(loadConfigFile('examples/branch.yaml').lines.map((l) => l.id)).toEqual(['front', 'back']);
  });
});
