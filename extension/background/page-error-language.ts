/**
 * Errors answered to web pages carry, besides the stable code and the English technical `message`, a
 * `userMessage`: the sentence for the site's user in the page's language (the request's `lang`: the
 * page's <html lang> or the SDK's setLanguage()). Romanian and Russian have ours; any other language
 * gets English. The sentences are the extension's own messages.json, read from the package.
 */
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import { errorMessageKey } from '../common/error-keys.js';

type Messages = Record<string, { message: string } | undefined>;
export type PageLocale = 'ro' | 'ru' | 'en';

const loaded = new Map<PageLocale, Promise<Messages>>();

/** Our locale for a page's language tag: ro-RO → ro, ru → ru, anything else (or none) → en. */
export function pageLocale(lang: string | undefined): PageLocale {
  const primary = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'ro' || primary === 'mo' ? 'ro' : primary === 'ru' ? 'ru' : 'en';
}

function messagesOf(locale: PageLocale): Promise<Messages> {
  let messages = loaded.get(locale);
  if (!messages) {
    messages = fetch(chrome.runtime.getURL(`_locales/${locale}/messages.json`)).then((response) => response.json() as Promise<Messages>);
    messages.catch(() => loaded.delete(locale));
    loaded.set(locale, messages);
  }
  return messages;
}

/** The payload with its `userMessage` in the page's language (as it was, should the sentences not load). */
export async function withUserMessage(payload: ErrorPayload, lang: string | undefined): Promise<ErrorPayload> {
  try {
    const messages = await messagesOf(pageLocale(lang));
    const sentence = messages[errorMessageKey(payload)]?.message;
    return sentence ? { ...payload, userMessage: sentence } : payload;
  } catch {
    return payload;
  }
}
