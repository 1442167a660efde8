/**
 * Objects on a token, read through an open session: X.509 certificates (public objects, no PIN) and the
 * private keys beside them (same CKA_ID; often visible only after login).
 */
import type pkcs11js from 'pkcs11js';
import * as asn1js from 'asn1js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { serialForms } from '../../shared/certificate/certificate-serial.js';
import { GOST_OIDS, OIDS } from '../../shared/protocol/oids.js';
import { GOST_PKCS11 } from './gost-constants.js';
import type { TokenKeyType } from './signature-mechanism.js';

type Session = pkcs11js.Handle;

export interface CertificateObject {
  handle: pkcs11js.Handle;
  /** CKA_ID, lower-case hex ('' when the object has none). */
  id: string;
  label: string;
  der: Uint8Array;
}

export interface PrivateKeyObject {
  handle: pkcs11js.Handle;
  id: string;
  keyType: TokenKeyType | 'other';
  /** CKA_ALWAYS_AUTHENTICATE: the token wants the PIN again for every signature (context-specific login). */
  alwaysAuthenticate: boolean;
}

export function findObjects(pkcs11: pkcs11js.PKCS11, session: Session, template: pkcs11js.Template): pkcs11js.Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    const handles: pkcs11js.Handle[] = [];
    for (;;) {
      const batch = pkcs11.C_FindObjects(session, 64);
      if (batch.length === 0) break;
      handles.push(...batch);
    }
    return handles;
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

