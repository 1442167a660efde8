/**
 * A new key pair generated ON the token (the private key never leaves it): RSA-2048/3072, EC
 * P-256/P-384 or GOST R 34.10-2012 256/512 (CKM_GOSTR3410_KEY_PAIR_GEN / CKM_GOSTR3410_512_KEY_PAIR_GEN
 * with CKA_GOSTR3410_PARAMS, TC26 set A by default; JaCarta wants CKA_GOSTR3410_512PARAMS for 512-bit
 * keys and gets it when the first template is refused); the private key token-resident, private,
 * sensitive, non-extractable, for signing; a new CKA_ID = SHA-1 of the public key (as CA tools and most
 * middleware do), shared by both halves.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { GOST_OIDS, gostParamsetOid } from '../../shared/protocol/gost-algorithms.js';
import type { GostParamsetName } from '../../shared/protocol/gost-algorithms.js';
import { GOST_PKCS11 } from './gost-constants.js';
import { OIDS } from '../../shared/protocol/oids.js';
import { KEY_TYPES } from '../../shared/protocol/token-types.js';
import type { KeyType } from '../../shared/protocol/token-types.js';

export { KEY_TYPES };
export type { KeyType };

const CURVES: Record<'ec-p256' | 'ec-p384', string> = { 'ec-p256': OIDS.curveP256, 'ec-p384': OIDS.curveP384 };

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

function optionalAttribute(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, object: pkcs11js.Handle, type: number): Buffer | undefined {
  try {
    return pkcs11.C_GetAttributeValue(session, object, [{ type }])[0]?.value as Buffer | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SPKI of a GOST R 34.10-2012 public key object (RFC 9215): the key OID by size, parameters
 * SEQUENCE { paramset, digest } (the digest left out for the TC26 256-bit sets, as OpenSSL writes it),
 * and the key as an OCTET STRING of X||Y (each little-endian: CKA_VALUE as the token gives it).
 */
function gostSubjectPublicKeyInfo(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, publicKey: pkcs11js.Handle): Uint8Array {
  const point = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_VALUE }])[0]!.value as Buffer;
  const big = point.length === 128;
  if (point.length !== 64 && !big) throw new CasTokenError('INTERNAL_ERROR', `The token gave a GOST public key of ${point.length} bytes (64 or 128 expected).`);
  const params = optionalAttribute(pkcs11, session, publicKey, GOST_PKCS11.CKA_GOSTR3410_PARAMS) ?? optionalAttribute(pkcs11, session, publicKey, GOST_PKCS11.CKA_GOSTR3410_512PARAMS);
  if (!params) throw new CasTokenError('INTERNAL_ERROR', 'The token did not say which parameter set its GOST key is on (CKA_GOSTR3410_PARAMS).');
  const paramset = asn1js.fromBER(params).result as asn1js.ObjectIdentifier;
  const tc26Short = paramset.valueBlock.toString().startsWith('1.2.643.7.1.2.1.1.');
  const digest = new asn1js.ObjectIdentifier({ value: big ? GOST_OIDS.digest512 : GOST_OIDS.digest256 });
  const key = der(new asn1js.OctetString({ valueHex: point.buffer.slice(point.byteOffset, point.byteOffset + point.length) as ArrayBuffer }));
  return der(
    new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [new asn1js.ObjectIdentifier({ value: big ? GOST_OIDS.publicKey512 : GOST_OIDS.publicKey256 }), new asn1js.Sequence({ value: tc26Short ? [paramset] : [paramset, digest] })],
        }),
        new asn1js.BitString({ valueHex: key.buffer.slice(key.byteOffset, key.byteOffset + key.length) as ArrayBuffer }),
      ],
    }),
  );
}

