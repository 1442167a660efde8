/**
 * The verification engine runs in the extension's pages too: nothing it imports, directly or through
 * the shared modules it uses, may be a Node built-in (`node:…`, `fs`, `path`, …).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../../shared/verification/verify-file.ts', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

it('verify-file.ts and everything it imports from the repository use no Node built-in', () => {
  const seen = new Set<string>();
  const builtins: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) builtins.push(`${file}: ${specifier}`);
    }
  };
  visit(ENTRY);
  expect(seen.size).toBeGreaterThan(15); // the graph was followed (verification, certificate, signature, protocol)
  expect(builtins).toEqual([]);
});
