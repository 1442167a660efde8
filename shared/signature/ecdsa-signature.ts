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
  // Written directly (asn1js and a BigInt per signature cost more than a P-256 signature on a software token).
  const length = (n: number): number[] => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
  const integer = (bytes: Uint8Array): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++; // minimal: no leading zero bytes
    const value = Array.from(bytes.subarray(start));
    if (value[0]! & 0x80) value.unshift(0); // positive: a leading zero when the high bit is set
    return [0x02, ...length(value.length), ...value];
  };
  const content = [...integer(raw.subarray(0, half)), ...integer(raw.subarray(half))];
  return Uint8Array.from([0x30, ...length(content.length), ...content]);
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
