/**
 * The cryptographic check of one signature value with WebCrypto (`globalThis.crypto.subtle`): RSA
 * PKCS#1 v1.5, RSA-PSS and ECDSA (P-256, P-384, P-521) over SHA-1/256/384/512; GOST R 34.10-2012 with
 * node-gost-crypto (gost-signature-check.ts) for the parameter sets proven against OpenSSL. The rest
 * comes back `unsupported`, which the report turns into `indeterminate`.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GOST_OIDS } from '../protocol/gost-algorithms.js';
import { checkGostSignature } from './gost-signature-check.js';

export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'GOST3411-2012-256' | 'GOST3411-2012-512';

const DIGESTS: Record<string, DigestName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  [GOST_OIDS.digest256]: 'GOST3411-2012-256',
  [GOST_OIDS.digest512]: 'GOST3411-2012-512',
};

export function digestNameOfOid(oid: string): DigestName | undefined {
  return DIGESTS[oid];
}

/** Digests known by name but not checked here (WebCrypto has none of them). */
const UNCHECKED_DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.643.2.2.9': 'GOST R 34.11-94',
};

/** How a digest is shown: `SHA-256`, `GOST R 34.11-2012 256`, or the OID. */
export function digestLabel(oid: string): string {
  const name = DIGESTS[oid];
  if (name === 'GOST3411-2012-256') return 'GOST R 34.11-2012 256';
  if (name === 'GOST3411-2012-512') return 'GOST R 34.11-2012 512';
  return name ?? UNCHECKED_DIGESTS[oid] ?? oid;
}

const RSA_PKCS1: Record<string, DigestName | undefined> = {
  '1.2.840.113549.1.1.1': undefined, // rsaEncryption: the SignerInfo's digest
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA: Record<string, DigestName | undefined> = {
  '1.2.840.10045.2.1': undefined, // id-ecPublicKey: the SignerInfo's digest
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const GOST_SIGNATURES = new Set<string>([GOST_OIDS.publicKey256, GOST_OIDS.publicKey512, GOST_OIDS.signatureWithDigest256, GOST_OIDS.signatureWithDigest512, GOST_OIDS.publicKey2001, '1.2.643.2.2.3']);
const CURVES: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

/** How a signature algorithm is shown: `RSA PKCS#1 v1.5`, `RSA-PSS`, `ECDSA`, `GOST R 34.10-2012 256`, or the OID. */
export function signatureLabel(oid: string): string {
  if (oid in RSA_PKCS1) return 'RSA PKCS#1 v1.5';
  if (oid === RSA_PSS) return 'RSA-PSS';
  if (oid in ECDSA) return 'ECDSA';
  if (oid === GOST_OIDS.publicKey256 || oid === GOST_OIDS.signatureWithDigest256) return 'GOST R 34.10-2012 256';
  if (oid === GOST_OIDS.publicKey512 || oid === GOST_OIDS.signatureWithDigest512) return 'GOST R 34.10-2012 512';
  if (oid === GOST_OIDS.publicKey2001 || oid === '1.2.643.2.2.3') return 'GOST R 34.10-2001';
  return oid;
}

export function isGostSignature(oid: string): boolean {
  return GOST_SIGNATURES.has(oid);
}

/** DER ECDSA-Sig-Value → r||s, each padded to the curve's size; undefined when it is not one. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const [r, s] = parsed.result.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) return undefined;
  const raw = new Uint8Array(size * 2);
  for (const [index, integer] of [r, s].entries()) {
    let bytes = new Uint8Array(integer.valueBlock.valueHexView);
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > size) return undefined;
    raw.set(bytes, index * size + (size - bytes.length));
  }
  return raw;
}

export type SignatureValueOutcome = 'passed' | 'failed' | 'unsupported';

export interface SignatureValueInput {
  publicKey: pkijs.PublicKeyInfo;
  signatureAlgorithm: pkijs.AlgorithmIdentifier;
  /** The digest the signature was made over (CMS: the SignerInfo's digestAlgorithm). */
  digestOid: string;
  data: Uint8Array;
  signature: Uint8Array;
}

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

export async function checkSignatureValue(input: SignatureValueInput): Promise<SignatureValueOutcome> {
  const oid = input.signatureAlgorithm.algorithmId;
  if (isGostSignature(oid)) {
    // The digest must be the Streebog of the key's size (what GOST 2012 keys sign); GOST 2001 is not checked.
    const key = input.publicKey.algorithm.algorithmId;
    const digest = DIGESTS[input.digestOid];
    const fits = (key === GOST_OIDS.publicKey256 && digest === 'GOST3411-2012-256') || (key === GOST_OIDS.publicKey512 && digest === 'GOST3411-2012-512');
    return fits ? checkGostSignature(input.publicKey, input.data, input.signature) : 'unsupported';
  }
  const subtle = globalThis.crypto.subtle;
  const spki = buffer(new Uint8Array(input.publicKey.toSchema().toBER(false)));
  const digest = DIGESTS[input.digestOid];
  try {
    if (oid in RSA_PKCS1) {
      const hash = RSA_PKCS1[oid] ?? digest;
      if (!hash || hash.startsWith('GOST')) return 'unsupported';
      const key = await subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      return (await subtle.verify('RSASSA-PKCS1-v1_5', key, buffer(input.signature), buffer(input.data))) ? 'passed' : 'failed';
    }
    if (oid === RSA_PSS) {
      const params = input.signatureAlgorithm.algorithmParams ? new pkijs.RSASSAPSSParams({ schema: input.signatureAlgorithm.algorithmParams }) : new pkijs.RSASSAPSSParams();
      const hash = DIGESTS[params.hashAlgorithm.algorithmId];
      if (!hash || hash.startsWith('GOST')) return 'unsupported';
      // A PSS key (OID rsassaPss in the certificate) imports as a plain RSA key: WebCrypto wants rsaEncryption.
      const rsaSpki =
        input.publicKey.algorithm.algorithmId === RSA_PSS
          ? buffer(
              new Uint8Array(
                new pkijs.PublicKeyInfo({
                  algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }),
                  subjectPublicKey: input.publicKey.subjectPublicKey,
                })
                  .toSchema()
                  .toBER(false),
              ),
            )
          : spki;
      const key = await subtle.importKey('spki', rsaSpki, { name: 'RSA-PSS', hash }, false, ['verify']);
      return (await subtle.verify({ name: 'RSA-PSS', saltLength: params.saltLength }, key, buffer(input.signature), buffer(input.data))) ? 'passed' : 'failed';
    }
    if (oid in ECDSA) {
      const hash = ECDSA[oid] ?? digest;
      const curveOid = (input.publicKey.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.();
      const curve = curveOid ? CURVES[curveOid] : undefined;
      if (!hash || hash.startsWith('GOST') || !curve) return 'unsupported';
      const raw = ecdsaDerToRaw(input.signature, curve.size);
      if (!raw) return 'failed';
      const key = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: curve.name }, false, ['verify']);
      return (await subtle.verify({ name: 'ECDSA', hash }, key, buffer(raw), buffer(input.data))) ? 'passed' : 'failed';
    }
  } catch {
    return 'failed'; // a key WebCrypto refuses to import, or a malformed signature: it does not verify
  }
  return 'unsupported';
}
