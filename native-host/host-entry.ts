import { join } from 'node:path';
import { packageRoot } from './package-version.js';
import { isSingleExecutable } from './single-executable.js';

/**
 * The host the browsers run: the single executable itself when this is it (a manifest points straight
 * at it, no launcher), else the bundled file of a checkout (scripts/build-host.js), run by a launcher.
 */
export function builtHostEntry(): string {
  if (isSingleExecutable()) return process.execPath;
  return join(packageRoot(), 'dist', 'host', 'cas-token-host.cjs');
}
