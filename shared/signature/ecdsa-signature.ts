/**
 * ECDSA signatures in their two encodings, converted in one place: IEEE P1363 r||s (what CKM_ECDSA
 * returns, what WebCrypto and XML-DSig want) and DER ECDSA-Sig-Value (what CMS, PKCS#10 and X.509 carry).
 */
import * as asn1js from 'asn1js';
import { CasTokenError } from '../protocol/cas-token-error.js';

/** r||s as DER ECDSA-Sig-Value: SEQUENCE { r INTEGER, s INTEGER }, minimal positive INTEGERs. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new CasTokenError('INTERNAL_ERROR', `The token returned an ECDSA signature of odd length ${raw.length}.`);
  }
  const half = raw.length / 2;
  // Written directly into one array (asn1js, a BigInt or intermediate arrays per signature cost more than a
  // P-256 signature on a software token). Minimal INTEGERs: no leading zero bytes, and a leading zero when
  // the high bit is set (positive).
  let rStart = 0;
  while (rStart < half - 1 && raw[rStart] === 0) rStart++;
  let sStart = half;
  while (sStart < raw.length - 1 && raw[sStart] === 0) sStart++;
  const rSign = raw[rStart]! & 0x80 ? 1 : 0;
  const sSign = raw[sStart]! & 0x80 ? 1 : 0;
  const rLength = half - rStart + rSign;
  const sLength = raw.length - sStart + sSign;
  const contentLength = 2 + lengthOctets(rLength) + rLength + lengthOctets(sLength) + sLength;
  const der = new Uint8Array(1 + lengthOctets(contentLength) + contentLength);
  // Byte loops, not subarray + set: a view object per integer (a Buffer's, from the token) costs more than copying 32 bytes.
  let at = 0;
  der[at++] = 0x30;
  at = writeLength(der, at, contentLength);
  der[at++] = 0x02;
  at = writeLength(der, at, rLength);
  at += rSign; // the sign byte is the array's zero
  for (let i = rStart; i < half; i++) der[at++] = raw[i]!;
  der[at++] = 0x02;
  at = writeLength(der, at, sLength);
  at += sSign;
  for (let i = sStart; i < raw.length; i++) der[at++] = raw[i]!;
  return der;
}

/** A DER length field at `at` (up to 0xffff); where the next byte goes. */
function writeLength(der: Uint8Array, at: number, length: number): number {
  if (length >= 0x100) {
    der[at++] = 0x82;
    der[at++] = length >> 8;
  } else if (length >= 0x80) {
    der[at++] = 0x81;
  }
  der[at++] = length & 0xff;
  return at;
}

/** How many octets the DER length field of `length` takes (up to 0xffff). */
function lengthOctets(length: number): number {
  return length < 0x80 ? 1 : length < 0x100 ? 2 : 3;
}

/** DER ECDSA-Sig-Value → r||s, each padded to `size` bytes (the curve's coordinate size). */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const sequence = asn1js.fromBER(der).result as asn1js.Sequence;
  const raw = new Uint8Array(size * 2);
  sequence.valueBlock.value.slice(0, 2).forEach((integer, index) => {
    let bytes = new Uint8Array((integer as asn1js.Integer).valueBlock.valueHexView);
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    raw.set(bytes, index * size + (size - bytes.length));
  });
  return raw;
}
