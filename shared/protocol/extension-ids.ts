/**
 * The extension's identities. Chromium derives the id from the manifest's fixed `key` (the SHA-256 of
 * the public key DER, first 32 hex digits mapped 0-f → a-p), so development builds keep one id; the
 * native host manifest allows exactly these.
 */
export const CHROMIUM_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt1oyiphZeNtcZV/fZ0JziccurnITc6UxMYc95JOLYSWCHUXqxCap2d1GBvcltH/ZTb40J8piTmiYKQbsGuBASSOG4KOyvSNK21kKefTY6KydWB0rR5d0LtBqnmYJ3obnVHb/DJPdTiXbe719+Kchs9J3vzJInqwNsmGlLU2y1kHB3trnu7i5gtDetqIRj8BA13OI93yAorXalfSxNptdX2b7Y2GH1JjwqBOhQ/8cpE8vRWAuiIY/HztdebxaRUAUV9LUKzP3hpgNYAK+7aqfu0TU5QF9y1jHxBdwZNj7cmV5aEgSFxPaKZuNCDDeXpXHO7h3z8JPv57uXvUFd2yaqwIDAQAB';
export const CHROMIUM_EXTENSION_ID = 'ajmhonaiblmmfkmibljfnabdpbbpcfdm';
export const FIREFOX_EXTENSION_ID = 'cas-token@castoken.eu';
