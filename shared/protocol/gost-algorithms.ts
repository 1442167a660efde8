/**
 * GOST R 34.10-2012 (signatures) and GOST R 34.11-2012 "Streebog" (hashes): the object identifiers, in
 * one place. Sources: RFC 9215 (GOST in X.509), RFC 7836 / TC26 "Guidelines on the cryptographic
 * algorithms to accompany the usage of standards GOST R 34.10-2012 and GOST R 34.11-2012", RFC 4357
 * (the CryptoPro parameter sets), and what OpenSSL's gost engine writes (cross-checked in the tests).
 */
import type { HashAlgorithm } from './token-types.js';

export const GOST_HASH_ALGORITHMS = ['GOST3411-2012-256', 'GOST3411-2012-512'] as const;
export type GostHashAlgorithm = (typeof GOST_HASH_ALGORITHMS)[number];

export function isGostHash(hash: HashAlgorithm): hash is GostHashAlgorithm {
  return (GOST_HASH_ALGORITHMS as readonly string[]).includes(hash);
}

export const GOST_OIDS = {
  /** id-tc26-gost3410-12-256 / -512: the public key algorithm in a certificate. */
  publicKey256: '1.2.643.7.1.1.1.1',
  publicKey512: '1.2.643.7.1.1.1.2',
  /** id-GostR3410-2001: GOST 2001 keys, no longer allowed for qualified signatures; we refuse them. */
  publicKey2001: '1.2.643.2.2.19',
  /** id-tc26-gost3411-12-256 / -512: Streebog. */
  digest256: '1.2.643.7.1.1.2.2',
  digest512: '1.2.643.7.1.1.2.3',
  /** id-tc26-signwithdigest-gost3410-12-256 / -512. */
  signatureWithDigest256: '1.2.643.7.1.1.3.2',
  signatureWithDigest512: '1.2.643.7.1.1.3.3',
} as const;

/**
 * GOST R 34.10-2012 parameter sets (curves) a key pair can be generated on, per key size: the TC26 sets
 * (RFC 7836, id-tc26-gost-3410-12-256-paramSetA… / -512-paramSetA…) and, for 256-bit keys, the
 * CryptoPro sets of GOST 2001 (RFC 4357) that many CA portals still ask for. The first is the default.
 */
export const GOST_PARAMSETS = {
  256: {
    'tc26-A': '1.2.643.7.1.2.1.1.1',
    'tc26-B': '1.2.643.7.1.2.1.1.2',
    'tc26-C': '1.2.643.7.1.2.1.1.3',
    'tc26-D': '1.2.643.7.1.2.1.1.4',
    'cryptopro-A': '1.2.643.2.2.35.1',
    'cryptopro-B': '1.2.643.2.2.35.2',
    'cryptopro-C': '1.2.643.2.2.35.3',
  },
  512: {
    'tc26-A': '1.2.643.7.1.2.1.2.1',
    'tc26-B': '1.2.643.7.1.2.1.2.2',
    'tc26-C': '1.2.643.7.1.2.1.2.3',
  },
} as const;
export const GOST_PARAMSET_NAMES = ['tc26-A', 'tc26-B', 'tc26-C', 'tc26-D', 'cryptopro-A', 'cryptopro-B', 'cryptopro-C'] as const;
export type GostParamsetName = (typeof GOST_PARAMSET_NAMES)[number];

/** The OID of a named parameter set for a key size, or undefined when that size has no such set. */
export function gostParamsetOid(bits: 256 | 512, name: GostParamsetName = 'tc26-A'): string | undefined {
  return (GOST_PARAMSETS[bits] as Partial<Record<GostParamsetName, string>>)[name];
}

/** The Streebog digest that goes with a GOST 2012 key of this size. */
export function gostHashForKeyBits(bits: 256 | 512): GostHashAlgorithm {
  return bits === 256 ? 'GOST3411-2012-256' : 'GOST3411-2012-512';
}
