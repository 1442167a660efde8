/**
 * ECDSA signatures in their two encodings, converted in one place: IEEE P1363 r||s (what CKM_ECDSA
 * returns, what WebCrypto and XML-DSig want) and DER ECDSA-Sig-Value (what CMS, PKCS#10 and X.509 carry).
 */
import * as asn1js from 'asn1js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { bytesToHex } from '../encoding/hex.js';

/** r||s as DER ECDSA-Sig-Value: SEQUENCE { r INTEGER, s INTEGER }, minimal positive INTEGERs. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new CasTokenError('INTERNAL_ERROR', `The token returned an ECDSA signature of odd length ${raw.length}.`);
  }
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array): asn1js.Integer => asn1js.Integer.fromBigInt(BigInt(`0x${bytesToHex(bytes)}`));
  const sequence = new asn1js.Sequence({ value: [integer(raw.subarray(0, half)), integer(raw.subarray(half))] });
  return new Uint8Array(sequence.toBER(false));
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
