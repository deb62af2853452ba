// What `npm pack` would publish, and the installed dependency tree. The tarball holds what the CLI and the README
// need — the README's images included — and nothing of the repository's own: no tests or benchmarks, no databases,
// no source maps (tsconfig.build.json emits none: they would point at .ts sources the package does not ship). And
// `npm ci` installs one serialport: johnny-five's own serialport 8 is overridden by ours (package.json "overrides").
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function npm(args: string[]) {
  const result = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return result;
}

describe('the npm package', () => {
  // --ignore-scripts: list what is there, without running prepare (a build) under the other test files' feet; dist/
  // is what `npm ci` built (its prepare), as in CI.
  const packed = npm(['pack', '--dry-run', '--json', '--ignore-scripts']);
  const files: string[] = packed.status === 0 ? (JSON.parse(packed.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path) : [];

  it('packs the CLI, its runtime files and the README', () => {
    expect(packed.status, packed.stderr).toBe(0);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/src/cli.js', 'web/floor/index.html', 'examples/branch.yaml']) {
      expect(files, `${file} in the tarball (dist/ missing? npm run build)`).toContain(file);
    }
  });

  it('ships no databases, tests, benchmarks or source maps', () => {
    expect(files.filter((f) => /\.sqlite/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|bench)\//.test(f) || /\.(test|bench)\.[cm]?[jt]s$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // …nor JavaScript that points at a map (a stale dist/ from a build with sourceMap on).
    const pointing = files.filter((f) => f.endsWith('.js') && readFileSync(join(ROOT, f), 'utf8').includes('//# sourceMappingURL='));
    expect(pointing, 'rebuild dist/: rm -rf dist && npm run build').toEqual([]);
  });

  it("ships the README's images and the docs it links to", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((src) => !/^[a-z]+:/.test(src));
    expect(images).toEqual(expect.arrayContaining(['docs/floor-page.png', 'docs/report-chart.svg']));
    const docs = [...readme.matchAll(/\]\((docs\/[^)\s#]+)/g)].map((m) => m[1]!);
    for (const file of new Set([...images, ...docs])) expect(files, `${file}, used by the README`).toContain(file);
  });

  it('installs one serialport (johnny-five and firmata on ours), and not serialport 8’s native bindings', () => {
    const ls = npm(['ls', 'serialport', '--all', '--json']);
    expect(ls.status, ls.stderr).toBe(0);
    const versions = new Set<string>();
    const walk = (deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }> | undefined) => {
      for (const [name, node] of Object.entries(deps ?? {})) {
        if (name === 'serialport' && node.version) versions.add(node.version);
        walk(node.dependencies as typeof deps);
      }
    };
    const tree = JSON.parse(ls.stdout) as { dependencies?: Record<string, { version?: string; dependencies?: Record<string, unknown> }> };
    walk(tree.dependencies);
    expect([...versions]).toEqual([tree.dependencies!.serialport!.version]);
    expect(versions.values().next().value).toMatch(/^13\./);
    expect(JSON.stringify(tree.dependencies!['johnny-five'])).toContain('"serialport"'); // the edge is there, deduped onto ours

    const old = npm(['ls', '@serialport/bindings', '--all', '--json']);
    expect(JSON.parse(old.stdout).dependencies ?? {}).toEqual({});
  });
});
