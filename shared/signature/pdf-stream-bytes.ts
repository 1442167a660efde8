/**
 * A PDF stream's decoded bytes, for the streams signing reads (cross-reference and object streams).
 *
 * pdf-lib inflates FlateDecode in JavaScript. Where a native zlib is at hand (the CLI: node:zlib) the
 * caller passes it: a real PDF's object and cross-reference streams are inflated ~4× faster, which is
 * a good part of what signing a typical PDF costs beyond the token (profiled: ~0.3 s of CPU in a
 * 300-PDF batch of a 650-object document). The native inflate is strict, pdf-lib's is forgiving: data
 * the native one refuses (a truncated stream, a wrong checksum) is handed to pdf-lib as before.
 */
import { PDFArray, PDFName, decodePDFRawStream } from 'pdf-lib';
import type { PDFRawStream } from 'pdf-lib';

/** Inflates zlib-wrapped deflate data (what /FlateDecode holds); throws on data it cannot inflate. */
export type FlateInflate = (deflated: Uint8Array) => Uint8Array;

/** The stream's bytes with its filters undone (predictors are the caller's, as with pdf-lib). */
export function decodedStreamBytes(stream: PDFRawStream, inflate?: FlateInflate): Uint8Array {
  if (inflate) {
    const filter = stream.dict.lookup(PDFName.of('Filter'));
    const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
    if (only === PDFName.of('FlateDecode')) {
      try {
        return inflate(stream.contents);
      } catch {
        // Refused by the strict inflate: pdf-lib's reads what it can, as it did before.
      }
    }
  }
  return decodePDFRawStream(stream).decode();
}
