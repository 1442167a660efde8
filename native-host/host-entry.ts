import { join } from 'node:path';
import { packageRoot } from './package-version.js';

/** The built native host the browsers run: one bundled file (scripts/build-host.js). */
export function builtHostEntry(): string {
  return join(packageRoot(), 'dist', 'host', 'cas-token-host.mjs');
}
