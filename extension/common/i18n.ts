/**
 * User-facing strings come from `_locales/{en,ro,ru}/messages.json` through the browser, which picks
 * the user's language. `MessageKey` is a key of the English file, so a key missing there is a type
 * error; the locale test checks that Romanian and Russian have exactly the same keys.
 *
 * Counts go through `plural()`: one message per plural category of `Intl.PluralRules` (ro: one, few,
 * other; ru: one, few, many, other; en: one, other; each file has all four keys, en repeats "other"),
 * so a sentence never says "câmp(uri)". Numbers and sizes are written in the language's own format
 * ("256,8 KB" in ro and ru, bytes spelled out under 1 KB). The language is the one the messages are in
 * (`localeCode`, a message of its own), never a guess from the system.
 */
import type englishMessages from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof englishMessages;

/** The message in the browser's language; `$1`…`$9` in it take the substitutions in order. */
export function t(key: MessageKey, substitutions?: string[]): string {
  const message = chrome.i18n.getMessage(key, substitutions);
  return message || key;
}

/** The language the messages are shown in (`ro`, `ru`, `en`): the one to format numbers and plurals for. */
export function messagesLocale(): string {
  return chrome.i18n.getMessage('localeCode') || 'en';
}

type PluralCategory = 'one' | 'few' | 'many' | 'other';
type PluralKeys = Record<PluralCategory, MessageKey>;

/** Sentences with a count, by plural category (`$1` is the count; the rest of the substitutions follow). */
const PLURALS = {
  fieldsFilled: { one: 'fieldsFilledOne', few: 'fieldsFilledFew', many: 'fieldsFilledMany', other: 'fieldsFilledOther' },
  fieldsRestored: { one: 'fieldsRestoredOne', few: 'fieldsRestoredFew', many: 'fieldsRestoredMany', other: 'fieldsRestoredOther' },
  fieldsSkipped: { one: 'fieldsSkippedOne', few: 'fieldsSkippedFew', many: 'fieldsSkippedMany', other: 'fieldsSkippedOther' },
  pinWrongAttemptsLeft: { one: 'pinWrongAttemptsLeftOne', few: 'pinWrongAttemptsLeftFew', many: 'pinWrongAttemptsLeftMany', other: 'pinWrongAttemptsLeftOther' },
  promptWaiting: { one: 'promptWaitingOne', few: 'promptWaitingFew', many: 'promptWaitingMany', other: 'promptWaitingOther' },
  signAll: { one: 'signAllOne', few: 'signAllFew', many: 'signAllMany', other: 'signAllOther' },
  signFilesSavedFolder: { one: 'signFilesSavedFolderOne', few: 'signFilesSavedFolderFew', many: 'signFilesSavedFolderMany', other: 'signFilesSavedFolderOther' },
  sizeBytes: { one: 'sizeBytesOne', few: 'sizeBytesFew', many: 'sizeBytesMany', other: 'sizeBytesOther' },
} as const satisfies Record<string, PluralKeys>;

/** Sentences whose count is not the first substitution: the count's position is given by the caller. */
const PLURALS_AT = {
  certificateExpiresSoon: { one: 'certificateExpiresSoonOne', few: 'certificateExpiresSoonFew', many: 'certificateExpiresSoonMany', other: 'certificateExpiresSoonOther' },
  expiringMessage: { one: 'expiringMessageOne', few: 'expiringMessageFew', many: 'expiringMessageMany', other: 'expiringMessageOther' },
} as const satisfies Record<string, PluralKeys>;

export type PluralMessage = keyof typeof PLURALS;
export type PluralMessageAt = keyof typeof PLURALS_AT;

/** Intl objects are costly to build (a list of 300 files formats 300 sizes at each render): one per locale and kind. */
const formatters = new Map<string, Intl.NumberFormat | Intl.PluralRules>();
function formatter<T extends Intl.NumberFormat | Intl.PluralRules>(kind: string, make: (locale: string) => T): T {
  const locale = messagesLocale();
  const key = `${kind} ${locale}`;
  let made = formatters.get(key) as T | undefined;
  if (!made) formatters.set(key, (made = make(locale)));
  return made;
}

function categoryOf(count: number): PluralCategory {
  const category = formatter('plural', (locale) => new Intl.PluralRules(locale)).select(count);
  return category === 'one' || category === 'few' || category === 'many' ? category : 'other';
}

/** A count in the language's format: "1 234" in ru, "1.234" in ro. */
export function formatCount(count: number): string {
  return formatter('count', (locale) => new Intl.NumberFormat(locale)).format(count);
}

/** The sentence for `count` in the right plural form; `$1` is the formatted count, `rest` are $2… */
export function plural(message: PluralMessage, count: number, rest: string[] = []): string {
  return t(PLURALS[message][categoryOf(count)], [formatCount(count), ...rest]);
}

/** The same for a sentence whose count is the substitution at `substitutions[countIndex]`. */
export function pluralAt(message: PluralMessageAt, substitutions: string[], countIndex: number, count: number): string {
  const all = substitutions.map((value, index) => (index === countIndex ? formatCount(count) : value));
  return t(PLURALS_AT[message][categoryOf(count)], all);
}

/** A file size as a user reads it: bytes (spelled out) under 1 KB, then KB or MB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return plural('sizeBytes', bytes);
  const decimal = formatter('decimal', (locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  if (bytes < 1024 * 1024) return t('sizeKilobytes', [decimal.format(bytes / 1024)]);
  return t('sizeMegabytes', [decimal.format(bytes / 1024 / 1024)]);
}
