/**
 * fontkit (TrueType parsing and subsetting, for a visible signature's box) loaded on first use:
 * evaluating it decodes its Brotli dictionary and Unicode tables, about 100 ms that a batch of
 * invisible signatures never needs (the CLI's start-up paid it for every month-end batch).
 * An extension service worker cannot `import()` (the HTML specification forbids it there), so the
 * background imports fontkit statically and hands it over with `provideFontkit`, as for Streebog.
 */
import type { PDFDocument } from 'pdf-lib';

export type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

let loaded: Promise<Fontkit> | undefined;

/** For a context that cannot import on demand (an extension service worker). */
export function provideFontkit(fontkit: Fontkit): void {
  loaded = Promise.resolve(fontkit);
}

export function loadFontkit(): Promise<Fontkit> {
  loaded ??= import('@pdf-lib/fontkit').then((module) => (module as { default: Fontkit }).default);
  return loaded;
}
