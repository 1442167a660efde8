/**
 * The CLI's catalogue: its language from LC_ALL, then LC_MESSAGES, then LANG; its error sentences the
 * extension's own (public/_locales), word for word, so a user reads the same sentence in both.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueFor, cliLanguage } from '../../../native-host/cli/cli-messages.js';
import { errorMessageKey } from '../../../extension/common/error-keys.js';

/** The CLI's own sentence (about a command typed wrong), not the extension's (about what a page sent). */
const CLI_OWN_SENTENCES = new Set(['INVALID_ARGUMENT']);

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

  it('Romanian and Russian say the same error codes in their own words', () => {
    expect(Object.keys(catalogueFor('ru').errors).sort()).toEqual(Object.keys(catalogueFor('ro').errors).sort());
  });

  it.each(['ro', 'ru'] as const)("the %s error sentences are the extension's own, word for word", (language) => {
    const locale = JSON.parse(readFileSync(`public/_locales/${language}/messages.json`, 'utf8')) as Record<string, { message: string }>;
    const errors = Object.entries(catalogueFor(language).errors).filter(([code]) => !CLI_OWN_SENTENCES.has(code));
    expect(errors.length).toBeGreaterThan(0);
    // The extension's message for each code: the one its pages show (extension/common/error-keys.ts).
    for (const [code, sentence] of errors) expect(sentence, code).toBe(locale[errorMessageKey({ code })]!.message);
  });
});
