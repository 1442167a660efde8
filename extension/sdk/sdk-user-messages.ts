/**
 * The sentences for the errors the page SDK raises itself, before or without the extension (no
 * extension, no answer in time, a request too large, a page that is not secure): the same words the
 * extension's `_locales` give these codes (a unit test keeps them equal), carried as `userMessage` in
 * the page's language like every error the extension answers. A small table here, so the SDK does not
 * ship all of the extension's messages.
 */
import type { ErrorCode } from '../../shared/protocol/error-codes.js';

export type SdkErrorCode = Extract<ErrorCode, 'EXTENSION_UNAVAILABLE' | 'TIMEOUT' | 'MESSAGE_TOO_LARGE' | 'INSECURE_CONTEXT'>;
export type SdkLanguage = 'ro' | 'en' | 'ru';

/** `_locales` message key of each code (the extension's error-keys.ts gives the same). */
export const SDK_ERROR_KEYS: Record<SdkErrorCode, string> = {
  EXTENSION_UNAVAILABLE: 'errorExtensionUnavailable',
  TIMEOUT: 'errorTimeout',
  MESSAGE_TOO_LARGE: 'errorMessageTooLarge',
  INSECURE_CONTEXT: 'errorInsecureContext',
};

export const SDK_USER_MESSAGES: Record<SdkLanguage, Record<SdkErrorCode, string>> = {
  en: {
    EXTENSION_UNAVAILABLE: 'The CAS Token extension did not answer: check that it is installed and turned on.',
    TIMEOUT: 'No answer in time.',
    MESSAGE_TOO_LARGE: 'The data is too large for CAS Token.',
    INSECURE_CONTEXT: 'The page is not secure (https): CAS Token does not work with it.',
  },
  ro: {
    EXTENSION_UNAVAILABLE: 'Extensia CAS Token nu a răspuns: verificați că este instalată și activată.',
    TIMEOUT: 'Niciun răspuns în timp util.',
    MESSAGE_TOO_LARGE: 'Datele sunt prea mari pentru CAS Token.',
    INSECURE_CONTEXT: 'Pagina nu este securizată (https): CAS Token nu funcționează cu ea.',
  },
  ru: {
    EXTENSION_UNAVAILABLE: 'Расширение CAS Token не ответило: проверьте, что оно установлено и включено.',
    TIMEOUT: 'Нет ответа вовремя.',
    MESSAGE_TOO_LARGE: 'Данные слишком велики для CAS Token.',
    INSECURE_CONTEXT: 'Страница не защищена (https): CAS Token с ней не работает.',
  },
};

/** The sentence for `code` in a page language tag (`ro`, `ru-RU`, `en_GB`; any other language: English). */
export function sdkUserMessage(code: SdkErrorCode, lang: string | undefined): string {
  const primary = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  const language: SdkLanguage = primary === 'ro' || primary === 'ru' ? primary : 'en';
  return SDK_USER_MESSAGES[language][code];
}
