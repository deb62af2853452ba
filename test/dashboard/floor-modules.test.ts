import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { DashboardFeature } from '../../src/bridge/dashboard/dashboard-feature.js';
import { tempDir } from '../mqtt-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLOOR = join(ROOT, 'web', 'floor');
const modules = readdirSync(FLOOR).filter((f) => f.endsWith('.js')).sort();

/** The modules the page loads: from index.html's module script, along every static import. */
function loadedModules(): string[] {
  const entry = /<script type="module" src="\/([\w-]+\.js)"><\/script>/.exec(readFileSync(join(FLOOR, 'index.html'), 'utf8'))?.[1];
  expect(entry).toBeDefined();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, imported] of readFileSync(join(FLOOR, file), 'utf8').matchAll(/^import [^;]* from '\.\/([\w-]+\.js)';$/gm)) visit(imported!);
  };
  visit(entry!);
  return [...seen].sort();
}

describe('the floor page as native ES modules', () => {
  it('loads every module under web/floor from index.html, and nothing that is not there', () => {
    expect(modules.length).toBeGreaterThan(10);
    expect(loadedModules()).toEqual(modules);
  });

  it('is served as JavaScript by the dashboard', async () => {
    const bridge = new Bridge({ ...parseConfig('site: s\ndesks: [{ id: anna, at: [0, 0] }]\nlines: [{ id: front, phone: { at: [1, 0] } }]\ndashboard: { port: 0 }\n'), dataDir: tempDir('thirdring-modules-') });
    const dash = new DashboardFeature(bridge, null);
    bridge.use(dash);
    try {
      await bridge.start();
      for (const file of modules) {
        const response = await fetch(new URL(`/${file}`, dash.url!));
        expect([file, response.status, response.headers.get('content-type')]).toEqual([file, 200, 'text/javascript; charset=utf-8']);
        expect(await response.text()).toBe(readFileSync(join(FLOOR, file), 'utf8'));
      }
    } finally {
      await bridge.stop();
    }
  });

  it('ships every module in the npm package', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(packed.status, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    for (const file of modules) expect(files).toContain(`web/floor/${file}`);
  });
});
