/**
 * Bytes ↔ base64 in any JavaScript runtime (extension messages and native messages carry binary as
 * base64). Table-driven into a byte array, turned into text by the runtime's own ASCII codec: the
 * Sign files page's batches move megabytes of signed sections through it, where spreading bytes into
 * `String.fromCharCode` for `btoa` cost more than the signing.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = new Uint8Array(64).map((_, i) => ALPHABET.charCodeAt(i));
/** Character code → its 6 bits; 255: not base64. */
const DECODE = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const EQUALS = 0x3d;
const ascii = new TextDecoder('latin1'); // only ASCII bytes are decoded here, where every label agrees
const encoder = new TextEncoder();

export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = ENCODE[(n >>> 6) & 63]!;
    out[o++] = ENCODE[n & 63]!;
  }
  if (whole < bytes.length) {
    const n = (bytes[whole]! << 16) | ((bytes[whole + 1] ?? 0) << 8);
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = whole + 1 < bytes.length ? ENCODE[(n >>> 6) & 63]! : EQUALS;
    out[o++] = EQUALS;
  }
  return ascii.decode(out);
}

/** Strict: what `atob` accepts without spaces (padding optional); anything else throws, as `atob` does. */
export function base64ToBytes(base64: string): Uint8Array {
  const text = encoder.encode(base64);
  let length = text.length;
  if (length % 4 === 0 && length > 0 && text[length - 1] === EQUALS) length -= text[length - 2] === EQUALS ? 2 : 1;
  if (length % 4 === 1) throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  const bytes = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  let i = 0;
  let bad = 0;
  for (const whole = length - (length % 4); i < whole; i += 4) {
    const a = DECODE[text[i]!]!;
    const b = DECODE[text[i + 1]!]!;
    const c = DECODE[text[i + 2]!]!;
    const d = DECODE[text[i + 3]!]!;
    bad |= a | b | c | d;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = n >>> 16;
    bytes[o++] = (n >>> 8) & 255;
    bytes[o++] = n & 255;
  }
  if (i < length) {
    const a = DECODE[text[i]!]!;
    const b = DECODE[text[i + 1]!]!;
    const c = i + 2 < length ? DECODE[text[i + 2]!]! : 0;
    bad |= a | b | c;
    const n = (a << 18) | (b << 12) | (c << 6);
    bytes[o++] = n >>> 16;
    if (i + 2 < length) bytes[o++] = (n >>> 8) & 255;
  }
  if (bad & 0xc0) throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  return bytes;
}