/** The SPKI of a public key object on the token (RSA modulus/exponent, EC parameters/point, GOST parameters/X||Y). */
export function subjectPublicKeyInfoOf(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, publicKey: pkcs11js.Handle): Uint8Array {
  const [type] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_KEY_TYPE }]);
  const keyType = type!.value!.readUInt32LE(0);
  if (keyType === GOST_PKCS11.CKK_GOSTR3410 || keyType === GOST_PKCS11.CKK_GOSTR3410_512) return gostSubjectPublicKeyInfo(pkcs11, session, publicKey);
  if (keyType === pkcs11Addon.CKK_RSA) {
    const [modulus, exponent] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11Addon.CKA_MODULUS }, { type: pkcs11Addon.CKA_PUBLIC_EXPONENT }]);
    const rsaKey = der(new asn1js.Sequence({ value: [unsignedInteger(modulus!.value as Buffer), unsignedInteger(exponent!.value as Buffer)] }));
    return der(
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OIDS.rsaEncryption }), new asn1js.Null()] }),
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
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OIDS.ecPublicKey }), curve] }),
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

export interface KeyGenerationOptions {
  /** GOST keys: the parameter set (default TC26 A). */
  gostParamset?: GostParamsetName;
}

function generateGostKeyPair(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  keyType: 'gost2012-256' | 'gost2012-512',
  label: string,
  mechanisms: Set<number> | undefined,
  options: KeyGenerationOptions,
): { publicKey: pkcs11js.Handle; privateKey: pkcs11js.Handle } {
  const big = keyType === 'gost2012-512';
  const mechanism = big ? GOST_PKCS11.CKM_GOSTR3410_512_KEY_PAIR_GEN : GOST_PKCS11.CKM_GOSTR3410_KEY_PAIR_GEN;
  if (mechanisms && !mechanisms.has(mechanism)) throw new CasTokenError('MECHANISM_NOT_SUPPORTED', `This token cannot generate GOST R 34.10-2012 ${big ? 512 : 256}-bit keys.`);
  const paramsetName = options.gostParamset ?? 'tc26-A';
  const paramsetOid = gostParamsetOid(big ? 512 : 256, paramsetName);
  if (!paramsetOid) throw new CasTokenError('INVALID_ARGUMENT', `There is no ${paramsetName} parameter set for ${big ? 512 : 256}-bit GOST keys; use tc26-A, tc26-B or tc26-C.`);
  const paramset = der(new asn1js.ObjectIdentifier({ value: paramsetOid }));
  const digest = der(new asn1js.ObjectIdentifier({ value: big ? GOST_OIDS.digest512 : GOST_OIDS.digest256 }));
  const keyTypeValue = big ? GOST_PKCS11.CKK_GOSTR3410_512 : GOST_PKCS11.CKK_GOSTR3410;
  const template = (paramsAttribute: number) => ({
    publicKey: [
      { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PUBLIC_KEY },
      { type: pkcs11Addon.CKA_KEY_TYPE, value: keyTypeValue },
      { type: pkcs11Addon.CKA_TOKEN, value: true },
      { type: pkcs11Addon.CKA_PRIVATE, value: false },
      { type: pkcs11Addon.CKA_LABEL, value: label },
      { type: pkcs11Addon.CKA_VERIFY, value: true },
      { type: paramsAttribute, value: paramset },
      { type: GOST_PKCS11.CKA_GOSTR3411_PARAMS, value: digest },
    ],
    privateKey: [
      { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PRIVATE_KEY },
      { type: pkcs11Addon.CKA_KEY_TYPE, value: keyTypeValue },
      { type: pkcs11Addon.CKA_TOKEN, value: true },
      { type: pkcs11Addon.CKA_PRIVATE, value: true },
      { type: pkcs11Addon.CKA_LABEL, value: label },
      { type: pkcs11Addon.CKA_SENSITIVE, value: true },
      { type: pkcs11Addon.CKA_EXTRACTABLE, value: false },
      { type: pkcs11Addon.CKA_SIGN, value: true },
      { type: paramsAttribute, value: paramset },
      { type: GOST_PKCS11.CKA_GOSTR3411_PARAMS, value: digest },
    ],
  });
  const first = template(GOST_PKCS11.CKA_GOSTR3410_PARAMS);
  try {
    return pkcs11.C_GenerateKeyPair(session, { mechanism }, first.publicKey, first.privateKey);
  } catch (error) {
    // JaCarta names the 512-bit parameter set with its own attribute (CKA_GOSTR3410_512PARAMS).
    if (!big || !/CKR_(TEMPLATE_INCONSISTENT|TEMPLATE_INCOMPLETE|ATTRIBUTE_TYPE_INVALID|ATTRIBUTE_VALUE_INVALID|DOMAIN_PARAMS_INVALID)/.test(error instanceof Error ? error.message : '')) throw error;
    const jacarta = template(GOST_PKCS11.CKA_GOSTR3410_512PARAMS);
    return pkcs11.C_GenerateKeyPair(session, { mechanism }, jacarta.publicKey, jacarta.privateKey);
  }
}

