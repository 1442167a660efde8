/**
 * A label as words: lower-case, without Latin diacritics (ă â î ș ş ț ţ → a a i s s t t; Cyrillic
 * kept), every punctuation mark, symbol, dash, slash, non-breaking or zero-width space between the
 * words read as one space, a leading enumeration ("1.", "2.3)") and the "required" marks
 * ("*", "(obligatoriu)", "(required)", "(обязательно)") dropped. So "Valabilitate – de la",
 * "Valabil: de la / până la" and "Nr. serie cert." read as "valabilitate de la", "valabil de la
 * pana la" and "nr serie cert": the vocabulary matches words, never punctuation.
 */
const NOISE_WORDS = /(^|\s)(obligatori[ue]|optional|facultativ|required|optional|обязательно|необязательно)(?=\s|$)/g;

export function normaliseLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/([a-zA-Z])[\u0300-\u036f]+/g, '$1') // Latin diacritics only: Cyrillic й ё keep theirs
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ş]/g, 's')
    .replace(/[ţ]/g, 't')
    .replace(/\u200c|\u200d|\u00ad/g, '') // joiners and soft hyphens sit inside a word
    .replace(/[\p{P}\p{S}\p{Z}\s\u200b\u2060\ufeff]+/gu, ' ') // a zero-width space or word joiner between words is a space
    .trim()
    .replace(/^\d+( \d+)* (?=\p{L})/u, '') // "1. Serie", "2.3) Emitent"
    .replace(NOISE_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
