/** OIDs and AlgorithmIdentifiers for the digests and signature schemes the formats use. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { GOST_OIDS, isGostHash } from '../protocol/gost-algorithms.js';
import type { GostHashAlgorithm } from '../protocol/gost-algorithms.js';
import { DIGEST_OIDS, ECDSA_SIGNATURE_OIDS, OIDS, RSA_PKCS1_SIGNATURE_OIDS } from '../protocol/oids.js';
import { DIGEST_LENGTHS } from '../protocol/token-types.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import type { DocumentFormat } from '../protocol/page-messages.js';
import type { SignerScheme } from './signer.js';

export { DIGEST_OIDS };

/** The digest AlgorithmIdentifier; Streebog with NULL parameters, as OpenSSL's gost engine writes it. */
export function digestAlgorithmIdentifier(hash: HashAlgorithm): pkijs.AlgorithmIdentifier {
  if (isGostHash(hash)) return new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OIDS[hash], algorithmParams: new asn1js.Null() });
  return new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OIDS[hash] });
}

/** The signature AlgorithmIdentifier a SignerInfo carries for this scheme. */
export function signatureAlgorithmIdentifier(scheme: SignerScheme, hash: HashAlgorithm): pkijs.AlgorithmIdentifier {
  if (scheme === 'gost' || isGostHash(hash)) {
    if (scheme !== 'gost' || !isGostHash(hash)) throw new CasTokenError('INVALID_ARGUMENT', `A ${scheme} signature cannot go with a ${hash} digest.`);
    // As OpenSSL writes a GOST SignerInfo: the public key OID with NULL parameters (compared with its output in test/integration/gost).
    return new pkijs.AlgorithmIdentifier({ algorithmId: hash === 'GOST3411-2012-256' ? GOST_OIDS.publicKey256 : GOST_OIDS.publicKey512, algorithmParams: new asn1js.Null() });
  }
  if (scheme === 'ecdsa') return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_SIGNATURE_OIDS[hash] });
  if (scheme === 'rsa-pss') {
    const hashAlgorithm = digestAlgorithmIdentifier(hash);
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.mgf1, algorithmParams: hashAlgorithm.toSchema() }),
      saltLength: DIGEST_LENGTHS[hash],
    });
    return new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.rsassaPss, algorithmParams: params.toSchema() });
  }
  return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_PKCS1_SIGNATURE_OIDS[hash], algorithmParams: new asn1js.Null() });
}

/** The scheme a certificate's key implies when the signer does not say. */
export function schemeForCertificate(certificate: pkijs.Certificate): SignerScheme {
  const keyAlgorithm = certificate.subjectPublicKeyInfo.algorithm.algorithmId;
  if (keyAlgorithm === OIDS.ecPublicKey) return 'ecdsa';
  if (keyAlgorithm === GOST_OIDS.publicKey256 || keyAlgorithm === GOST_OIDS.publicKey512) return 'gost';
  if (keyAlgorithm === OIDS.rsassaPss) return 'rsa-pss';
  return 'rsa-pkcs1';
}

/** The key algorithm of a certificate, as far as the formats care. */
export type CertificateKeyAlgorithm = 'rsa' | 'rsa-pss' | 'ec' | 'gost2012-256' | 'gost2012-512' | 'gost2001' | 'other';

/** Per certificate DER (the same bytes are asked about for every document of a batch): parsing it costs more than a signature. */
const keyAlgorithms = new WeakMap<Uint8Array, CertificateKeyAlgorithm>();

export function keyAlgorithmOfCertificate(certificate: pkijs.Certificate | Uint8Array): CertificateKeyAlgorithm {
  if (certificate instanceof Uint8Array) {
    let known = keyAlgorithms.get(certificate);
    if (known === undefined) {
      known = keyAlgorithmOfParsed(pkijs.Certificate.fromBER(certificate.slice().buffer as ArrayBuffer));
      keyAlgorithms.set(certificate, known);
    }
    return known;
  }
  return keyAlgorithmOfParsed(certificate);
}

function keyAlgorithmOfParsed(parsed: pkijs.Certificate): CertificateKeyAlgorithm {
  const oid = parsed.subjectPublicKeyInfo.algorithm.algorithmId;
  if (oid === OIDS.rsaEncryption) return 'rsa';
  if (oid === OIDS.rsassaPss) return 'rsa-pss';
  if (oid === OIDS.ecPublicKey) return 'ec';
  if (oid === GOST_OIDS.publicKey256) return 'gost2012-256';
  if (oid === GOST_OIDS.publicKey512) return 'gost2012-512';
  if (oid === GOST_OIDS.publicKey2001) return 'gost2001';
  return 'other';
}

export function isGostKey(algorithm: CertificateKeyAlgorithm): algorithm is 'gost2012-256' | 'gost2012-512' {
  return algorithm === 'gost2012-256' || algorithm === 'gost2012-512';
}

/**
 * The digest to sign with this certificate: the one asked for when it fits the key, else a clear
 * refusal; by default SHA-256, or for a GOST 2012 key the Streebog of its size (the only digest it signs).
 */
export function hashForCertificate(certificate: pkijs.Certificate | Uint8Array, requested?: HashAlgorithm): HashAlgorithm {
  const algorithm = keyAlgorithmOfCertificate(certificate);
  if (algorithm === 'gost2001') {
    throw new CasTokenError('MECHANISM_NOT_SUPPORTED', 'The certificate has a GOST R 34.10-2001 key, which may no longer make qualified signatures: ask your CA for a GOST R 34.10-2012 certificate.');
  }
  if (isGostKey(algorithm)) {
    const own: GostHashAlgorithm = algorithm === 'gost2012-256' ? 'GOST3411-2012-256' : 'GOST3411-2012-512';
    if (requested !== undefined && requested !== own)
      throw new CasTokenError('INVALID_ARGUMENT', `The certificate has a GOST R 34.10-2012 ${algorithm.slice(-3)}-bit key: it signs ${own} digests, not ${requested}.`);
    return own;
  }
  if (requested !== undefined && isGostHash(requested))
    throw new CasTokenError('INVALID_ARGUMENT', `${requested} digests are signed with GOST keys only; this certificate's key is not one (use SHA-256, SHA-384 or SHA-512).`);
  return requested ?? 'SHA-256';
}

/**
 * Refuses, before any PIN is asked, a format this certificate's key cannot be used for here: GOST
 * R 34.10-2012 keys make CAdES only (PAdES and XAdES with GOST are not built, as nothing independent
 * here could verify them), and GOST 2001 keys nothing at all.
 */
export function checkFormatForCertificate(format: DocumentFormat, certificate: pkijs.Certificate | Uint8Array): void {
  const algorithm = keyAlgorithmOfCertificate(certificate);
  if (algorithm === 'gost2001') {
    throw new CasTokenError('MECHANISM_NOT_SUPPORTED', 'The certificate has a GOST R 34.10-2001 key, which may no longer make qualified signatures: ask your CA for a GOST R 34.10-2012 certificate.');
  }
  if (isGostKey(algorithm) && format !== 'cades') {
    throw new CasTokenError(
      'FORMAT_NOT_SUPPORTED',
      `A certificate with a GOST key signs as CAdES only; ${format === 'pades' ? 'PDF (PAdES)' : 'XML (XAdES)'} signatures with GOST are not made. Choose CAdES.`,
    );
  }
}
