/**
 * GOST R 34.10-2012 signature values: the message hashed with Streebog of the key's size (streebog.ts),
 * the signature checked by our own GOST R 34.10 arithmetic (gost-r3410-verify.ts; WebCrypto has no
 * GOST, and node-gost-crypto's GostSign rejected about one valid signature in five thousand).
 *
 * The public key is the OCTET STRING in the SubjectPublicKeyInfo, X||Y little-endian; the signature is
 * s||r big-endian (RECIPES). Only the parameter sets of gost-curves.ts are checked (every CryptoPro and
 * TC26 set); any other (the GOST 2001 test set) is `unsupported`, never guessed.
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { GOST_OIDS } from '../protocol/gost-algorithms.js';
import { streebog } from '../signature/streebog.js';
import { GOST_CURVES } from './gost-curves.js';
import { verifyGostR3410 } from './gost-r3410-verify.js';

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Checks a GOST R 34.10-2012 signature (s||r) of `data` with the key of `publicKey`. */
export async function checkGostSignature(publicKey: pkijs.PublicKeyInfo, data: Uint8Array, signature: Uint8Array): Promise<'passed' | 'failed' | 'unsupported'> {
  const keyOid = publicKey.algorithm.algorithmId;
  const length = keyOid === GOST_OIDS.publicKey256 ? 256 : keyOid === GOST_OIDS.publicKey512 ? 512 : undefined;
  const params = publicKey.algorithm.algorithmParams;
  const paramSet = params instanceof asn1js.Sequence ? (params.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() : undefined;
  const curve = paramSet ? GOST_CURVES[paramSet] : undefined;
  if (!length || !curve || curve.size !== length) return 'unsupported';
  const keyOctets = asn1js.fromBER(buffer(new Uint8Array(publicKey.subjectPublicKey.valueBlock.valueHexView))).result;
  if (!(keyOctets instanceof asn1js.OctetString)) return 'failed';
  const digest = await streebog(data, length === 256 ? 'GOST3411-2012-256' : 'GOST3411-2012-512');
  return verifyGostR3410(curve, new Uint8Array(keyOctets.valueBlock.valueHexView), signature, digest) ? 'passed' : 'failed';
}
