/**
 * Everything a person (or a CAS form) needs from one X.509 certificate, already formatted.
 * Produced by `describeCertificate()` (describe-certificate.ts); pure, runs in Node and in the browser.
 */
export interface CertificateDetails {
  /** Upper-case hex without separators, the value's bytes without the DER sign byte, as `openssl x509 -serial` prints. */
  serialNumber: string;
  /** Windows form: the DER content bytes (sign byte 00 kept when the top bit is set), lower-case, space separated. */
  serialNumberWindows: string;
  /** Decimal form of the (non-negative) serial. */
  serialNumberDecimal: string;

  /** Issuer in certificate (DER) order, `, ` separated, short names C ST L O OU CN E, `2.5.4.97=` for organizationIdentifier (SIUI form). */
  issuer: string;
  /** Issuer as RFC 4514 (reversed order, escaped). */
  issuerRfc4514: string;
  /** Issuer as Windows shows it (reverse of DER order, `, ` separated, `CN = …` style). */
  issuerWindows: string;
  issuerCommonName?: string;

  subject: string;
  subjectRfc4514: string;
  subjectWindows: string;
  subjectCommonName?: string;

  /** ISO 8601 UTC, e.g. `2024-03-01T10:00:00Z`. */
  notBefore: string;
  notAfter: string;

  /** The holder's e-mail: subject emailAddress first, then SubjectAltName rfc822Name. */
  email?: string;
  /** All e-mail addresses, subject first, then SAN, without duplicates (case-insensitive). */
  emails: string[];

  identifiers: HolderIdentifiers;
  publicKey: PublicKeyDetails;

  /** Key usage names as in RFC 5280 (`digitalSignature`, `nonRepudiation`, `keyEncipherment`, …). */
  keyUsage: string[];
  /** Extended key usage OIDs with known names where there is one (`emailProtection`, `clientAuth`, …). */
  extendedKeyUsage: string[];
  /** Has QCStatements with QcCompliance (0.4.0.1862.1.1). */
  qcCompliance: boolean;
  /** Has nonRepudiation (contentCommitment) in keyUsage. */
  nonRepudiation: boolean;
  /** A qualified signing certificate: QcCompliance, or nonRepudiation on an end-entity certificate. */
  qualifiedSigning: boolean;
  /** basicConstraints cA. */
  isCA: boolean;

  /** e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `GOST R 34.10-2012 256` or the OID when unknown. */
  signatureAlgorithm: string;

  /** Upper-case hex without separators. */
  fingerprintSha1: string;
  fingerprintSha256: string;
}

export interface HolderIdentifiers {
  /** organizationIdentifier (2.5.4.97), e.g. `VATRO-18288250`. */
  organizationIdentifier?: string;
  /** The Romanian CUI derived from organizationIdentifier (`VATRO-18288250`, `RO18288250`, `18288250` → `18288250`). */
  cui?: string;
  /** subject serialNumber (2.5.4.5) values, in certificate order. */
  subjectSerialNumbers: string[];
  inn?: string; // 1.2.643.3.131.1.1
  innle?: string; // 1.2.643.100.4
  ogrn?: string; // 1.2.643.100.1
  ogrnip?: string; // 1.2.643.100.5
  snils?: string; // 1.2.643.100.3
}

export interface PublicKeyDetails {
  /** `RSA`, `EC`, `GOST2012-256`, `GOST2012-512`, `Ed25519`, `Ed448`, or the algorithm OID. */
  algorithm: string;
  /** Key size in bits (RSA modulus bits, EC field size, GOST 256/512). */
  size: number;
  /** EC: `P-256`, `P-384`, `P-521` or the curve OID; GOST: the parameter set OID. */
  curve?: string;
}
