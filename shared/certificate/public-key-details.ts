/** Key algorithm, size and curve from a SubjectPublicKeyInfo (RSA, EC, GOST R 34.10-2012, EdDSA). */
import * as asn1js from 'asn1js';
import type { PublicKeyDetails } from './certificate-details.js';
import { GOST_OIDS, OIDS } from '../protocol/oids.js';

const EC_CURVES: Record<string, { name: string; size: number }> = {
  [OIDS.curveP256]: { name: 'P-256', size: 256 },
  [OIDS.curveP384]: { name: 'P-384', size: 384 },
  [OIDS.curveP521]: { name: 'P-521', size: 521 },
  '1.3.132.0.10': { name: 'secp256k1', size: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', size: 192 },
  '1.3.132.0.33': { name: 'P-224', size: 224 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', size: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', size: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', size: 512 },
};

function bitLength(integerContent: Uint8Array): number {
  let bytes = integerContent;
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length === 0) return 0;
  return (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}

export function publicKeyDetails(spki: asn1js.Sequence): PublicKeyDetails {
  const [algorithm, key] = spki.valueBlock.value as [asn1js.Sequence, asn1js.BitString];
  const [oidBlock, params] = algorithm.valueBlock.value;
  const oid = (oidBlock as asn1js.ObjectIdentifier).valueBlock.toString();
  const keyBytes = new Uint8Array(key.valueBlock.valueHexView);
  if (oid === OIDS.rsaEncryption || oid === OIDS.rsassaPss) {
    const rsa = asn1js.fromBER(keyBytes).result as asn1js.Sequence;
    const modulus = rsa.valueBlock.value[0] as asn1js.Integer;
    return { algorithm: oid === OIDS.rsassaPss ? 'RSA-PSS' : 'RSA', size: bitLength(new Uint8Array(modulus.valueBlock.valueHexView)) };
  }
  if (oid === OIDS.ecPublicKey) {
    const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : 'explicit';
    const curve = EC_CURVES[curveOid];
    return { algorithm: 'EC', size: curve?.size ?? Math.max(0, ((keyBytes.length - 1) / 2) * 8), curve: curve?.name ?? curveOid };
  }
  if (oid === GOST_OIDS.publicKey256 || oid === GOST_OIDS.publicKey512) {
    const paramSet = params instanceof asn1js.Sequence ? (params.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString() : undefined;
    const size = oid === GOST_OIDS.publicKey256 ? 256 : 512;
    return { algorithm: `GOST2012-${size}`, size, ...(paramSet ? { curve: paramSet } : {}) };
  }
  if (oid === GOST_OIDS.publicKey2001) return { algorithm: 'GOST2001', size: 256 };
  if (oid === '1.3.101.112') return { algorithm: 'Ed25519', size: 256 };
  if (oid === '1.3.101.113') return { algorithm: 'Ed448', size: 456 };
  return { algorithm: oid, size: keyBytes.length * 8 };
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.643.7.1.1.3.2': 'GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)',
  '1.2.643.7.1.1.3.3': 'GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)',
  '1.2.643.2.2.3': 'GOST R 34.11-94 with GOST R 34.10-2001',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** OpenSSL's name of a signature algorithm, or its OID. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}
