/** Lower-case, without diacritics (ă â î ș ş ț ţ → a a i s s t t; Cyrillic kept), punctuation dropped, spaces collapsed. */
export function normaliseLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/([a-zA-Z])[\u0300-\u036f]+/g, '$1') // Latin diacritics only: Cyrillic й ё keep theirs
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ş]/g, 's')
    .replace(/[ţ]/g, 't')
    .replace(/[:*()[\]_#|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
