/**
 * Chromium with the extension for a test file (or the describe block it is called in): launched before
 * its tests, closed after them, and usable inside its tests and hooks as if it were the launched one.
 * `useTokenBrowser` gives the native host a test file's SoftHSM2 token (and only that one:
 * CAS_TOKEN_MODULES names its module).
 *
 *   const softhsm = useSoftHsm();
 *   const browser = useTokenBrowser(softhsm);
 *   it('…', async () => { const page = await browser.context.newPage(); … });
 */
import { afterAll, beforeAll } from 'vitest';
import type { ProvisionedSoftHsm } from '../../scripts/softhsm/provision.js';
import { launchExtensionBrowser } from './chromium-extension.js';
import type { ExtensionBrowser, LaunchOptions } from './chromium-extension.js';
import type { SoftHsmFixture } from './softhsm.js';

/** The environment that has the host use `store`'s token. */
export function tokenEnvironment(store: ProvisionedSoftHsm): Record<string, string> {
  return { ...store.env, CAS_TOKEN_MODULES: store.modulePath };
}

/** The browser launched with `options()` (read in beforeAll, when fixtures are ready). */
export function useExtensionBrowser(options: LaunchOptions | (() => LaunchOptions) = {}): ExtensionBrowser {
  let launched: ExtensionBrowser | undefined;
  beforeAll(async () => {
    launched = await launchExtensionBrowser(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => launched?.close());
  return new Proxy({} as ExtensionBrowser, {
    get(_, property: keyof ExtensionBrowser) {
      if (!launched) throw new Error('the browser is launched in beforeAll: use it inside a test or hook');
      const value = launched[property];
      return typeof value === 'function' ? value.bind(launched) : value;
    },
  });
}

/** The browser whose host uses `softhsm`'s token; `options.env` adds to the token's environment. */
export function useTokenBrowser(softhsm: SoftHsmFixture, options: LaunchOptions = {}): ExtensionBrowser {
  return useExtensionBrowser(() => ({ ...options, env: { ...tokenEnvironment(softhsm.provisioned()), ...options.env } }));
}
