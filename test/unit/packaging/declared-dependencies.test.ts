/**
 * Every package the code or its tests import is declared in package.json, so that a fresh `npm ci` gives
 * what runs: a package that only arrives inside another one (as rolldown does inside vite) may go away or
 * change version when that one is updated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const FOLDERS = ['extension', 'native-host', 'shared', 'scripts', 'test', 'bench', 'demo', 'bin'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
/** The specifiers of import / export … from, bare import, dynamic import() and require() that name a package (or node:…). */
const SPECIFIER = /(?:^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+|^\s*\}\s*from\s+|^\s*import\s+|\bimport\(|\brequire\()['"]((?:@[\w-][\w.-]*\/)?[\w-][\w.-]*(?:\/[\w./-]+)?|node:[\w/]+)['"]/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('declared dependencies', () => {
  it('every package imported by the code, the scripts and the tests is in package.json', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]);
    const builtin = new Set(builtinModules);
    const undeclared: string[] = [];
    for (const file of FOLDERS.flatMap(sourceFiles)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        const name = packageOf(specifier!);
        if (specifier!.startsWith('node:') || builtin.has(name) || declared.has(name)) continue;
        undeclared.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
