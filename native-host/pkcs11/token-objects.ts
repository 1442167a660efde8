/**
 * Objects on a token, read through an open session: X.509 certificates (public objects, no PIN) and the
 * private keys beside them (same CKA_ID; often visible only after login). What the certificates say
 * (key type, serial) is read by certificate-key-facts.ts, on the signing path only.
 */
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
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

/** The objects matching the template; with `limit`, at most that many (one C_FindObjects call). */
export function findObjects(pkcs11: pkcs11js.PKCS11, session: Session, template: pkcs11js.Template, limit?: number): pkcs11js.Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    if (limit !== undefined) return pkcs11.C_FindObjects(session, limit);
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
