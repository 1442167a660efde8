/**
 * What signed files are called and which format a file gets by its name: shared by the command line, the
 * extension's background and its Sign files page. Plain functions, no schema library: the command line
 * loads this for every batch.
 */
import type { DocumentFormat } from './page-messages.js';

/** The format a document gets when the page does not say: PDF → PAdES, XML → XAdES, anything else → CAdES. */
export function defaultFormatForName(name: string): DocumentFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.pdf')) return 'pades';
  if (lower.endsWith('.xml')) return 'xades';
  return 'cades';
}

/** The word a signed copy's name gets, in the user's language: factura-semnat.pdf, invoice-signed.pdf, счёт-подписан.pdf. */
export const SIGNED_NAME_SUFFIXES = { ro: '-semnat', en: '-signed', ru: '-подписан' } as const;
export type SignedNameLanguage = keyof typeof SIGNED_NAME_SUFFIXES;

/** What a signed file is called: `x.pdf` → `x-signed.pdf`; CAdES `x.bin` → `x.bin.p7s`, attached `x.bin.sig`. */
export function signedFileName(name: string, format: DocumentFormat, attached = false, language: SignedNameLanguage = 'en'): string {
  if (format === 'cades') return `${name}.${attached ? 'sig' : 'p7s'}`;
  const suffix = SIGNED_NAME_SUFFIXES[language] ?? SIGNED_NAME_SUFFIXES.en;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}${suffix}${name.slice(dot)}` : `${name}${suffix}`;
}

/** `name` if it is not taken, else `name (2)`, `name (3)`, … before the extension: nothing is overwritten. */
export function freeFileName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!taken(candidate)) return candidate;
  }
}
