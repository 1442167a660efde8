/**
 * The page SDK's own errors (no extension, no answer in time, too large, not secure) say the same
 * sentence as the extension's `_locales` for that code, in the page's language; a language we do not
 * speak gets English.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_ERROR_KEYS, SDK_USER_MESSAGES, sdkUserMessage } from '../../../extension/sdk/sdk-user-messages.js';
import type { SdkErrorCode, SdkLanguage } from '../../../extension/sdk/sdk-user-messages.js';

const locale = (lang: SdkLanguage): Record<string, { message: string }> => JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>;

describe('the page SDK own error sentences', () => {
  it.each(['ro', 'en', 'ru'] as const)("are the extension's words in %s", (lang) => {
    for (const [code, key] of Object.entries(SDK_ERROR_KEYS) as [SdkErrorCode, string][]) {
      expect({ code, sentence: SDK_USER_MESSAGES[lang][code] }).toEqual({ code, sentence: locale(lang)[key]!.message });
    }
  });

  it('follow the page language tag, English for the others', () => {
    expect(sdkUserMessage('TIMEOUT', 'ro')).toBe(locale('ro').errorTimeout!.message);
    expect(sdkUserMessage('TIMEOUT', 'ru-RU')).toBe(locale('ru').errorTimeout!.message);
    expect(sdkUserMessage('TIMEOUT', 'RO_md')).toBe(locale('ro').errorTimeout!.message);
    expect(sdkUserMessage('TIMEOUT', 'de')).toBe(locale('en').errorTimeout!.message);
    expect(sdkUserMessage('TIMEOUT', undefined)).toBe(locale('en').errorTimeout!.message);
  });
});
