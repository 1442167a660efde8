/**
 * A `Signer` over a software private key (node:crypto / OpenSSL): real signatures of a digest, as a
 * token gives them, for testing the formats without a token. Only for tests.
 *
 * - RSA PKCS#1 v1.5: DigestInfo (pkijs) + the RSA private operation with PKCS#1 padding, exactly what
 *   a token does for CKM_RSA_PKCS.
 * - RSA-PSS and ECDSA: node:crypto cannot sign a precomputed digest, so `openssl pkeyutl` does (it signs
 *   its input as the digest); ECDSA comes back as DER ECDSA-Sig-Value, as the Signer contract says.
 */
import { execFileSync } from 'node:child_process';
import { constants, privateEncrypt } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';
import { DIGEST_OIDS } from '../../shared/signature/signature-algorithms.js';
import type { Signer, SignerScheme } from '../../shared/signature/signer.js';
import type { TestEndEntity, TestPki } from './test-pki.js';

export interface SoftwareSignerOptions {
  /** Default: rsa-pkcs1 for RSA keys, ecdsa for EC keys. */
  scheme?: SignerScheme;
  /** CA certificates to embed (the test intermediate, so verifiers that trust only the root accept). */
  certificateChain?: Uint8Array[];
}

export interface SoftwareSigner extends Signer {
  /** How many digests this signer has signed. */
  signedDigests(): number;
}

const OPENSSL_DIGEST: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', 'GOST3411-2012-256': 'md_gost12_256', 'GOST3411-2012-512': 'md_gost12_512' };

function digestInfo(digest: Uint8Array, hashAlgorithm: HashAlgorithm): Uint8Array {
  const info = new pkijs.DigestInfo({
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OIDS[hashAlgorithm], algorithmParams: new asn1js.Null() }),
    digest: new asn1js.OctetString({ valueHex: digest.slice().buffer }),
  });
  return new Uint8Array(info.toSchema().toBER(false));
}

/** Signs one digest with the entity's key; the signature bytes a token would return. */
export function signDigestInSoftware(entity: TestEndEntity, digest: Uint8Array, hashAlgorithm: HashAlgorithm, scheme: SignerScheme): Uint8Array {
  if (scheme === 'rsa-pkcs1') {
    return new Uint8Array(privateEncrypt({ key: entity.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(digest, hashAlgorithm)));
  }
  const options = ['-pkeyopt', `digest:${OPENSSL_DIGEST[hashAlgorithm]}`];
  if (scheme === 'rsa-pss') options.push('-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:digest', '-pkeyopt', `rsa_mgf1_md:${OPENSSL_DIGEST[hashAlgorithm]}`);
  return new Uint8Array(execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', entity.keyPemPath, ...options], { input: digest }));
}

export function softwareSigner(entity: TestEndEntity, options: SoftwareSignerOptions = {}): SoftwareSigner {
  const scheme = options.scheme ?? (entity.kind === 'ec' ? 'ecdsa' : 'rsa-pkcs1');
  let count = 0;
  return {
    certificate: entity.certificateDer,
    ...(options.certificateChain ? { certificateChain: options.certificateChain } : {}),
    ...(options.scheme ? { scheme: options.scheme } : {}),
    async signDigest(digest, hashAlgorithm) {
      count += 1;
      return signDigestInSoftware(entity, digest, hashAlgorithm, scheme);
    },
    signedDigests: () => count,
  };
}

/** The usual test signer: the entity's key with the intermediate CA embedded. */
export function pkiSigner(pki: TestPki, kind: 'rsa' | 'ec', scheme?: SignerScheme): SoftwareSigner {
  return softwareSigner(pki[kind], { certificateChain: [pki.intermediateCaDer], ...(scheme ? { scheme } : {}) });
}
