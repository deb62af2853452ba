// Issue #14 item 5: thirdring's state goes to a documented place (the XDG state directory), never into the folder
// the config or the shell happens to be in; a --db in a folder that does not exist is an error; a checkout
// ignores and the package never ships the data.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir, loadConfigFile, parseConfig, stateDir } from '../src/bridge/config/load.js';
import { defaultRecordDatabase, oldDefaultDatabaseNote, recordSettings } from '../src/bridge/recorder/record-command.js';
import { officeYaml } from './mqtt/bridge-harness.js';
import { startTestAedes, tempDir, until } from './mqtt-helpers.js';
import { runThirdring, startThirdring } from './thirdring-process.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Sets XDG_STATE_HOME for this test (in this process), back as it was afterwards. */
function withStateHome(dir: string | undefined): void {
  const before = process.env.XDG_STATE_HOME;
  if (dir === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = dir;
  cleanups.push(() => (before === undefined ? delete process.env.XDG_STATE_HOME : (process.env.XDG_STATE_HOME = before)));
}

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

describe('where thirdring keeps its data', () => {
  it('the state directory: $XDG_STATE_HOME/thirdring, else ~/.local/state/thirdring (a relative XDG_STATE_HOME is ignored, as the spec says)', () => {
    expect(stateDir({ XDG_STATE_HOME: '/var/lib/me' })).toBe('/var/lib/me/thirdring');
    expect(stateDir({})).toBe(join(homedir(), '.local', 'state', 'thirdring'));
    expect(stateDir({ XDG_STATE_HOME: '' })).toBe(join(homedir(), '.local', 'state', 'thirdring'));
    expect(stateDir({ XDG_STATE_HOME: 'relative/state' })).toBe(join(homedir(), '.local', 'state', 'thirdring'));
    expect(defaultDataDir('branch-01', { XDG_STATE_HOME: '/s' })).toBe('/s/thirdring/branch-01');
  });

  it('a config without dataDir keeps the bridge\'s state in the site\'s folder there; a dataDir it sets still wins, relative to the config file', () => {
    const state = tempDir('thirdring-state-');
    withStateHome(state);
    expect(parseConfig(officeYaml('{ port: 0 }')).dataDir).toBe(join(state, 'thirdring', 't'));
    const dir = tempDir('thirdring-config-');
    writeFileSync(join(dir, 'default.yaml'), officeYaml('{ port: 0 }'));
    writeFileSync(join(dir, 'relative.yaml'), `${officeYaml('{ port: 0 }')}dataDir: state\n`);
    writeFileSync(join(dir, 'absolute.yaml'), `${officeYaml('{ port: 0 }')}dataDir: /srv/thirdring\n`);
    expect(loadConfigFile(join(dir, 'default.yaml')).dataDir).toBe(join(state, 'thirdring', 't'));
    expect(loadConfigFile(join(dir, 'relative.yaml')).dataDir).toBe(join(dir, 'state'));
    expect(loadConfigFile(join(dir, 'absolute.yaml')).dataDir).toBe('/srv/thirdring');
  });

  it('thirdring record records into the state directory unless told otherwise: one site in its folder (the bridge\'s file), every site at the top', () => {
    const env = { XDG_STATE_HOME: '/s' };
    expect(defaultRecordDatabase('branch-01', env)).toBe('/s/thirdring/branch-01/ring-log.sqlite');
    expect(defaultRecordDatabase(undefined, env)).toBe('/s/thirdring/ring-log.sqlite');
    // The site's file is where a bridge of that site records when its config sets no dataDir.
    expect(defaultRecordDatabase('t', env)).toBe(join(defaultDataDir('t', env), parseConfig(officeYaml('{ port: 0 }')).recorder.database));
    expect(recordSettings({}, null, env)).toMatchObject({ database: '/s/thirdring/ring-log.sqlite', databaseFrom: 'default' });
    expect(recordSettings({ site: 'b' }, null, env)).toMatchObject({ database: '/s/thirdring/b/ring-log.sqlite', databaseFrom: 'default' });
    expect(recordSettings({ db: 'here.sqlite' }, null, env)).toMatchObject({ database: 'here.sqlite', databaseFrom: '--db' });
    const config = { ...parseConfig(officeYaml('{ port: 0 }')), dataDir: '/srv/t' };
    expect(recordSettings({}, config, env)).toMatchObject({ database: '/srv/t/ring-log.sqlite', databaseFrom: 'config' });
  });

  it('thirdring start with a config that sets no dataDir: the outbox and the ring log go to the state directory, nothing next to the config', async () => {
    const state = tempDir('thirdring-state-'), dir = tempDir('thirdring-config-');
    const config = join(dir, 'office.yaml');
    writeFileSync(config, `${officeYaml('{ port: 0, wsPort: false }')}dashboard: { enabled: false }\nrecorder: { enabled: true }\n`);
    const bridge = startThirdring(['start', '--config', config], { cwd: dir, env: { XDG_STATE_HOME: state } });
    cleanups.push(() => bridge.stop('SIGKILL'));
    const siteDir = join(state, 'thirdring', 't');
    await until('the bridge running', () => existsSync(join(siteDir, 'outbox.sqlite')) && existsSync(join(siteDir, 'ring-log.sqlite')) && bridge.output.stdout.includes(siteDir), 20_000);
    expect(await bridge.stop()).toBe(0);
    expect(filesUnder(dir)).toEqual(['office.yaml']);
  }, 30_000);

  it('thirdring record without --db: into the state directory, said on stdout; nothing in the current folder', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const state = tempDir('thirdring-state-'), cwd = tempDir('thirdring-cwd-');
    for (const [args, database] of [[[], join(state, 'thirdring', 'ring-log.sqlite')], [['--site', 'b'], join(state, 'thirdring', 'b', 'ring-log.sqlite')]] as const) {
      const recorder = startThirdring(['record', '--url', broker.url, ...args], { cwd, env: { XDG_STATE_HOME: state } });
      cleanups.push(() => recorder.stop('SIGKILL'));
      await until('recording', () => recorder.output.stderr.includes('recording thirdring/'), 15_000);
      expect(recorder.output.stdout).toContain(` → ${database} (client id `);
      expect(existsSync(database)).toBe(true);
      expect(await recorder.stop()).toBe(0);
    }
    expect(readdirSync(cwd)).toEqual([]);
  }, 40_000);

  it('--db in a folder that does not exist is an error (exit 2), and no folder is made', () => {
    const dir = tempDir('thirdring-db-');
    const missing = join(dir, 'nonexistent', 'dir', 'x.sqlite');
    const result = runThirdring(['record', '--url', 'mqtt://127.0.0.1:1', '--db', missing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`thirdring record: --db ${missing}: no such folder: ${join(dir, 'nonexistent', 'dir')} (create it first, or leave out --db to record into ${defaultRecordDatabase(undefined)})\n`);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'a-file'), '');
    const underFile = runThirdring(['record', '--url', 'mqtt://127.0.0.1:1', '--db', join(dir, 'a-file', 'x.sqlite')]);
    expect(underFile.status).toBe(2);
    expect(underFile.stderr).toMatch(/--db .*a-file\/x\.sqlite: not a folder: .*a-file \(create it first/);
  });

  it('says so when ./thirdring-ring-log.sqlite, the old default, is there and no longer used', async () => {
    const cwd = tempDir('thirdring-cwd-');
    const settings = recordSettings({}, null, { XDG_STATE_HOME: '/s' });
    expect(oldDefaultDatabaseNote(settings, cwd)).toBeNull();
    writeFileSync(join(cwd, 'thirdring-ring-log.sqlite'), '');
    expect(oldDefaultDatabaseNote(settings, cwd)).toBe(
      './thirdring-ring-log.sqlite (where thirdring record used to record by default) is no longer used: recording into /s/thirdring/ring-log.sqlite; ' +
        'give --db thirdring-ring-log.sqlite to keep recording into the old one',
    );
    expect(oldDefaultDatabaseNote({ ...settings, databaseFrom: '--db' }, cwd)).toBeNull();

    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const state = tempDir('thirdring-state-');
    const recorder = startThirdring(['record', '--url', broker.url], { cwd, env: { XDG_STATE_HOME: state } });
    cleanups.push(() => recorder.stop('SIGKILL'));
    await until('recording', () => recorder.output.stderr.includes('recording thirdring/'), 15_000);
    expect(recorder.output.stderr).toContain(`thirdring record: ./thirdring-ring-log.sqlite (where thirdring record used to record by default) is no longer used: recording into ${join(state, 'thirdring', 'ring-log.sqlite')};`);
    expect(await recorder.stop()).toBe(0);
  }, 30_000);

  it('a checkout ignores data folders and ring logs written by earlier versions (git check-ignore)', () => {
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', path]).status === 0;
    for (const path of ['examples/thirdring-data/outbox.sqlite', 'thirdring-data/ring-log.sqlite-wal', 'thirdring-ring-log.sqlite', 'thirdring-ring-log.sqlite-shm']) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
    expect(ignored('examples/branch.yaml')).toBe(false);
  });

  it('the package never ships data (npm pack with this package.json\'s "files")', () => {
    const dir = tempDir('thirdring-pack-');
    cpSync('package.json', join(dir, 'package.json'));
    const files = [
      'examples/branch.yaml', 'examples/thirdring-data/outbox.sqlite', 'examples/thirdring-data/ring-log.sqlite-wal', 'examples/mosquitto/data/x.sqlite',
      'examples/thirdring-ring-log.sqlite', 'dist/src/cli.js', 'web/floor/index.html', 'README.md', 'LICENSE',
    ];
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'x');
    }
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const packed = (JSON.parse(result.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    expect(packed).toEqual(['LICENSE', 'README.md', 'dist/src/cli.js', 'examples/branch.yaml', 'package.json', 'web/floor/index.html']);
  }, 30_000);
});
