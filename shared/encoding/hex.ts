/** Every byte's two lower-case hex digits, made once: a table lookup a byte (a PDF signature's /Contents is written in hex). */
const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Bytes → hex in any JavaScript runtime: lower case, two digits a byte, optionally separated. */
export function bytesToHex(bytes: Uint8Array | ArrayBuffer, separator = ''): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (separator) return Array.from(view, (byte) => HEX_DIGITS[byte]!).join(separator);
  let hex = '';
  for (let i = 0; i < view.length; i++) hex += HEX_DIGITS[view[i]!]!;
  return hex;
}

const HEX_CODES = new TextEncoder().encode('0123456789abcdef');

/** Bytes → their hex as ASCII bytes (what a PDF's /Contents holds), without a string in between. */
export function bytesToHexAscii(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = HEX_CODES[bytes[i]! >> 4]!;
    out[2 * i + 1] = HEX_CODES[bytes[i]! & 15]!;
  }
  return out;
}
