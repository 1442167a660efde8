/**
 * Counts and sizes as a Romanian, Russian or English user reads them: the plural form the language
 * needs for each number (from the real messages.json files, through Intl.PluralRules), numbers and
 * sizes in the language's own format, and no "(uri)", "(e)", "(s)" left in any message.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCount, formatSize, plural, pluralAt } from '../../../extension/common/i18n.js';

type Messages = Record<string, { message: string }>;
const messages = (lang: string): Messages => JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Messages;

/** chrome.i18n.getMessage over one language's real file, as the browser does it. */
function speak(lang: string): void {
  const file = messages(lang);
  const getMessage = (key: string, substitutions: string[] = []): string => file[key]?.message.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '') ?? '';
  Object.assign(globalThis, { chrome: { i18n: { getMessage } } });
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'chrome');
});

describe('plurals', () => {
  it('Romanian: 1 câmp, 5 câmpuri, 20 de câmpuri', () => {
    speak('ro');
    expect(plural('fieldsFilled', 1)).toBe('A fost completat 1 câmp:');
    expect(plural('fieldsFilled', 5)).toBe('Au fost completate 5 câmpuri:');
    expect(plural('fieldsFilled', 20)).toBe('Au fost completate 20 de câmpuri:');
    expect(plural('signAll', 101)).toBe('Semnează 101 fișiere cu un singur PIN');
    expect(plural('signAll', 1000)).toBe('Semnează 1.000 de fișiere cu un singur PIN');
  });

  it('Russian: 1 поле, 3 поля, 5 полей, 21 поле', () => {
    speak('ru');
    expect(plural('fieldsFilled', 1)).toBe('Заполнено 1 поле:');
    expect(plural('fieldsFilled', 3)).toBe('Заполнено 3 поля:');
    expect(plural('fieldsFilled', 5)).toBe('Заполнено 5 полей:');
    expect(plural('fieldsFilled', 21)).toBe('Заполнено 21 поле:');
    expect(plural('pinWrongAttemptsLeft', 2)).toBe('Неверный PIN-код: осталось 2 попытки до блокировки токена.');
  });

  it('English: 1 field, 2 fields', () => {
    speak('en');
    expect(plural('fieldsRestored', 1)).toBe('1 field restored.');
    expect(plural('fieldsRestored', 2)).toBe('2 fields restored.');
  });

  it('a count that is not the first substitution takes its place', () => {
    speak('ro');
    expect(pluralAt('certificateExpiresSoon', ['01.02.2027', ''], 1, 1)).toContain('expiră la 01.02.2027 (peste 1 zi)');
    expect(pluralAt('certificateExpiresSoon', ['01.02.2027', ''], 1, 25)).toContain('(peste 25 de zile)');
  });
});

describe('numbers and sizes', () => {
  it("bytes spelled out under 1 KB, then KB and MB with one decimal in the language's format", () => {
    speak('ro');
    expect(formatSize(0)).toBe('0 octeți');
    expect(formatSize(1)).toBe('1 octet');
    expect(formatSize(512)).toBe('512 octeți'); // 12 takes no "de" in Romanian, 20 does
    expect(formatSize(520)).toBe('520 de octeți');
    expect(formatSize(Math.round(256.8 * 1024))).toBe('256,8 KB');
    expect(formatSize(3 * 1024 * 1024 + 300 * 1024)).toBe('3,3 MB');
    expect(formatCount(12345)).toBe('12.345');
    speak('ru');
    expect(formatSize(3)).toBe('3 байта');
    expect(formatSize(Math.round(256.8 * 1024))).toBe('256,8 КБ');
    speak('en');
    expect(formatSize(Math.round(256.8 * 1024))).toBe('256.8 KB');
    expect(formatSize(5)).toBe('5 bytes');
  });

  it('no message hedges a plural with "(s)", "(uri)", "(e)" or "a/b"', () => {
    for (const lang of ['en', 'ro', 'ru']) {
      const hedged = Object.entries(messages(lang)).filter(([, { message }]) => /\w\((s|uri|e|i|ов|а|ы)\)|\bcerere\/cereri\b/.test(message));
      expect({ lang, hedged }).toEqual({ lang, hedged: [] });
    }
  });
});
