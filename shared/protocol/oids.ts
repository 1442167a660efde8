/**
 * The object identifiers the code compares and writes, in one table (GOST ones in gost-algorithms.ts,
 * re-exported here). Names as in the RFCs: 8017 (PKCS#1), 5480 / 5758 (EC), 5652 / 5035 (CMS), 5280
 * (X.509), 2985 (PKCS#9), 3739 (QCStatements), 4519 / 9215 (name attributes).
 */
import { GOST_OIDS } from './gost-algorithms.js';
import type { GostHashAlgorithm } from './gost-algorithms.js';
import type { HashAlgorithm } from './token-types.js';

export { GOST_OIDS };

export const OIDS = {
  // Public key algorithms and EC curves
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  curveP256: '1.2.840.10045.3.1.7',
  curveP384: '1.3.132.0.34',
  curveP521: '1.3.132.0.35',
  // CMS content types and signed attributes
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  // Certificate extensions
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  // Name attributes
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  organizationIdentifier: '2.5.4.97',
  emailAddress: '1.2.840.113549.1.9.1',
  inn: '1.2.643.3.131.1.1',
  ogrn: '1.2.643.100.1',
  snils: '1.2.643.100.3',
  innle: '1.2.643.100.4',
  ogrnip: '1.2.643.100.5',
} as const;

type ShaHash = Exclude<HashAlgorithm, GostHashAlgorithm>;

export const DIGEST_OIDS: Record<HashAlgorithm, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
  'GOST3411-2012-256': GOST_OIDS.digest256,
  'GOST3411-2012-512': GOST_OIDS.digest512,
};

/** sha256WithRSAEncryption … (PKCS#1 v1.5 signatures). */
export const RSA_PKCS1_SIGNATURE_OIDS: Record<ShaHash, string> = {
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};

/** ecdsa-with-SHA256 … */
export const ECDSA_SIGNATURE_OIDS: Record<ShaHash, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

/** Bytes of one coordinate (r or s) of an ECDSA signature on a named curve; P-256 when the curve is unknown. */
export function ecCoordinateBytes(curveOid: string | undefined): number {
  return curveOid === OIDS.curveP384 ? 48 : curveOid === OIDS.curveP521 ? 66 : 32;
}
