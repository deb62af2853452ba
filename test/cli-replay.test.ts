import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, toCoreConfig } from '../src/bridge/config/load.js';
import { parseEvents } from '../src/bridge/events-file.js';
import { replay } from '../src/bridge/replay.js';
import { runThirdring as thirdring } from './thirdring-process.js';
import { tempDir } from './helpers.js';

const dir = tempDir('thirdring-cli-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('thirdring replay', () => {
  it('prints exactly what the README shows for its worked example', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /<!-- replay-example -->\s*```sh\n\$ (.+)\n```\s*```jsonl\n([\s\S]*?)```/.exec(readme);
    expect(example, 'README has a replay example block').not.toBeNull();
    const [, command, expected] = example!;
    const args = command!.replace(/^npx thirdring /, '').split(/\s+/);
    const { status, stdout, stderr } = thirdring(args);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(expected);
  });

  it('is deterministic across processes, byte for byte', () => {
    const args = ['replay', 'examples/branch.yaml', 'examples/morning.jsonl', '--indications'];
    const first = thirdring(args).stdout;
    expect(first.split('\n').length).toBeGreaterThan(20);
    expect(thirdring(args).stdout).toBe(first);
  });

  const config = file('office.yaml', readFileSync('examples/branch.yaml', 'utf8'));
  const coreConfig = toCoreConfig(loadConfigFile(config));
  const badEvents: [string, string, string][] = [
    ['broken JSON', '{"t":0,"type":"ring","line":"front","state":"on"}\n{"t":1000,"type":"ring",', 'bad1.jsonl:2: not valid JSON'],
    ['unknown line', '{"t":0,"type":"ring","line":"side","state":"on"}\n', 'bad2.jsonl:1: unknown line "side"'],
    ['unknown desk', '\n{"t":0,"type":"presence","desk":"zoe","state":"away"}\n', 'bad3.jsonl:2: unknown desk "zoe"'],
    ['time going backwards', '{"t":500,"type":"ring","line":"front","state":"on"}\n{"t":400,"type":"ring","line":"front","state":"off"}\n', 'bad4.jsonl:2: time goes backwards (t=400 after t=500)'],
    ['unknown type', '{"t":0,"type":"ding","line":"front"}\n', 'bad5.jsonl:1: type: expected "ring", "hook", "presence", "hold", "ack", "takeover" or "tick"'],
    ['bad state', '{"t":0,"type":"ring","line":"front","state":"loud"}\n', 'bad6.jsonl:1: state: '],
    ['missing t', '{"type":"ring","line":"front","state":"on"}\n', 'bad7.jsonl:1: t: expected milliseconds'],
    ['hook without line or desk', '{"t":0,"type":"hook","state":"off"}\n', 'bad8.jsonl:1: a hook event needs "line" or "desk"'],
  ];
  it.each(badEvents.map(([what, text, message], i) => [what, text, message, `bad${i + 1}.jsonl`]))(
    'exits 2 naming the file and line for %s, after the decisions of the lines before it',
    (_what, text, message, name) => {
      const events = file(name, text);
      const { status, stdout, stderr } = thirdring(['replay', config, events]);
      expect(status).toBe(2);
      expect(stdout).toBe(decisionsBefore(text, Number(/:(\d+):/.exec(message)![1])));
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`thirdring replay: ${join(dir, message)}`);
    },
  );

  /** What the lines before `badLine` decide, up to the last one's time (the run stops at the bad line: no run-on). */
  function decisionsBefore(text: string, badLine: number): string {
    const events = parseEvents(text.split('\n').slice(0, badLine - 1).join('\n'), 'x', coreConfig);
    if (events.length === 0) return '';
    return [...replay(coreConfig, events, { until: events.at(-1)!.t })].map((item) => JSON.stringify(item) + '\n').join('');
  }

  it('accepts unknown extra fields on events', () => {
    const events = file('extra.jsonl', '{"t":0,"type":"ring","line":"front","state":"on","source":"sensor-1"}\n');
    expect(thirdring(['replay', config, events]).status).toBe(0);
  });

  it('exits 2 for a broken config, naming the path', () => {
    const broken = file('broken.yaml', 'site: x\ndesks: [{ id: a, at: [1] }]\nlines: [{ id: l, phone: { desks: [b] } }]\n');
    const { status, stderr } = thirdring(['replay', broken, 'examples/morning.jsonl']);
    expect(status).toBe(2);
    expect(stderr).toBe(`thirdring replay: ${broken}: desks[0].at: expected [x, y]\n`);
  });

  it('exits 2 for missing files, unknown flags and unknown commands', () => {
    expect(thirdring(['replay', config, join(dir, 'nope.jsonl')])).toMatchObject({
      status: 2,
      stderr: `thirdring replay: ${join(dir, 'nope.jsonl')}: cannot read events (ENOENT)\n`,
    });
    expect(thirdring(['replay', config, 'examples/morning.jsonl', '--fast'])).toMatchObject({ status: 2 });
    expect(thirdring(['replay', config])).toMatchObject({ status: 2 });
    expect(thirdring(['frobnicate'])).toMatchObject({ status: 2 });
  });

  it('prints help with exit 0', () => {
    const { status, stdout } = thirdring(['replay', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: thirdring replay <config.yaml> <events.jsonl \| -> /);
  });
});
