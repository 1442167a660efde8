/**
 * How a digest becomes a signature on the token, per scheme:
 *   rsa-pkcs1  CKM_RSA_PKCS over DigestInfo(hash OID, digest)
 *   rsa-pss    CKM_RSA_PKCS_PSS with the hash, MGF1 with the same hash, salt length = hash length
 *   ecdsa      CKM_ECDSA over the digest; the token answers r||s, formats want DER SEQUENCE{r,s}
 *   gost       CKM_GOSTR3410 (256-bit key, Streebog-256 digest) or CKM_GOSTR3410_512 (512-bit key,
 *              Streebog-512 digest) over the digest as the hash emits it; the token answers s||r, each
 *              big-endian, and those bytes go unchanged into CMS and PKCS#10 (no reordering anywhere)
 */
import * as asn1js from 'asn1js';
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { DIGEST_LENGTHS } from '../../shared/protocol/token-types.js';
import { isGostHash } from '../../shared/protocol/gost-algorithms.js';
import type { HashAlgorithm, SignatureAlgorithmInfo, SignatureScheme } from '../../shared/protocol/token-types.js';
import { GOST_PKCS11 } from './gost-constants.js';
import { DIGEST_OIDS } from '../../shared/protocol/oids.js';
import { ecdsaRawToDer } from '../../shared/signature/ecdsa-signature.js';

export type TokenKeyType = 'RSA' | 'EC' | 'GOST';

type ShaHash = Exclude<HashAlgorithm, 'GOST3411-2012-256' | 'GOST3411-2012-512'>;

/** The PSS hash and MGF1 constants; a function, since the constants come from the addon, loaded on first use. */
function pssHashes(hashAlgorithm: ShaHash): { hashAlg: number; mgf: number } {
  switch (hashAlgorithm) {
    case 'SHA-256':
      return { hashAlg: pkcs11Addon.CKM_SHA256, mgf: pkcs11Addon.CKG_MGF1_SHA256 };
    case 'SHA-384':
      return { hashAlg: pkcs11Addon.CKM_SHA384, mgf: pkcs11Addon.CKG_MGF1_SHA384 };
    case 'SHA-512':
      return { hashAlg: pkcs11Addon.CKM_SHA512, mgf: pkcs11Addon.CKG_MGF1_SHA512 };
  }
}

export interface SigningPlan {
  algorithm: SignatureAlgorithmInfo;
  mechanism: pkcs11js.Mechanism;
  /** The PKCS#11 mechanism the token must list for this plan. */
  requiredMechanism: number;
  /** What the token signs for one digest. */
  input(digest: Uint8Array): Buffer;
  /** The token's output as the signature formats want it (and the raw form for ECDSA). */
  output(signed: Uint8Array): { signature: Uint8Array; raw?: Uint8Array };
}

export function checkDigestLengths(digests: Uint8Array[], hashAlgorithm: HashAlgorithm): void {
  if (digests.length === 0) throw new CasTokenError('INVALID_ARGUMENT', 'Nothing to sign: give at least one digest.');
  const expected = DIGEST_LENGTHS[hashAlgorithm];
  digests.forEach((digest, index) => {
    if (digest.length !== expected) {
      throw new CasTokenError('INVALID_ARGUMENT', `Digest ${index + 1} has ${digest.length} bytes; ${hashAlgorithm} digests have ${expected}.`);
    }
  });
}

/** The scheme `auto` stands for, or a clear refusal when the key cannot do the scheme asked for. */
export function resolveScheme(scheme: SignatureScheme, keyType: TokenKeyType): Exclude<SignatureScheme, 'auto'> {
  const natural = keyType === 'RSA' ? 'rsa-pkcs1' : keyType === 'EC' ? 'ecdsa' : 'gost';
  if (scheme === 'auto') return natural;
  const family = (s: Exclude<SignatureScheme, 'auto'>): string => (s === 'rsa-pkcs1' || s === 'rsa-pss' ? 'RSA' : s === 'ecdsa' ? 'EC' : 'GOST');
  if (family(scheme) !== keyType) {
    throw new CasTokenError(
      'MECHANISM_NOT_SUPPORTED',
      `The certificate has ${keyType === 'RSA' ? 'an RSA' : keyType === 'EC' ? 'an EC' : 'a GOST R 34.10-2012'} key, which cannot make ${scheme} signatures.`,
    );
  }
  return scheme;
}

/**
 * Refuses a digest that does not go with the key: Streebog only with GOST keys, and a GOST 2012 key
 * only with the Streebog of its own size (256-bit key: GOST3411-2012-256; 512-bit key: -512).
 */
