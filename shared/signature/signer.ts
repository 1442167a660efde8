import { isGostHash } from '../protocol/gost-algorithms.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { streebog } from './streebog.js';

/**
 * Who signs: a certificate and a way to sign a digest with its key. The token-backed signer sends the
 * digest to the native host; documents never leave the builder.
 */
export interface Signer {
  /** DER of the signing certificate. */
  certificate: Uint8Array;
  /** CA certificates to embed (optional). */
  certificateChain?: Uint8Array[];
  /** RSA: the PKCS#1 v1.5 (or PSS) signature; EC: DER ECDSA-Sig-Value; GOST: s||r as the token gives it. */
  signDigest(digest: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array>;
  /** Default: from the certificate's key (RSA → rsa-pkcs1, EC → ecdsa, GOST 2012 → gost). */
  scheme?: SignerScheme;
}

export type SignerScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'gost';

export async function digestOf(data: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array> {
  if (isGostHash(hashAlgorithm)) return streebog(data, hashAlgorithm);
  return new Uint8Array(await crypto.subtle.digest(hashAlgorithm, new Uint8Array(data)));
}
