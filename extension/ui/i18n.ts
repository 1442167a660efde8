/**
 * User-facing strings come from `_locales/{en,ro,ru}/messages.json` through the browser, which picks
 * the user's language. `MessageKey` is a key of the English file, so a key missing there is a type
 * error; the locale test checks that Romanian and Russian have exactly the same keys.
 */
import type englishMessages from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof englishMessages;

/** The message in the browser's language; `$1`…`$9` in it take the substitutions in order. */
export function t(key: MessageKey, substitutions?: string[]): string {
  const message = chrome.i18n.getMessage(key, substitutions);
  return message || key;
}