export function checkHashForKey(hashAlgorithm: HashAlgorithm, keyType: TokenKeyType, gostKeyBits?: 256 | 512): void {
  if (keyType === 'GOST') {
    const expected = gostKeyBits === 512 ? 'GOST3411-2012-512' : 'GOST3411-2012-256';
    if (hashAlgorithm !== expected) {
      throw new CasTokenError('INVALID_ARGUMENT', `The certificate has a GOST R 34.10-2012 ${gostKeyBits ?? 256}-bit key: it signs ${expected} digests, not ${hashAlgorithm}.`);
    }
  } else if (isGostHash(hashAlgorithm)) {
    throw new CasTokenError('INVALID_ARGUMENT', `${hashAlgorithm} digests are signed with GOST keys only; this certificate has an ${keyType} key (use SHA-256, SHA-384 or SHA-512).`);
  }
}

export function planSignature(scheme: Exclude<SignatureScheme, 'auto'>, hashAlgorithm: HashAlgorithm): SigningPlan {
  if (scheme === 'gost') {
    if (!isGostHash(hashAlgorithm)) throw new CasTokenError('INVALID_ARGUMENT', `GOST keys sign GOST3411-2012-256/512 digests, not ${hashAlgorithm}.`);
    const big = hashAlgorithm === 'GOST3411-2012-512';
    const mechanism = big ? GOST_PKCS11.CKM_GOSTR3410_512 : GOST_PKCS11.CKM_GOSTR3410;
    return {
      algorithm: { scheme, hashAlgorithm, name: big ? 'GOST2012-512' : 'GOST2012-256' },
      mechanism: { mechanism },
      requiredMechanism: mechanism,
      input: asBuffer,
      output: (signed) => ({ signature: signed }), // s||r as the token gives it
    };
  }
  if (isGostHash(hashAlgorithm)) throw new CasTokenError('INVALID_ARGUMENT', `${hashAlgorithm} digests are signed with GOST keys only, not with ${scheme}.`);
  const bits = hashAlgorithm.slice(4);
  switch (scheme) {
    case 'rsa-pkcs1':
      return {
        algorithm: { scheme, hashAlgorithm, name: `RS${bits}` },
        mechanism: { mechanism: pkcs11Addon.CKM_RSA_PKCS },
        requiredMechanism: pkcs11Addon.CKM_RSA_PKCS,
        input: (digest) => digestInfo(hashAlgorithm, digest),
        output: (signed) => ({ signature: signed }),
      };
    case 'rsa-pss': {
      const { hashAlg, mgf } = pssHashes(hashAlgorithm);
      const parameter: pkcs11js.RsaPSS = { type: pkcs11Addon.CK_PARAMS_RSA_PSS, hashAlg, mgf, saltLen: DIGEST_LENGTHS[hashAlgorithm] };
      return {
        algorithm: { scheme, hashAlgorithm, name: `PS${bits}` },
        mechanism: { mechanism: pkcs11Addon.CKM_RSA_PKCS_PSS, parameter },
        requiredMechanism: pkcs11Addon.CKM_RSA_PKCS_PSS,
        input: asBuffer,
        output: (signed) => ({ signature: signed }),
      };
    }
    case 'ecdsa':
      return {
        algorithm: { scheme, hashAlgorithm, name: `ES${bits}` },
        mechanism: { mechanism: pkcs11Addon.CKM_ECDSA },
        requiredMechanism: pkcs11Addon.CKM_ECDSA,
        input: asBuffer,
        output: (signed) => ({ signature: ecdsaRawToDer(signed), raw: signed }),
      };
  }
}

/** The digest as the Buffer pkcs11js wants, without a copy when it is one already. */
function asBuffer(digest: Uint8Array): Buffer {
  return Buffer.isBuffer(digest) ? digest : Buffer.from(digest);
}

/** DigestInfo prefixes by hash and digest length: everything before the digest is the same each time. */
const digestInfoPrefixes = new Map<string, Buffer>();

/** DER DigestInfo ::= SEQUENCE { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING digest }. */
export function digestInfo(hashAlgorithm: HashAlgorithm, digest: Uint8Array): Buffer {
  if (isGostHash(hashAlgorithm)) throw new CasTokenError('INVALID_ARGUMENT', `RSA keys do not sign ${hashAlgorithm} digests.`);
  const key = `${hashAlgorithm}/${digest.length}`;
  let prefix = digestInfoPrefixes.get(key);
  if (!prefix) {
    const info = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: DIGEST_OIDS[hashAlgorithm] }), new asn1js.Null()] }),
        new asn1js.OctetString({ valueHex: new ArrayBuffer(digest.length) }),
      ],
    });
    const whole = Buffer.from(info.toBER(false));
    prefix = whole.subarray(0, whole.length - digest.length);
    digestInfoPrefixes.set(key, prefix);
  }
  return Buffer.concat([prefix, digest]);
}

export { ecdsaRawToDer };
