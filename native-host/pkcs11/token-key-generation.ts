/**
 * A new key pair generated ON the token (the private key never leaves it): RSA-2048/3072 or EC
 * P-256/P-384; the private key token-resident, private, sensitive, non-extractable, for signing; a new
 * CKA_ID = SHA-1 of the public key (as CA tools and most middleware do), shared by both halves.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';

import { KEY_TYPES } from '../../shared/protocol/token-types.js';
import type { KeyType } from '../../shared/protocol/token-types.js';

export { KEY_TYPES };
export type { KeyType };

const CURVES: Record<'ec-p256' | 'ec-p384', string> = { 'ec-p256': '1.2.840.10045.3.1.7', 'ec-p384': '1.3.132.0.34' };

export interface GeneratedKeyPair {
  privateKey: pkcs11js.Handle;
  /** CKA_ID, lower-case hex. */
  id: string;
  /** DER SubjectPublicKeyInfo of the new public key. */
  subjectPublicKeyInfo: Uint8Array;
  keyType: KeyType;
}

function der(node: asn1js.AsnType): Buffer {
  return Buffer.from(node.toBER(false));
}

function unsignedInteger(bytes: Buffer): asn1js.Integer {
  const padded = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new asn1js.Integer({ valueHex: padded.buffer.slice(padded.byteOffset, padded.byteOffset + padded.length) as ArrayBuffer });
}

/** The SPKI of a public key object on the token (RSA modulus/exponent or EC parameters/point). */
export function subjectPublicKeyInfoOf(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, publicKey: pkcs11js.Handle): Uint8Array {
  const [type] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_KEY_TYPE }]);
  const keyType = type!.value!.readUInt32LE(0);
  if (keyType === pkcs11Addon.CKK_RSA) {
    const [modulus, exponent] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_MODULUS }, { type: pkcs11Addon.CKA_PUBLIC_EXPONENT }]);
    const rsaKey = der(new asn1js.Sequence({ value: [unsignedInteger(modulus!.value as Buffer), unsignedInteger(exponent!.value as Buffer)] }));
    return der(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.1' }), new asn1js.Null()] }),
          new asn1js.BitString({ valueHex: rsaKey.buffer.slice(rsaKey.byteOffset, rsaKey.byteOffset + rsaKey.length) as ArrayBuffer }),
        ],
      }),
    );
  }
  const [params, point] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_EC_PARAMS }, { type: pkcs11Addon.CKA_EC_POINT }]);
  // CKA_EC_POINT is a DER OCTET STRING holding the point (most drivers); unwrap it.
  let pointBytes = point!.value as Buffer;
  const parsed = asn1js.fromBER(pointBytes);
  if (parsed.offset !== -1 && parsed.result instanceof asn1js.OctetString) pointBytes = Buffer.from(parsed.result.valueBlock.valueHexView);
  const curve = asn1js.fromBER(params!.value as Buffer).result;
  return der(
    new asn1js.Sequence({
      value: [
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.10045.2.1' }), curve] }),
        new asn1js.BitString({ valueHex: pointBytes.buffer.slice(pointBytes.byteOffset, pointBytes.byteOffset + pointBytes.length) as ArrayBuffer }),
      ],
    }),
  );
}

/** The key's identity for CKA_ID: SHA-1 of the public key bits (modulus / EC point). */
export function keyIdOf(subjectPublicKeyInfo: Uint8Array): string {
  const spki = asn1js.fromBER(subjectPublicKeyInfo).result as asn1js.Sequence;
  const bits = spki.valueBlock.value[1] as asn1js.BitString;
  return createHash('sha1').update(bits.valueBlock.valueHexView).digest('hex');
}

export function generateKeyPairOnToken(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, keyType: KeyType, label: string, mechanisms: Set<number> | undefined): GeneratedKeyPair {
  const rsa = keyType.startsWith('rsa');
  const mechanism = rsa ? pkcs11Addon.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11Addon.CKM_EC_KEY_PAIR_GEN;
  if (mechanisms && !mechanisms.has(mechanism)) throw new CasTokenError('MECHANISM_NOT_SUPPORTED', `This token cannot generate ${keyType.toUpperCase()} keys.`);
  const common = [
    { type: pkcs11Addon.CKA_TOKEN, value: true },
    { type: pkcs11Addon.CKA_LABEL, value: label },
  ];
  const publicTemplate = rsa
    ? [...common, { type: pkcs11Addon.CKA_VERIFY, value: true }, { type: pkcs11Addon.CKA_MODULUS_BITS, value: keyType === 'rsa-3072' ? 3072 : 2048 }, { type: pkcs11Addon.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]
    : [...common, { type: pkcs11Addon.CKA_VERIFY, value: true }, { type: pkcs11Addon.CKA_EC_PARAMS, value: der(new asn1js.ObjectIdentifier({ value: CURVES[keyType as 'ec-p256' | 'ec-p384'] })) }];
  const privateTemplate = [
    ...common,
    { type: pkcs11Addon.CKA_PRIVATE, value: true },
    { type: pkcs11Addon.CKA_SENSITIVE, value: true },
    { type: pkcs11Addon.CKA_EXTRACTABLE, value: false },
    { type: pkcs11Addon.CKA_SIGN, value: true },
  ];
  const keys = pkcs11.C_GenerateKeyPair(session, { mechanism }, publicTemplate, privateTemplate);
  const subjectPublicKeyInfo = subjectPublicKeyInfoOf(pkcs11, session, keys.publicKey);
  const id = keyIdOf(subjectPublicKeyInfo);
  const idAttribute = [{ type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') }];
  pkcs11.C_SetAttributeValue(session, keys.publicKey, idAttribute);
  pkcs11.C_SetAttributeValue(session, keys.privateKey, idAttribute);
  return { privateKey: keys.privateKey, id, subjectPublicKeyInfo, keyType };
}
