import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig, RESERVED_USER_PREFIX } from '../src/bridge/config/load.js';
import { LIMITS } from '../src/bridge/config/schema.js';
import { accessPolicy, BRIDGE_USER } from '../src/bridge/mqtt/broker-access.js';
import type { CoreEvent } from '../src/core/index.js';
import { runThirdring as thirdring } from './thirdring-process.js';
import { byTime, configProblems, coreConfig, ofType, ringBursts, run, tempDir } from './helpers.js';

// Configs written to break the loader: colliding broker accounts, alias bombs, huge files and absurd geometry.

const dir = tempDir('thirdring-hostile-');
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const minimal = `
site: branch-01
desks:
  - { id: anna, at: [2.0, 3.5], unit: { password: anna-unit-secret } }
  - { id: bram, at: [4.0, 3.5] }
lines:
  - { id: front, phone: { at: [5.0, 1.0] } }
`;

const problemsOf = configProblems;

const withMqtt = (mqtt: string) => `${minimal}mqtt: ${mqtt}\n`;

describe('embedded broker accounts', () => {
  it('rejects a reader with the admin user name, a desk unit user name or another reader\'s name', () => {
    expect(problemsOf(withMqtt(`
  host: 0.0.0.0
  username: admin
  password: admin-secret-1
  readers:
    - { username: admin, password: reader-secret-0 }
    - { username: desk-anna, password: reader-secret-1 }
    - { username: facilities, password: reader-secret-2 }
    - { username: facilities, password: reader-secret-3 }`))).toEqual([
      'office.yaml: mqtt.readers[0].username: "admin" is already the admin account (mqtt.username)',
      'office.yaml: mqtt.readers[1].username: "desk-anna" is already the desk unit account of desk anna',
      'office.yaml: mqtt.readers[3].username: "facilities" is already the reader account mqtt.readers[2]',
    ]);
  });

  it('rejects an admin user name that is a desk unit account', () => {
    expect(problemsOf(withMqtt('{ host: 0.0.0.0, username: desk-anna, password: admin-secret-1 }'))).toEqual([
      'office.yaml: mqtt.username: "desk-anna" is already the desk unit account of desk anna',
    ]);
  });

  it('reserves user names starting with thirdring- for the bridge', () => {
    expect(problemsOf(withMqtt('{ host: 0.0.0.0, username: thirdring-admin, password: admin-secret-1, readers: [{ username: thirdring-reader, password: reader-secret-1 }] }'))).toEqual([
      'office.yaml: mqtt.username: "thirdring-admin" starts with "thirdring-", which is reserved for the bridge\'s own accounts; choose another user name',
      'office.yaml: mqtt.readers[0].username: "thirdring-reader" starts with "thirdring-", which is reserved for the bridge\'s own accounts; choose another user name',
    ]);
  });

  it('accepts distinct names, and desk-<id> where that desk has no unit; each becomes its own account', () => {
    const config = parseConfig(withMqtt('{ host: 0.0.0.0, username: admin, password: admin-secret-1, readers: [{ username: desk-bram, password: reader-secret-1 }, { username: facilities, password: reader-secret-2 }] }'));
    const policy = accessPolicy({
      site: config.site,
      admin: { username: config.mqtt.username!, password: config.mqtt.password! },
      readers: config.mqtt.readers,
      deskUnits: config.desks.flatMap((d) => (d.unit ? [{ desk: d.id, password: d.unit.password }] : [])),
    });
    const roles = Object.fromEntries([...policy.accounts].map(([name, { account }]) => [name, account.role]));
    expect(roles).toEqual({ admin: 'admin', 'desk-bram': 'reader', facilities: 'reader', 'desk-anna': 'desk-unit', [BRIDGE_USER]: 'bridge' });
  });

  it('reserves the prefix of the bridge\'s own account', () => {
    expect(BRIDGE_USER.startsWith(RESERVED_USER_PREFIX)).toBe(true);
  });

  it('leaves the user name on an external broker alone (the bridge makes no accounts there)', () => {
    expect(parseConfig(withMqtt('{ url: "mqtts://broker.example:8883", username: thirdring-bridge, password: secret }')).mqtt.username).toBe('thirdring-bridge');
  });
});

