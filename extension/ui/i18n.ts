/**
 * User-facing strings come from `_locales/{en,ro,ru}/messages.json` through the browser, which picks
 * the user's language. A key missing from the locales is a bug the locale test catches.
 */
export function t(key: string, substitutions?: string[]): string {
  const message = chrome.i18n.getMessage(key, substitutions);
  return message || key;
}
