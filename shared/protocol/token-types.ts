import type { CertificateDetails } from '../certificate/certificate-details.js';

/** A PKCS#11 module file the host knows about. */
export interface ModuleInfo {
  path: string;
  /** Which token family the file name belongs to (from the known-library table), e.g. `SafeNet eToken`. */
  vendor?: string;
  /** Where it came from: discovery of the usual places, CAS_TOKEN_MODULES, or the user's config file. */
  source: 'discovered' | 'env' | 'config' | 'argument';
  /** Loaded and initialised fine; false with `error` otherwise. */
  loaded: boolean;
  error?: string;
  libraryDescription?: string;
  manufacturer?: string;
}

/** Identifies a token across messages: module path + token label + token serial (slot ids change). */
export interface TokenRef {
  module: string;
  label: string;
  serial: string;
}

export interface TokenInfo extends TokenRef {
  slotDescription: string;
  manufacturer: string;
  model: string;
  flags: TokenFlags;
}

export interface TokenFlags {
  loginRequired: boolean;
  /** PIN pad reader / token: the PIN is typed on the device, never in our window. */
  protectedAuthenticationPath: boolean;
  userPinInitialized: boolean;
  userPinCountLow: boolean;
  userPinFinalTry: boolean;
  userPinLocked: boolean;
  userPinToBeChanged: boolean;
  writeProtected: boolean;
}

export type KeyPresence = 'yes' | 'no' | 'unknown';

/** A certificate object found on a token. */
export interface TokenCertificate {
  token: TokenRef;
  /** CKA_ID as lower-case hex. */
  id: string;
  label: string;
  /** DER, base64. */
  certificate: string;
  /** Whether a private key with the same CKA_ID exists; `unknown` when private keys are hidden before login. */
  hasPrivateKey: KeyPresence;
  details: CertificateDetails;
  /**
   * The CA certificates that certify this one, DER base64, nearest issuer first, WITHOUT the self-signed
   * root (a verifier has it as its trust anchor): found among the CA certificates on the same token and in
   * the config file's `caCertificates` folder, each issuer's signature verified. Embed them in signatures
   * (`Signer.certificateChain`). Absent when none was found or for CA certificates.
   */
  chain?: string[];
}

/** SHA-2 for RSA and EC keys; Streebog (GOST R 34.11-2012) for GOST R 34.10-2012 keys of the same size. */
export const HASH_ALGORITHMS = ['SHA-256', 'SHA-384', 'SHA-512', 'GOST3411-2012-256', 'GOST3411-2012-512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Bytes in a digest of each algorithm. */
export const DIGEST_LENGTHS: Record<HashAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64, 'GOST3411-2012-256': 32, 'GOST3411-2012-512': 64 };

/**
 * How the digest is signed. `auto` picks PKCS#1 v1.5 for RSA, ECDSA for EC and GOST R 34.10-2012 for
 * GOST keys (`gost`: the token signs the Streebog digest and answers s||r, kept as it is).
 */
export const SIGNATURE_SCHEMES = ['auto', 'rsa-pkcs1', 'rsa-pss', 'ecdsa', 'gost'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/** The algorithm actually used, as a JOSE-like name (`RS256`, `PS384`, `ES256`) plus the OIDs formats need. */
export interface SignatureAlgorithmInfo {
  scheme: Exclude<SignatureScheme, 'auto'>;
  hashAlgorithm: HashAlgorithm;
  /** `RS256`, `PS256`, `ES256`, `GOST2012-256`, … */
  name: string;
}

/** Key pairs the token can be asked to generate for a certificate request (GOST R 34.10-2012: 256 and 512 bits). */
export const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'ec-p256', 'ec-p384', 'gost2012-256', 'gost2012-512'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