/** Ten anchors, each a list of ten uses of the one before: 10^9 "lol"s if expanded. */
const billionLaughs = [
  'site: x',
  'a0: &a0 ["lol"]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  'desks: *a9',
  '',
].join('\n');

describe('YAML aliases', () => {
  it('refuses a billion-laughs file with one line', () => {
    expect(problemsOf(billionLaughs)).toEqual([
      `office.yaml: too many YAML aliases: an anchor may be used at most ${LIMITS.aliases} times, counting the aliases inside it`,
    ]);
  });

  it('still takes ordinary anchors and aliases', () => {
    const config = parseConfig(`${minimal}schedules:
  - { name: early, desks: [anna], away: ["12:00", "12:30"], days: &weekdays [mon, tue, wed] }
  - { name: late, desks: [bram], away: ["12:30", "13:00"], days: *weekdays }
`);
    expect(config.schedules.map((s) => s.days)).toEqual([['mon', 'tue', 'wed'], ['mon', 'tue', 'wed']]);
  });

  it('reports an alias without its anchor as YAML, not a crash', () => {
    expect(problemsOf(`${minimal}rules: *nowhere\n`)).toEqual([
      'office.yaml: not valid YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ]);
  });

  it('thirdring check exits 2 with one line on stderr and no stack trace', () => {
    const path = file('laughs.yaml', billionLaughs);
    const { status, stdout, stderr } = thirdring(['check', path]);
    expect(stdout).toBe('');
    expect(stderr).toBe(`thirdring check: ${path}: too many YAML aliases: an anchor may be used at most ${LIMITS.aliases} times, counting the aliases inside it\n`);
    expect(stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
    expect(status).toBe(2);
  });

  it('reports nesting too deep for the parser as YAML', () => {
    const [problem, ...more] = problemsOf(`site: x\ndesks: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(problem).toMatch(/^office\.yaml:2:\d+: not valid YAML: nested too deeply$/);
    expect(more).toEqual([]);
  });
});

const tokensIn = (text: string) => {
  let n = 0;
  for (const _ of new Lexer().lex(text)) n++;
  return n;
};

/** The biggest office the limits allow, written out in full: every desk named with a unit, every line with a sensor. */
function officeAtTheLimits(): string {
  const side = Math.ceil(Math.sqrt(LIMITS.desks));
  const desk = (i: number) => `desk-${String(i).padStart(5, '0')}`;
  const desks = Array.from({ length: LIMITS.desks }, (_, i) => {
    const x = ((i % side) * 1.8 + 0.13).toFixed(2), y = (Math.floor(i / side) * 1.8 + 0.07).toFixed(2);
    return `  - { id: ${desk(i)}, at: [${x}, ${y}], name: "Firstname Lastname-${i}", unit: { password: unit-secret-${i}-xyzw } }\n`;
  });
  const lines = Array.from({ length: LIMITS.lines }, (_, i) => {
    const phone = i % 3 === 0 ? `{ desks: [${desk(i * 7)}, ${desk(i * 7 + 1)}] }` : `{ at: [${(i % 250) * 1.1}, ${Math.floor(i / 250) * 30}] }`;
    return `  - { id: line-${i}, name: "Extension ${2000 + i}", phone: ${phone}, cadence: nl, sensor: { serial: /dev/serial/by-id/usb-Arduino_Leonardo-${Math.floor(i / 16)}-if00, channel: ${(i % 16) + 1} } }\n`;
  });
  return `site: headquarters\nmqtt: { host: 0.0.0.0, username: admin, password: admin-secret-1 }\ndesks:\n${desks.join('')}lines:\n${lines.join('')}`;
}

describe('size limits', () => {
  it('loads the biggest office the array limits allow, well inside the byte and token limits', () => {
    const text = officeAtTheLimits();
    expect(text.length).toBeLessThan(LIMITS.bytes / 2);
    expect(tokensIn(text)).toBeLessThan(LIMITS.yamlTokens * 0.75);
    const config = loadConfigFile(file('biggest.yaml', text));
    expect([config.desks.length, config.lines.length]).toEqual([LIMITS.desks, LIMITS.lines]);
  });

  it('refuses a file over the byte limit without parsing it', () => {
    const path = file('huge.yaml', `site: x\n#${'x'.repeat(LIMITS.bytes)}\n`);
    expect(() => loadConfigFile(path)).toThrow(new ConfigError(`${path}: config is ${LIMITS.bytes + 10} bytes; thirdring reads at most ${LIMITS.bytes} bytes (8 MiB)`));
  });

  it.runIf(existsSync('/dev/zero'))('stops reading an endless file at the limit', () => {
    expect(() => loadConfigFile('/dev/zero')).toThrow(new ConfigError(`/dev/zero: config is larger than that; thirdring reads at most ${LIMITS.bytes} bytes (8 MiB)`));
  });

  it('refuses a small file with too many YAML tokens before parsing it', () => {
    const text = `site: x\ndesks: [${'0,'.repeat(LIMITS.yamlTokens / 2)}]\n`;
    expect(text.length).toBeLessThan(LIMITS.bytes / 2);
    expect(problemsOf(text)).toEqual([`office.yaml: config is too large: more than ${LIMITS.yamlTokens} YAML tokens (a 10,000-desk office has about 700,000)`]);
  });

  it('finds a duplicate key in a map of 200,000 keys in linear time', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `  k${i}: 1\n`).join('');
    const started = Date.now();
    expect(problemsOf(`site: x\nextra:\n${keys}  k7: 2\n`)).toEqual(['office.yaml:200003:3: not valid YAML: Map keys must be unique']);
    // The yaml package's own uniqueKeys check compares every pair: minutes for this map.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  const flowList = (count: number, item: string) => `[${Array(count).fill(item).join(', ')}]`;
  const oneDesk = '[{ id: anna, at: [0, 0] }]';
  const oneLine = '[{ id: front, phone: { at: [0, 0] } }]';
  it.each([
    ['desks', `site: x\ndesks: ${flowList(LIMITS.desks + 1, '{}')}\nlines: ${oneLine}\n`, `desks: expected at most ${LIMITS.desks} desks, found ${LIMITS.desks + 1}`],
    ['lines', `site: x\ndesks: ${oneDesk}\nlines: ${flowList(LIMITS.lines + 1, '{}')}\n`, `lines: expected at most ${LIMITS.lines} lines, found ${LIMITS.lines + 1}`],
    ['phone.desks', `site: x\ndesks: ${oneDesk}\nlines: [{ id: front, phone: { desks: ${flowList(LIMITS.desksPerList + 1, 'anna')} } }]\n`,
      `lines[0].phone.desks: expected at most ${LIMITS.desksPerList} desks, found ${LIMITS.desksPerList + 1}`],
    ['cadence', `site: x\ndesks: ${oneDesk}\nlines: [{ id: front, phone: { at: [0, 0] }, cadence: ${flowList(LIMITS.cadenceEntries + 2, '500')} }]\n`,
      `lines[0].cadence: expected at most ${LIMITS.cadenceEntries} durations, found ${LIMITS.cadenceEntries + 2}`],
    ['readers', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nmqtt: { readers: ${flowList(LIMITS.readers + 1, '{}')} }\n`,
      `mqtt.readers: expected at most ${LIMITS.readers} readers, found ${LIMITS.readers + 1}`],
    ['boards', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nboards: ${flowList(LIMITS.boards + 1, '{}')}\n`, `boards: expected at most ${LIMITS.boards} boards, found ${LIMITS.boards + 1}`],
    ['schedules', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nschedules: ${flowList(LIMITS.schedules + 1, '{}')}\n`,
      `schedules: expected at most ${LIMITS.schedules} schedules, found ${LIMITS.schedules + 1}`],
    ['schedule desks', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nschedules: [{ name: lunch, away: ["12:00", "13:00"], desks: ${flowList(LIMITS.desksPerList + 1, 'anna')} }]\n`,
      `schedules[0].desks: expected at most ${LIMITS.desksPerList} desks, found ${LIMITS.desksPerList + 1}`],
    ['schedule days', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nschedules: [{ name: lunch, away: ["12:00", "13:00"], desks: [anna], days: ${flowList(8, 'mon')} }]\n`,
      'schedules[0].days: expected at most 7 days, found 8'],
    ['escalation steps', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nrules: { escalation: ${flowList(LIMITS.escalationSteps + 1, '{}')} }\n`,
      `rules.escalation: expected at most ${LIMITS.escalationSteps} escalation steps, found ${LIMITS.escalationSteps + 1}`],
    ['holidays', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nrules: { businessHours: { holidays: ${flowList(LIMITS.holidays + 1, '2026-12-25')} } }\n`,
      `rules.businessHours.holidays: expected at most ${LIMITS.holidays} holidays, found ${LIMITS.holidays + 1}`],
    ['designated desks', `site: x\ndesks: ${oneDesk}\nlines: ${oneLine}\nrules: { designated: { desks: ${flowList(LIMITS.desksPerList + 1, 'anna')} } }\n`,
      `rules.designated.desks: expected at most ${LIMITS.desksPerList} desks, found ${LIMITS.desksPerList + 1}`],
  ])('refuses too many %s by the count alone (the invalid items are not reported)', (_what, yaml, problem) => {
    expect(problemsOf(yaml)).toEqual([`office.yaml: ${problem}`]);
  });

  it('shows the first 50 problems and counts the rest', () => {
    const problems = problemsOf(`site: x\ndesks: ${flowList(60, '{ id: anna }')}\nlines: ${oneLine}\n`);
    expect(problems).toHaveLength(51);
    expect(problems[49]).toBe('office.yaml: desks[49].at: expected [x, y]');
    expect(problems[50]).toBe('office.yaml: … and 10 more problems');
  });
});

describe('geometry', () => {
  const max = LIMITS.metres;

  it.each([
    ['a desk at 1e308', minimal.replace('at: [2.0, 3.5]', 'at: [1e308, 0]'),
      `desks[0].at: [1e+308, 0] is off the floor plan: expected x and y between -${max} and ${max} (metres)`],
    ['a phone just past the edge', minimal.replace('at: [5.0, 1.0]', `at: [0, -${max}.5]`),
      `lines[0].phone.at: [0, -${max}.5] is off the floor plan: expected x and y between -${max} and ${max} (metres)`],
    ['a huge tieMetres', `${minimal}rules: { tieMetres: 1e308 }\n`, `rules.tieMetres: expected at most ${max} metres`],
    ['a huge withinMetres', `${minimal}rules: { escalation: [{ atRing: 2, everyone: true, withinMetres: 1e6 }] }\n`,
      `rules.escalation[0].withinMetres: expected at most ${max} metres`],
  ])('rejects %s', (_what, yaml, problem) => {
    expect(problemsOf(yaml)).toEqual([`office.yaml: ${problem}`]);
  });

  it('assigns desks at the corners of the largest floor plan allowed', () => {
    const config = coreConfig(`
site: t
desks:
  - { id: sw, at: [-${max}, -${max}] }
  - { id: ne, at: [${max}, ${max}] }
  - { id: nw, at: [-${max}, ${max - 1}] }
  - { id: middle, at: [0, 0] }
lines:
  - { id: north-east, phone: { at: [${max}, ${max}] }, cadence: nl }
  - { id: north-west, phone: { at: [-${max}, ${max}] }, cadence: nl }
  - { id: south-east, phone: { at: [${max}, -${max}] }, cadence: nl }
rules:
  tieMetres: ${max}
  escalation: [{ atRing: 2, everyone: true, withinMetres: ${max} }]
`);
    expect(config.rules.tieMetres).toBe(max);
    const noTies = { ...config, rules: { ...config.rules, tieMetres: 0.5 } };
    const away = (desk: string): CoreEvent => ({ t: 0, type: 'presence', desk, state: 'away' });
    const ring = (line: string, start: number) => ringBursts(line, [1000, 4000], start, 1);
    // Each corner phone gets the desk in its corner.
    expect(ofType(run(noTies, byTime([...ring('north-east', 0), ...ring('north-west', 100)])), 'assign').map((a) => [a.line, a.desk])).toEqual([
      ['north-east', 'ne'],
      ['north-west', 'nw'],
    ]);
    // Only the far corner's desk is in: 28 km across the diagonal, still assigned.
    expect(ofType(run(noTies, [away('ne'), away('nw'), away('middle'), ...ring('south-east', 0).map((e) => ({ ...e, t: e.t + 1 }))]), 'assign')).toEqual([
      { t: 1, type: 'assign', line: 'south-east', desk: 'sw', reason: 'first' },
    ]);
  });
});
