/**
 * Loads the pkcs11js package from node_modules (a checkout, `npm run build`). The single executable's
 * build replaces this file with scripts/packaging/sea/pkcs11js-loader.cjs, which opens `pkcs11.node`
 * beside the executable: keep the two exports alike.
 */
import { createRequire } from 'node:module';
import type pkcs11js from 'pkcs11js';

const require = createRequire(import.meta.url);

export function loadPkcs11js(): typeof pkcs11js {
  return require('pkcs11js') as typeof pkcs11js;
}

/** Where the addon is looked for, for messages. */
export function pkcs11jsLocation(): string {
  try {
    return require.resolve('pkcs11js');
  } catch {
    return 'the pkcs11js package';
  }
}
