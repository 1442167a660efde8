/**
 * The CLI's catalogue: its language from LC_ALL, then LC_MESSAGES, then LANG; its error sentences the
 * extension's own (public/_locales), word for word, so a user reads the same sentence in both.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueFor, cliLanguage } from '../../../native-host/cli/cli-messages.js';

/** The extension's message for a code, where it has one (extension/ui/error-text.tsx, and the PIN window's "wrong PIN"). */
const LOCALE_KEYS: Record<string, string> = {
  HOST_UNAVAILABLE: 'errorHostUnavailable',
  NO_MODULE: 'errorNoModule',
  MODULE_LOAD_FAILED: 'errorModuleLoadFailed',
  NO_TOKEN: 'errorNoToken',
  TOKEN_FAILED: 'errorTokenFailed',
  TOKEN_BUSY: 'errorTokenBusy',
  CERTIFICATE_NOT_FOUND: 'errorCertificateNotFound',
  KEY_NOT_FOUND: 'errorKeyNotFound',
  MECHANISM_NOT_SUPPORTED: 'errorMechanismNotSupported',
  FORMAT_NOT_SUPPORTED: 'errorFormatNotSupported',
  PIN_REQUIRED: 'errorPinRequired',
  PIN_INCORRECT: 'pinWrong',
  PIN_LOCKED: 'errorPinLocked',
  PIN_INVALID: 'errorPinInvalid',
  DOCUMENT_LOCKED: 'errorDocumentLocked',
  DOCUMENT_DAMAGED: 'errorDocumentDamaged',
  SIGNATURE_PLACEMENT_INVALID: 'errorSignaturePlacementInvalid',
  USER_CANCELLED: 'errorUserCancelled',
  TIMEOUT: 'errorTimeout',
  INTERNAL_ERROR: 'errorInternal',
};

describe('cas-token messages', () => {
  it('takes the language from LC_ALL, then LC_MESSAGES, then LANG; English for anything else', () => {
    expect(cliLanguage({ LANG: 'ro_RO.UTF-8' })).toBe('ro');
    expect(cliLanguage({ LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(cliLanguage({ LANG: 'ro_RO.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8' })).toBe('ru');
    expect(cliLanguage({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8', LC_ALL: 'ro_RO.UTF-8' })).toBe('ro');
    expect(cliLanguage({ LANG: 'ro_RO.UTF-8', LC_ALL: '' })).toBe('ro');
    expect(cliLanguage({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliLanguage({ LANG: 'C' })).toBe('en');
    expect(cliLanguage({})).toBe('en');
  });

  it.each(['ro', 'ru'] as const)("the %s error sentences are the extension's own, word for word", (language) => {
    const locale = JSON.parse(readFileSync(`public/_locales/${language}/messages.json`, 'utf8')) as Record<string, { message: string }>;
    const errors = catalogueFor(language).errors;
    for (const [code, key] of Object.entries(LOCALE_KEYS)) expect(errors[code as keyof typeof errors], code).toBe(locale[key]!.message);
  });
});
