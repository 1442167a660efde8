/**
 * The pkcs11js native addon, loaded on first use rather than at start, so a host or CLI whose addon is
 * missing or broken still starts and answers `status`/`doctor` with MODULE_LOAD_FAILED instead of
 * crashing. From a checkout the addon is the pkcs11js package (node_modules); in the single executable
 * (scripts/packaging/build-sea.js) `pkcs11js-loader.ts` is swapped for one that opens `pkcs11.node`
 * beside the executable.
 *
 * Use `pkcs11Addon.CKA_ID`, `new pkcs11Addon.PKCS11()` for values and `import type pkcs11js from
 * 'pkcs11js'` for types.
 */
import type pkcs11js from 'pkcs11js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { loadPkcs11js, pkcs11jsLocation } from './pkcs11js-loader.js';

export type Pkcs11Addon = typeof pkcs11js;

let loaded: Pkcs11Addon | undefined;
let failure: CasTokenError | undefined;

/** The addon, loaded now if it was not yet; MODULE_LOAD_FAILED (the same error every time) when it cannot be. */
export function loadPkcs11Addon(): Pkcs11Addon {
  if (loaded) return loaded;
  if (failure) throw failure;
  try {
    loaded = loadPkcs11js();
    pkcs11Addon = loaded; // from now on the addon itself: no proxy trap on every constant read
    return loaded;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    failure = new CasTokenError('MODULE_LOAD_FAILED', `The PKCS#11 bridge of CAS Token (${pkcs11jsLocation()}) cannot be loaded: ${reason}`, {
      hint: 'Reinstall CAS Token: its pkcs11 addon is missing, damaged or built for another system.',
    });
    throw failure;
  }
}

/** Whether the addon loads, and why not: for `doctor`. */
export function pkcs11AddonState(): { location: string; loaded: boolean; error?: string } {
  try {
    loadPkcs11Addon();
    return { location: pkcs11jsLocation(), loaded: true };
  } catch (error) {
    return { location: pkcs11jsLocation(), loaded: false, error: (error as Error).message };
  }
}

/**
 * pkcs11js' exports (constants, PKCS11, Pkcs11Error), reached lazily: the first access loads the addon,
 * and this binding then becomes the addon's exports (an ES module live binding; signing reads dozens of
 * constants per signature).
 */
export let pkcs11Addon: Pkcs11Addon = new Proxy({} as Pkcs11Addon, {
  get: (_target, property) => Reflect.get(loadPkcs11Addon(), property),
  has: (_target, property) => Reflect.has(loadPkcs11Addon(), property),
});
