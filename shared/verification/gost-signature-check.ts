/**
 * GOST R 34.10-2012 signature values, checked with node-gost-crypto's GostSign (the same GostCrypto
 * library whose Streebog the signer already uses; loaded on first use). WebCrypto has no GOST.
 *
 * Conventions, as OpenSSL's gost engine writes them (RECIPES): the public key is the OCTET STRING in the
 * SubjectPublicKeyInfo, X||Y little-endian; the signature is s||r big-endian; the signed message is
 * hashed with Streebog of the key's size. GostSign's 'CP' (CryptoPro) procreator reads exactly that.
 * Only the parameter sets below are named, each proven against `openssl … -engine gost` in
 * test/integration/verify/verify-gost.test.ts; any other (tc26 256 paramSetA, a twisted Edwards curve
 * GostSign does not have) is `unsupported`, never guessed.
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { GOST_OIDS } from '../protocol/gost-algorithms.js';

/** Parameter set OID → GostSign's curve name. */
const CURVES: Record<string, string> = {
  '1.2.643.2.2.35.1': 'S-256-A', // id-GostR3410-2001-CryptoPro-A-ParamSet
  '1.2.643.2.2.35.2': 'S-256-B', // CryptoPro-B
  '1.2.643.2.2.35.3': 'S-256-C', // CryptoPro-C
  '1.2.643.2.2.36.0': 'S-256-A', // CryptoPro-XchA = CryptoPro-A
  '1.2.643.2.2.36.1': 'S-256-C', // CryptoPro-XchB = CryptoPro-C
  '1.2.643.7.1.2.1.1.2': 'S-256-A', // id-tc26-gost-3410-2012-256-paramSetB = CryptoPro-A
  '1.2.643.7.1.2.1.1.3': 'S-256-B', // paramSetC = CryptoPro-B
  '1.2.643.7.1.2.1.1.4': 'S-256-C', // paramSetD = CryptoPro-C
  '1.2.643.7.1.2.1.2.1': 'T-512-A', // id-tc26-gost-3410-12-512-paramSetA
  '1.2.643.7.1.2.1.2.2': 'T-512-B', // paramSetB
};

interface GostSignInstance {
  verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
}
type GostSignClass = new (algorithm: Record<string, unknown>) => GostSignInstance;

let loaded: Promise<GostSignClass> | undefined;

/** For a context that cannot import on demand (an extension service worker): hand the class over. */
export function provideGostSign(implementation: GostSignClass): void {
  loaded = Promise.resolve(implementation);
}

function gostSignClass(): Promise<GostSignClass> {
  (globalThis as { global?: unknown }).global ??= globalThis; // the library reads `global` when it loads
  loaded ??= import('node-gost-crypto/lib/gostSign.js').then((module) => (module as { default?: GostSignClass }).default ?? (module as unknown as GostSignClass));
  return loaded;
}

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Checks a GOST R 34.10-2012 signature (s||r) of `data` with the key of `publicKey`. */
export async function checkGostSignature(publicKey: pkijs.PublicKeyInfo, data: Uint8Array, signature: Uint8Array): Promise<'passed' | 'failed' | 'unsupported'> {
  const keyOid = publicKey.algorithm.algorithmId;
  const length = keyOid === GOST_OIDS.publicKey256 ? 256 : keyOid === GOST_OIDS.publicKey512 ? 512 : undefined;
  const params = publicKey.algorithm.algorithmParams;
  const paramSet = params instanceof asn1js.Sequence ? (params.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() : undefined;
  const curve = paramSet ? CURVES[paramSet] : undefined;
  if (!length || !curve || !curve.includes(String(length))) return 'unsupported';
  const keyOctets = asn1js.fromBER(buffer(new Uint8Array(publicKey.subjectPublicKey.valueBlock.valueHexView))).result;
  if (!(keyOctets instanceof asn1js.OctetString)) return 'failed';
  const key = new Uint8Array(keyOctets.valueBlock.valueHexView);
  if (key.length !== length / 4 || signature.length !== length / 4) return 'failed';
  try {
    const GostSign = await gostSignClass();
    const verifier = new GostSign({ name: 'GOST R 34.10', version: 2012, length, namedCurve: curve, procreator: 'CP', hash: { name: 'GOST R 34.11', version: 2012, length } });
    return verifier.verify(buffer(key), buffer(signature), buffer(data)) ? 'passed' : 'failed';
  } catch {
    return 'failed';
  }
}
