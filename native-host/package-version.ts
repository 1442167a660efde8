import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding our package.json, found upward from this file (works from sources and from dist/node). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const { name } = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (name === 'cas-token') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cas-token: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Set by the bundlers (scripts/build-host.js, scripts/packaging/build-sea.js); the single executable has no package.json. */
declare const __CAS_TOKEN_VERSION__: string | undefined;

export function packageVersion(): string {
  if (typeof __CAS_TOKEN_VERSION__ === 'string') return __CAS_TOKEN_VERSION__;
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return version;
}
