/** The extension's real English messages, as `chrome.i18n.getMessage` gives them, for component tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A path, not new URL(): under happy-dom `URL` is the page's and does not make file paths.
const english = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

/** The English text of a message with its $1…$9 substituted. */
export const en = (key: string, substitutions: string[] = []): string => english[key]!.message.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');

/** A stand-in for chrome.i18n.getMessage: '' for an unknown key, as the browser answers. */
export const getEnglishMessage = (key: string, substitutions?: string[]): string => (key in english ? en(key, substitutions) : '');