export function generateKeyPairOnToken(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  keyType: KeyType,
  label: string,
  mechanisms: Set<number> | undefined,
  options: KeyGenerationOptions = {},
): GeneratedKeyPair {
  if (keyType === 'gost2012-256' || keyType === 'gost2012-512') {
    const keys = generateGostKeyPair(pkcs11, session, keyType, label, mechanisms, options);
    return withKeyId(pkcs11, session, keys, keyType);
  }
  const rsa = keyType.startsWith('rsa');
  const mechanism = rsa ? pkcs11Addon.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11Addon.CKM_EC_KEY_PAIR_GEN;
  if (mechanisms && !mechanisms.has(mechanism)) throw new CasTokenError('MECHANISM_NOT_SUPPORTED', `This token cannot generate ${keyType.toUpperCase()} keys.`);
  const common = [
    { type: pkcs11Addon.CKA_TOKEN, value: true },
    { type: pkcs11Addon.CKA_LABEL, value: label },
  ];
  const publicTemplate = rsa
    ? [
        ...common,
        { type: pkcs11Addon.CKA_VERIFY, value: true },
        { type: pkcs11Addon.CKA_MODULUS_BITS, value: keyType === 'rsa-3072' ? 3072 : 2048 },
        { type: pkcs11Addon.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      ]
    : [...common, { type: pkcs11Addon.CKA_VERIFY, value: true }, { type: pkcs11Addon.CKA_EC_PARAMS, value: der(new asn1js.ObjectIdentifier({ value: CURVES[keyType as 'ec-p256' | 'ec-p384'] })) }];
  const privateTemplate = [
    ...common,
    { type: pkcs11Addon.CKA_PRIVATE, value: true },
    { type: pkcs11Addon.CKA_SENSITIVE, value: true },
    { type: pkcs11Addon.CKA_EXTRACTABLE, value: false },
    { type: pkcs11Addon.CKA_SIGN, value: true },
  ];
  return withKeyId(pkcs11, session, pkcs11.C_GenerateKeyPair(session, { mechanism }, publicTemplate, privateTemplate), keyType);
}

/** Gives both halves CKA_ID = SHA-1 of the public key and answers the pair. */
function withKeyId(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, keys: { publicKey: pkcs11js.Handle; privateKey: pkcs11js.Handle }, keyType: KeyType): GeneratedKeyPair {
  const subjectPublicKeyInfo = subjectPublicKeyInfoOf(pkcs11, session, keys.publicKey);
  const id = keyIdOf(subjectPublicKeyInfo);
  const idAttribute = [{ type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') }];
  pkcs11.C_SetAttributeValue(session, keys.publicKey, idAttribute);
  pkcs11.C_SetAttributeValue(session, keys.privateKey, idAttribute);
  return { privateKey: keys.privateKey, id, subjectPublicKeyInfo, keyType };
}
