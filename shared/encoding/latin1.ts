const utf8 = new TextEncoder();
/** Any character above U+007F (where UTF-8 and Latin-1 part ways). */
const BEYOND_ASCII = /[\u0080-\uffff]/;

/** A string of characters U+0000–U+00FF as one byte each (PDF syntax is written so), in any JavaScript runtime. */
export function latin1Bytes(text: string): Uint8Array {
  // PDF syntax and hex are ASCII nearly always: the native encoder then writes the same bytes, many times faster than a loop.
  if (!BEYOND_ASCII.test(text)) return utf8.encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
