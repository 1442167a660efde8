/**
 * The extension's real English messages, as `chrome.i18n.getMessage` gives them, for component tests,
 * and the check that a screen in another language shows none of them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A path, not new URL(): under happy-dom `URL` is the page's and does not make file paths.
const locales = join(dirname(fileURLToPath(import.meta.url)), '../../public/_locales');
type Messages = Record<string, { message: string }>;
/** The extension's messages in a language of public/_locales. */
export const messagesOf = (locale: string): Messages => JSON.parse(readFileSync(join(locales, locale, 'messages.json'), 'utf8')) as Messages;
const english = messagesOf('en');

/** The English text of a message with its $1…$9 substituted. */
export const en = (key: string, substitutions: string[] = []): string => english[key]!.message.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');

/** A stand-in for chrome.i18n.getMessage: '' for an unknown key, as the browser answers. */
export const getEnglishMessage = (key: string, substitutions?: string[]): string => (key in english ? en(key, substitutions) : '');

/**
 * Our English sentences (the words around placeholders, 12 characters or more) found in `text`, which
 * a ro/ru screen must not show. Messages that read the same in `locale` ("PDF", "SHA-256"…) are left out.
 */
export function englishSentencesIn(text: string, locale: string): string[] {
  const translated = messagesOf(locale);
  return Object.entries(english)
    .filter(([key, { message }]) => message !== translated[key]?.message)
    .flatMap(([, { message }]) => message.split(/\$\d/).map((part) => part.trim()))
    .filter((part) => part.length >= 12 && text.includes(part));
}