/** The X.509 certificates on the token; with `id`, only those with that CKA_ID (what a signing needs). */
export function readCertificates(pkcs11: pkcs11js.PKCS11, session: Session, id?: string): CertificateObject[] {
  const template: pkcs11js.Template = [
    { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_CERTIFICATE },
    { type: pkcs11Addon.CKA_CERTIFICATE_TYPE, value: pkcs11Addon.CKC_X_509 },
  ];
  if (id !== undefined) template.push({ type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') });
  const handles = findObjects(pkcs11, session, template);
  const certificates: CertificateObject[] = [];
  for (const handle of handles) {
    const [value, idBytes, label] = readAttributes(pkcs11, session, handle, [pkcs11Addon.CKA_VALUE, pkcs11Addon.CKA_ID, pkcs11Addon.CKA_LABEL]);
    if (!value || value.length === 0) continue;
    certificates.push({
      handle,
      id: idBytes?.toString('hex') ?? '',
      label: label?.toString('utf8') ?? '',
      der: new Uint8Array(value),
    });
  }
  return certificates;
}

/** Several attributes in one call (one round trip to the token); one by one when the driver refuses one of them. */
function readAttributes(pkcs11: pkcs11js.PKCS11, session: Session, handle: pkcs11js.Handle, types: number[]): (Buffer | undefined)[] {
  try {
    const attributes = pkcs11.C_GetAttributeValue(
      session,
      handle,
      types.map((type) => ({ type })),
    );
    return types.map((type) => attributes.find((a) => a.type === type)?.value as Buffer | undefined);
  } catch {
    return types.map((type) => readAttribute(pkcs11, session, handle, type));
  }
}

/** The private keys this session can see (all of them after login; only public ones before). */
export function readPrivateKeys(pkcs11: pkcs11js.PKCS11, session: Session, id?: string): PrivateKeyObject[] {
  const template: pkcs11js.Template = [{ type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PRIVATE_KEY }];
  if (id !== undefined) template.push({ type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') });
  return findObjects(pkcs11, session, template).map((handle) => {
    const [keyType, alwaysAuthenticate, idBytes] = readAttributes(pkcs11, session, handle, [pkcs11Addon.CKA_KEY_TYPE, pkcs11Addon.CKA_ALWAYS_AUTHENTICATE, pkcs11Addon.CKA_ID]);
    return {
      handle,
      id: idBytes?.toString('hex') ?? '',
      keyType: keyTypeName(keyType ? readUlong(keyType) : undefined),
      alwaysAuthenticate: alwaysAuthenticate !== undefined && alwaysAuthenticate.length > 0 && alwaysAuthenticate[0] !== 0,
    };
  });
}

/** One attribute's bytes, or undefined when the object does not have it (or hides it). */
function readAttribute(pkcs11: pkcs11js.PKCS11, session: Session, handle: pkcs11js.Handle, type: number): Buffer | undefined {
  try {
    const [attribute] = pkcs11.C_GetAttributeValue(session, handle, [{ type }]);
    return attribute?.value;
  } catch (error) {
    if (/CKR_ATTRIBUTE_(TYPE_INVALID|SENSITIVE)/.test(error instanceof Error ? error.message : '')) return undefined;
    throw error;
  }
}

function readUlong(bytes: Buffer): number {
  // CK_ULONG in the platform's byte order and width (4 or 8 bytes).
  if (bytes.length >= 8) return Number(bytes.readBigUInt64LE(0));
  return bytes.readUInt32LE(0);
}

function keyTypeName(type: number | undefined): PrivateKeyObject['keyType'] {
  if (type === pkcs11Addon.CKK_RSA) return 'RSA';
  if (type === pkcs11Addon.CKK_EC) return 'EC';
  // 0x30 is also what GOST 2001 keys have: the certificate's key OID tells them apart (certificateKeyFacts).
  if (type === GOST_PKCS11.CKK_GOSTR3410 || type === GOST_PKCS11.CKK_GOSTR3410_512) return 'GOST';
  return 'other';
}

const RSA_OIDS = new Set<string>([OIDS.rsaEncryption, OIDS.rsassaPss]);
const EC_OID = OIDS.ecPublicKey;

export interface CertificateKeyFacts {
  /** The certificate serial as upper-case hex without the DER sign byte. */
  serialNumberHex: string;
  /** `GOST2001`: a GOST R 34.10-2001 key, no longer qualified; refused for signing. */
  keyType: TokenKeyType | 'GOST2001' | 'other';
  /** GOST R 34.10-2012 keys: 256 or 512. */
  gostKeyBits?: 256 | 512;
}

/** What the signing path needs from a certificate, read from the certificate itself (never CKA_SERIAL_NUMBER). */
/** Facts of certificates already read, by their bytes (the same certificate is signed with again and again). */
const knownFacts = new Map<string, CertificateKeyFacts>();

export function certificateKeyFacts(der: Uint8Array): CertificateKeyFacts {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let facts = knownFacts.get(key);
  if (!facts) {
    facts = parseKeyFacts(der);
    if (knownFacts.size >= 64) knownFacts.delete(knownFacts.keys().next().value!);
    knownFacts.set(key, facts);
  }
  return facts;
}

function parseKeyFacts(der: Uint8Array): CertificateKeyFacts {
  // asn1js rather than a full certificate parser: this runs on every signing and host start-up time counts.
  const parsed = asn1js.fromBER(Uint8Array.from(der));
  const tbs = (parsed.result as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  if (parsed.offset === -1 || !(tbs instanceof asn1js.Sequence)) throw new Error('not an X.509 certificate');
  const fields = tbs.valueBlock.value.filter((field) => !(field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0));
  const serial = fields[0] as asn1js.Integer;
  const spki = fields[5] as asn1js.Sequence;
  const algorithm = ((spki.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const serialNumberHex = serialForms(new Uint8Array(serial.valueBlock.valueHexView)).serialNumber;
  if (algorithm === GOST_OIDS.publicKey256 || algorithm === GOST_OIDS.publicKey512) {
    return { serialNumberHex, keyType: 'GOST', gostKeyBits: algorithm === GOST_OIDS.publicKey256 ? 256 : 512 };
  }
  if (algorithm === GOST_OIDS.publicKey2001) return { serialNumberHex, keyType: 'GOST2001' };
  const keyType = RSA_OIDS.has(algorithm) ? 'RSA' : algorithm === EC_OID ? 'EC' : 'other';
  return { serialNumberHex, keyType };
}
