/**
 * The extension's identities. Chromium derives the id from the manifest's fixed `key` (the SHA-256 of
 * the public key DER, first 32 hex digits mapped 0-f → a-p), so development builds keep one id; the
 * native host manifest allows exactly these.
 */
export const CHROMIUM_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt1oyiphZeNtcZV/fZ0JziccurnITc6UxMYc95JOLYSWCHUXqxCap2d1GBvcltH/ZTb40J8piTmiYKQbsGuBASSOG4KOyvSNK21kKefTY6KydWB0rR5d0LtBqnmYJ3obnVHb/DJPdTiXbe719+Kchs9J3vzJInqwNsmGlLU2y1kHB3trnu7i5gtDetqIRj8BA13OI93yAorXalfSxNptdX2b7Y2GH1JjwqBOhQ/8cpE8vRWAuiIY/HztdebxaRUAUV9LUKzP3hpgNYAK+7aqfu0TU5QF9y1jHxBdwZNj7cmV5aEgSFxPaKZuNCDDeXpXHO7h3z8JPv57uXvUFd2yaqwIDAQAB';
export const CHROMIUM_EXTENSION_ID = 'ajmhonaiblmmfkmibljfnabdpbbpcfdm';
export const FIREFOX_EXTENSION_ID = 'cas-token@castoken.eu';

/**
 * The ids the stores give the published extension. Chrome Web Store and Edge Add-ons assign their own
 * ids to an uploaded item (the store zip carries no `key`), so they differ from CHROMIUM_EXTENSION_ID;
 * AMO keeps the gecko id of manifest.json. Every native host manifest allows all of them (development
 * and stores): `cas-token install`, the .deb, the MSI. Add a Chromium store's id here once it is assigned.
 */
export const STORE_EXTENSION_IDS: { readonly chromium: readonly string[]; readonly firefox: readonly string[] } = {
  chromium: [],
  firefox: [FIREFOX_EXTENSION_ID],
};

/** The Chromium extension ids a host manifest allows: the development build's, then the stores'. */
export const ALLOWED_CHROMIUM_EXTENSION_IDS: readonly string[] = [...new Set([CHROMIUM_EXTENSION_ID, ...STORE_EXTENSION_IDS.chromium])];
/** The Firefox add-on ids a host manifest allows. */
export const ALLOWED_FIREFOX_EXTENSION_IDS: readonly string[] = [...new Set([FIREFOX_EXTENSION_ID, ...STORE_EXTENSION_IDS.firefox])];
