// The import rules of docs/architecture.md, read from the sources: folders import one way, the core stays pure.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** Each source file under src/ with what it imports: project files as paths from the root, packages by name. */
const graph = new Map(
  sources('src').map((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const imports = [...text.matchAll(IMPORT)].map((m) => {
      const spec = (m[1] ?? m[2])!;
      return spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    });
    return [file, imports] as const;
  }),
);

const importsOf = (prefix: string) => [...graph].filter(([file]) => file.startsWith(prefix));
const offending = (prefix: string, bad: (target: string) => boolean) =>
  importsOf(prefix).flatMap(([file, imports]) => imports.filter(bad).map((target) => `${file} → ${target}`));

describe('the import graph (docs/architecture.md)', () => {
  it('reads the sources', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('src/core/step.ts')).toContain('src/core/step-context.ts');
  });

  it('the core imports only itself and luxon (no I/O, no Node modules)', () => {
    expect(offending('src/core/', (t) => !t.startsWith('src/core/') && t !== 'luxon')).toEqual([]);
  });

  it('common imports nothing of ours but itself', () => {
    expect(offending('src/common/', (t) => t.startsWith('src/') && !t.startsWith('src/common/'))).toEqual([]);
  });

  it('devices never import the bridge (the bridge plugs them in through src/bridge/device-features)', () => {
    expect(offending('src/devices/', (t) => t.startsWith('src/bridge/') || t.startsWith('src/cli') || t.startsWith('src/demo/'))).toEqual([]);
  });

  it('the bridge reaches devices only through its device features and the composition root', () => {
    const allowed = (file: string) => file.startsWith('src/bridge/device-features/') || file === 'src/bridge/compose.ts';
    const found = importsOf('src/bridge/')
      .filter(([file]) => !allowed(file))
      .flatMap(([file, imports]) => imports.filter((t) => t.startsWith('src/devices/')).map((t) => `${file} → ${t}`));
    expect(found).toEqual([]);
  });

  it('the desk agent is its own composition root: devices, common, the core and the MQTT topic contract only', () => {
    const allowed = (t: string) =>
      !t.startsWith('src/') || ['src/desk-agent/', 'src/devices/', 'src/common/', 'src/core/'].some((p) => t.startsWith(p)) || t === 'src/bridge/mqtt/topics.ts';
    expect(offending('src/desk-agent/', (t) => !allowed(t))).toEqual([]);
    expect(offending('src/', (t) => t.startsWith('src/desk-agent/')).filter((edge) => !edge.startsWith('src/desk-agent/') && !edge.startsWith('src/cli.ts'))).toEqual([]);
  });

  it('nothing under src/ imports the simulators except the demo', () => {
    expect(offending('src/', (t) => t.startsWith('firmware-sim/')).filter((edge) => !edge.startsWith('src/demo/'))).toEqual([]);
  });

  it('no folder under src/ is in an import cycle with another, and the core has no cycle of files', () => {
    const layer = (file: string) => file.split('/').slice(0, 2).join('/').replace(/\.ts$/, '');
    const folderEdges = new Set<string>();
    for (const [file, imports] of graph) {
      for (const t of imports) if (t.startsWith('src/') && layer(t) !== layer(file)) folderEdges.add(`${layer(file)}>${layer(t)}`);
    }
    const both = [...folderEdges].filter((edge) => folderEdges.has(edge.split('>').reverse().join('>')));
    expect(both).toEqual([]);
    expect(cycleIn(importsOf('src/core/'))).toBeNull();
  });
});

/** One cycle among these files' imports (as a path), or null. */
function cycleIn(files: (readonly [string, readonly string[]])[]): string[] | null {
  const edges = new Map(files);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of edges.keys()) {
    const found = visit(file);
    if (found) return found;
  }
  return null;
}
