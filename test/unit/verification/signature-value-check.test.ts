/**
 * The signature value check over WebCrypto, with keys made by WebCrypto itself: RSA PKCS#1 v1.5,
 * RSA-PSS (its parameters read from the AlgorithmIdentifier) and ECDSA (DER signatures as CMS carries
 * them, turned into r||s); a changed byte fails; unknown algorithms are `unsupported` (GOST against
 * OpenSSL: test/integration/verify/verify-gost.test.ts).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { GOST_OIDS } from '../../../shared/protocol/gost-algorithms.js';
import { checkSignatureValue } from '../../../shared/verification/signature-value-check.js';

const subtle = globalThis.crypto.subtle;
const data = new TextEncoder().encode('Decont lunar — semnat');
const SHA256 = '2.16.840.1.101.3.4.2.1';

async function publicKeyInfo(key: CryptoKey): Promise<pkijs.PublicKeyInfo> {
  return new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(await subtle.exportKey('spki', key)).result });
}

/** r||s → DER ECDSA-Sig-Value. */
function rawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array): asn1js.Integer => {
    let trimmed = bytes;
    while (trimmed.length > 1 && trimmed[0] === 0) trimmed = trimmed.subarray(1);
    const positive = trimmed[0]! & 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed;
    return new asn1js.Integer({ valueHex: positive.slice().buffer });
  };
  return new Uint8Array(new asn1js.Sequence({ value: [integer(raw.subarray(0, half)), integer(raw.subarray(half))] }).toBER(false));
}

const flipped = (bytes: Uint8Array): Uint8Array => {
  const copy = bytes.slice();
  copy[copy.length - 1]! ^= 1;
  return copy;
};

describe('checkSignatureValue', () => {
  it('RSA PKCS#1 v1.5 (sha256WithRSAEncryption and bare rsaEncryption with the digest OID)', async () => {
    const keys = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const signature = new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, data));
    const publicKey = await publicKeyInfo(keys.publicKey);
    for (const algorithmId of ['1.2.840.113549.1.1.11', '1.2.840.113549.1.1.1']) {
      const signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId, algorithmParams: new asn1js.Null() });
      expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: SHA256, data, signature })).toBe('passed');
      expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: SHA256, data, signature: flipped(signature) })).toBe('failed');
    }
  });

  it('RSA-PSS with SHA-384 and a 48-byte salt, read from the parameters', async () => {
    const keys = await subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, true, ['sign', 'verify']);
    const signature = new Uint8Array(await subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, keys.privateKey, data));
    const hashAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.2' });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.8', algorithmParams: hashAlgorithm.toSchema() }),
      saltLength: 48,
    });
    const signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.10', algorithmParams: params.toSchema() });
    const publicKey = await publicKeyInfo(keys.publicKey);
    expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: '2.16.840.1.101.3.4.2.2', data, signature })).toBe('passed');
    expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: '2.16.840.1.101.3.4.2.2', data: flipped(data), signature })).toBe('failed');
  });

  it.each([
    ['P-256', 'SHA-256', '1.2.840.10045.4.3.2'],
    ['P-384', 'SHA-384', '1.2.840.10045.4.3.3'],
  ])('ECDSA %s with %s, the DER signature CMS carries', async (namedCurve, hash, algorithmId) => {
    const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify']);
    const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash }, keys.privateKey, data));
    const publicKey = await publicKeyInfo(keys.publicKey);
    const signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId });
    expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: SHA256, data, signature: rawToDer(raw) })).toBe('passed');
    expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: SHA256, data: flipped(data), signature: rawToDer(raw) })).toBe('failed');
    expect(await checkSignatureValue({ publicKey, signatureAlgorithm, digestOid: SHA256, data, signature: raw })).toBe('failed'); // not DER
  });

  it('a GOST algorithm over a key that is not GOST, and unknown algorithms, are unsupported, never passed', async () => {
    const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const publicKey = await publicKeyInfo(keys.publicKey);
    for (const algorithmId of [GOST_OIDS.signatureWithDigest256, GOST_OIDS.publicKey512, '1.3.101.112']) {
      expect(await checkSignatureValue({ publicKey, signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId }), digestOid: GOST_OIDS.digest256, data, signature: new Uint8Array(64) })).toBe(
        'unsupported',
      );
    }
  });
});
