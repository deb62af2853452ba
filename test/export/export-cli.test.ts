import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runThirdring as thirdring } from '../thirdring-process.js';
import { branchYaml, DAY, handEvents, recordDay, writeFile, ZONE } from './what-if-day.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('thirdring-export-cli-');
const yaml = branchYaml();
const config = writeFile(dir, 'branch.yaml', yaml);
const db = recordDay(join(dir, 'ring-log.sqlite'), yaml, handEvents());
const DAY_ARGS = ['--from', DAY, '--to', '2026-03-04', '--tz', ZONE];

describe('thirdring export', () => {
  it('writes the events to stdout, quietly when piped; -o writes the same bytes to a file; thirdring replay takes them', () => {
    const piped = thirdring(['export', '--db', db, ...DAY_ARGS]);
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(piped.stdout.split('\n')).toHaveLength(handEvents().length + 2); // header, events, final newline
    const file = join(dir, 'day.jsonl');
    const written = thirdring(['export', '--db', db, ...DAY_ARGS, '-o', file]);
    expect([written.status, written.stdout, written.stderr]).toEqual([0, '', '']);
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(existsSync(`${file}.partial-${process.pid}`)).toBe(false);

    const replayed = thirdring(['replay', config, file]);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout.split('\n').filter((line) => /"type":"(answered|missed)"/.test(line))).toHaveLength(5);
  });

  it('exits 2 with one line when the period has no input entries', () => {
    const old = recordDay(join(dir, 'old.sqlite'), yaml, handEvents(), { inputs: false });
    const { status, stdout, stderr } = thirdring(['export', '--db', old, ...DAY_ARGS]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('thirdring export: ');
    expect(stderr).toContain('this ring log was recorded before the bridge logged what it fed its rules core, so there is nothing to replay');
  });

  it('prints its usage with --help and in thirdring --help', () => {
    expect(thirdring(['export', '--help']).stdout).toMatch(/^Usage: thirdring export /);
    expect(thirdring(['--help']).stdout).toContain('thirdring export [--config file.yaml | --db path]');
  });
});

describe('thirdring report --replay', () => {
  it('prints the recorded and the what-if report side by side', () => {
    const events = join(dir, 'for-report.jsonl');
    expect(thirdring(['export', '--db', db, ...DAY_ARGS, '-o', events]).status).toBe(0);
    const other = writeFile(dir, 'answer-by-4.yaml', branchYaml({ answerBy: 4 }));
    const { status, stdout, stderr } = thirdring(['report', '--db', db, '--replay', other, events]);
    expect(stderr).toBe(''); // no progress when stderr is not a terminal
    expect(status).toBe(0);
    expect(stdout).toMatch(/^What-if report — site branch-01, by line\n/);
    expect(stdout).toMatch(/^total +5 +5 +0 +2 +3 +\+1 +1 +0 +-1 +2 +2 +0 +40\.0% +60\.0% +\+20\.0$/m);
  });

  it('exits 2 naming the file and line of a bad event', () => {
    const bad = writeFile(dir, 'bad.jsonl', '{"t":1,"type":"ring","line":"front","state":"on"}\n{"t":2,"type":"ring","line":"side","state":"on"}\n');
    const { status, stderr } = thirdring(['report', '--replay', config, bad]);
    expect(status).toBe(2);
    expect(stderr).toBe(`thirdring report: ${bad}:2: unknown line "side"\n`);
  });
});
