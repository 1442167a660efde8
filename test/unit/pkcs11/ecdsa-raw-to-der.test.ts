/**
 * ecdsaRawToDer (the token's r||s → DER ECDSA-Sig-Value, written by hand for speed): every signature
 * it converts verifies with Node's crypto as DER, and edge cases (leading zeros, high bits, P-521's
 * long form length) encode exactly as asn1js encodes them.
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { ecdsaRawToDer } from '../../../native-host/pkcs11/signature-mechanism.js';

function asn1jsDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array): asn1js.Integer => asn1js.Integer.fromBigInt(BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`));
  return new Uint8Array(new asn1js.Sequence({ value: [integer(raw.subarray(0, half)), integer(raw.subarray(half))] }).toBER(false));
}

describe('ecdsaRawToDer', () => {
  it.each(['prime256v1', 'secp384r1', 'secp521r1'])('%s: 50 signatures converted from r||s verify as DER', (namedCurve) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 50; i++) {
      const data = randomBytes(64);
      const raw = createSign('sha256').update(data).sign({ key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaRawToDer(new Uint8Array(raw));
      expect(createVerify('sha256').update(data).verify({ key: publicKey, dsaEncoding: 'der' }, Buffer.from(der))).toBe(true);
    }
  });

  it('encodes leading zeros, high bits and long lengths as asn1js does', () => {
    const cases = [
      Buffer.concat([Buffer.alloc(3), randomBytes(29), Buffer.from([0x80]), randomBytes(31)]), // r with zeros, s with high bit
      Buffer.concat([Buffer.from([0xff]), randomBytes(31), Buffer.from([0x00, 0x7f]), randomBytes(30)]),
      Buffer.concat([Buffer.from([0x01]), randomBytes(65), Buffer.from([0x01]), randomBytes(65)]), // P-521 sizes: long form
      Buffer.concat([Buffer.from([0x00, 0x80]), randomBytes(64), Buffer.from([0x00, 0x00]), randomBytes(64)]),
    ];
    for (const raw of cases) expect(Buffer.from(ecdsaRawToDer(new Uint8Array(raw))).toString('hex')).toBe(Buffer.from(asn1jsDer(new Uint8Array(raw))).toString('hex'));
  });
});
