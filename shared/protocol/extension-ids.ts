/**
 * The extension's identities, and the list every native host manifest allows.
 *
 * Development builds: Chromium derives the id from the manifest's fixed `key` (the SHA-256 of the
 * public key DER, first 32 hex digits mapped 0-f → a-p), so "Load unpacked" always gives
 * CHROMIUM_EXTENSION_ID. Firefox takes the id from `browser_specific_settings.gecko.id`.
 *
 * Store builds: the Chrome Web Store and Edge Add-ons each ASSIGN their own id at the first upload of
 * the zip (the store zip has no `key`; the store keeps the signing key). We have no listing yet, so
 * those ids are not known and are `null` here — never a made-up id, which could be someone else's
 * extension and would then be allowed to talk to the host. They MUST be filled in after the first
 * upload (a draft is enough to get the id) and BEFORE the .deb / MSI / pkg of that release are built:
 * see docs/STORES.md. AMO keeps the gecko id we choose, so the Firefox store id is known today.
 *
 * Every host manifest writer (`cas-token install`, the .deb, the MSI, the macOS pkg) takes its ids from
 * ALLOWED_CHROMIUM_EXTENSION_IDS / ALLOWED_FIREFOX_EXTENSION_IDS (or the `chromiumAllowedOrigins()`
 * form), never from one id alone.
 */
export const CHROMIUM_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt1oyiphZeNtcZV/fZ0JziccurnITc6UxMYc95JOLYSWCHUXqxCap2d1GBvcltH/ZTb40J8piTmiYKQbsGuBASSOG4KOyvSNK21kKefTY6KydWB0rR5d0LtBqnmYJ3obnVHb/DJPdTiXbe719+Kchs9J3vzJInqwNsmGlLU2y1kHB3trnu7i5gtDetqIRj8BA13OI93yAorXalfSxNptdX2b7Y2GH1JjwqBOhQ/8cpE8vRWAuiIY/HztdebxaRUAUV9LUKzP3hpgNYAK+7aqfu0TU5QF9y1jHxBdwZNj7cmV5aEgSFxPaKZuNCDDeXpXHO7h3z8JPv57uXvUFd2yaqwIDAQAB';
/** The development build's id ("Load unpacked" of dist/chrome, derived from CHROMIUM_EXTENSION_KEY). */
export const CHROMIUM_EXTENSION_ID = 'ajmhonaiblmmfkmibljfnabdpbbpcfdm';
/** The gecko id: the same for the development build and the AMO listing (AMO keeps the id we choose). */
export const FIREFOX_EXTENSION_ID = 'cas-token@castoken.eu';

/**
 * The store listings' ids. `null` = no listing yet: fill in at the first upload (docs/STORES.md).
 * A Chromium id is 32 letters a-p; the test in test/unit/install/extension-ids.test.ts checks the form.
 */
export const STORE_EXTENSION_IDS: {
  /** Chrome Web Store, assigned at the first upload (https://chromewebstore.google.com/detail/<id>). */
  readonly chromeWebStore: string | null;
  /** Microsoft Edge Add-ons, assigned at the first upload (Partner Center shows it; it differs from the CWS id). */
  readonly edgeAddons: string | null;
  /** addons.mozilla.org: the gecko id in the manifest. */
  readonly amo: string;
} = {
  chromeWebStore: null,
  edgeAddons: null,
  amo: FIREFOX_EXTENSION_ID,
};

const known = (ids: (string | null)[]): string[] => [...new Set(ids.filter((id): id is string => id !== null))];

/** Every Chromium-family id the host answers: the development build and the store listings known so far. */
export const ALLOWED_CHROMIUM_EXTENSION_IDS: readonly string[] = known([CHROMIUM_EXTENSION_ID, STORE_EXTENSION_IDS.chromeWebStore, STORE_EXTENSION_IDS.edgeAddons]);
/** Every Firefox id the host answers (`allowed_extensions`). */
export const ALLOWED_FIREFOX_EXTENSION_IDS: readonly string[] = known([FIREFOX_EXTENSION_ID, STORE_EXTENSION_IDS.amo]);

/** The `allowed_origins` of a Chromium-family host manifest; `extraIds` for a developer's own unpacked key. */
export function chromiumAllowedOrigins(extraIds: readonly string[] = []): string[] {
  return known([...ALLOWED_CHROMIUM_EXTENSION_IDS, ...extraIds]).map((id) => `chrome-extension://${id}/`);
}
