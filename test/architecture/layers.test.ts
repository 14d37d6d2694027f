/**
 * DESIGN.md §1: the layers and what each may import. A breach fails CI. Imports are read from the source
 * text (static, dynamic and require), resolved to a layer, and checked against the table.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Layer = 'shared' | 'engine' | 'main' | 'preload' | 'renderer' | 'cli';

const LAYER_DIRS: [Layer, string][] = [
  ['shared', 'shared'],
  ['engine', 'electron/engine'],
  ['main', 'electron/main'],
  ['preload', 'electron/preload'],
  ['renderer', 'renderer'],
  ['cli', 'electron/cli'],
];

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function listSources(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[] = [];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(abs, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return listSources(relative(root, path));
    return /\.(ts|mts|vue|mjs)$/.test(entry) ? [relative(root, path)] : [];
  });
}

const IMPORT_PATTERNS = [/\bimport\s+(?:type\s+)?(?:[^'"]*?\bfrom\s+)?['"]([^'"]+)['"]/g, /\bexport\s+(?:type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) for (const match of text.matchAll(pattern)) found.add(match[1] as string);
  return [...found];
}

function layerOfPath(path: string): Layer | 'other' {
  const rel = relative(root, path).replaceAll('\\', '/');
  for (const [layer, dir] of LAYER_DIRS) if (rel === dir || rel.startsWith(`${dir}/`)) return layer;
  return 'other';
}

function isTypeOnlyImport(file: string, specifier: string): boolean {
  const text = readFileSync(join(root, file), 'utf8');
  const escaped = specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const all = [...text.matchAll(new RegExp(`\\b(import|export)\\s+(type\\s+)?[^;]*?from\\s+['"]${escaped}['"]`, 'g'))];
  return all.length > 0 && all.every((m) => m[2] !== undefined);
}

/** What a layer must never import: a package name test or a target layer. */
const FORBIDDEN: Record<Layer, { packages: (spec: string) => boolean; layers: (Layer | 'other')[] }> = {
  shared: { packages: (s) => nodeBuiltins.has(s) || s === 'electron' || s.startsWith('vue') || s === 'better-sqlite3-multiple-ciphers' || s === 'pinia', layers: ['engine', 'main', 'preload', 'renderer', 'cli', 'other'] },
  engine: { packages: (s) => s === 'electron' || s.startsWith('vue') || s === 'pinia' || s === 'element-plus', layers: ['main', 'preload', 'renderer', 'cli', 'other'] },
  main: { packages: (s) => s.startsWith('vue') || s === 'pinia' || s === 'element-plus', layers: ['renderer', 'cli', 'other'] },
  preload: { packages: (s) => (nodeBuiltins.has(s) && s !== 'node:process') || s.startsWith('vue'), layers: ['engine', 'main', 'renderer', 'cli', 'other'] },
  renderer: { packages: (s) => nodeBuiltins.has(s) || s === 'electron' || s === 'better-sqlite3-multiple-ciphers', layers: ['engine', 'main', 'preload', 'cli', 'other'] },
  cli: { packages: (s) => s === 'electron' || s.startsWith('vue'), layers: ['main', 'preload', 'renderer', 'other'] },
};

describe('layering (DESIGN.md §1)', () => {
  for (const [layer, dir] of LAYER_DIRS) {
    it(`${dir}/ imports only what its layer may`, () => {
      const breaches: string[] = [];
      for (const file of listSources(dir)) {
        for (const spec of importsOf(file)) {
          if (spec.startsWith('.')) {
            const target = layerOfPath(resolve(root, dirname(file), spec));
            // The preload may take types from the engine contract files it shares with main.
            if (FORBIDDEN[layer].layers.includes(target) && !(layer === 'preload' && isTypeOnlyImport(file, spec))) {
              breaches.push(`${file} → ${spec} (${target})`);
            }
          } else if (FORBIDDEN[layer].packages(spec)) {
            breaches.push(`${file} → ${spec}`);
          }
        }
      }
      expect(breaches).toEqual([]);
    });
  }

  it('finds the sources it checks', () => {
    expect(listSources('shared').length).toBeGreaterThan(3);
    expect(listSources('electron/engine').length).toBeGreaterThan(10);
  });
});
