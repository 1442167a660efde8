/**
 * Installs an issued certificate on the token next to its key: the certificate's public key must match
 * a key pair on the token (compared with the public key objects), else it is refused; the certificate
 * object gets the key's CKA_ID and a label; CA certificates of a chain may go along (as authorities).
 */
import * as pkijs from 'pkijs';
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { OIDS } from '../../shared/protocol/oids.js';
import { keyIdOf, subjectPublicKeyInfoOf } from './token-key-generation.js';
import { findObjects } from './token-objects.js';

const ab = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

export interface ImportedCertificate {
  id: string;
  label: string;
  certificate: Uint8Array;
  alreadyInstalled: boolean;
  caCertificatesAdded: number;
}

function spkiOfCertificate(der: Uint8Array): Uint8Array {
  return new Uint8Array(pkijs.Certificate.fromBER(ab(der)).subjectPublicKeyInfo.toSchema().toBER(false));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function isCa(der: Uint8Array): boolean {
  const certificate = pkijs.Certificate.fromBER(ab(der));
  const constraints = certificate.extensions?.find((e) => e.extnID === OIDS.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  return Boolean(constraints?.cA);
}

function writeCertificate(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, der: Uint8Array, id: string, label: string, authority: boolean): void {
  const certificate = pkijs.Certificate.fromBER(ab(der));
  pkcs11.C_CreateObject(session, [
    { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_CERTIFICATE },
    { type: pkcs11Addon.CKA_CERTIFICATE_TYPE, value: pkcs11Addon.CKC_X_509 },
    { type: pkcs11Addon.CKA_TOKEN, value: true },
    { type: pkcs11Addon.CKA_PRIVATE, value: false },
    { type: pkcs11Addon.CKA_LABEL, value: label },
    { type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') },
    { type: pkcs11Addon.CKA_VALUE, value: Buffer.from(der) },
    { type: pkcs11Addon.CKA_SUBJECT, value: Buffer.from(certificate.subject.toSchema().toBER(false)) },
    { type: pkcs11Addon.CKA_ISSUER, value: Buffer.from(certificate.issuer.toSchema().toBER(false)) },
    { type: pkcs11Addon.CKA_SERIAL_NUMBER, value: Buffer.from(certificate.serialNumber.toBER(false)) },
    { type: pkcs11Addon.CKA_CERTIFICATE_CATEGORY, value: authority ? 2 : 1 },
  ]);
}

function installedCertificates(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle): Uint8Array[] {
  return findObjects(pkcs11, session, [{ type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_CERTIFICATE }]).map(
    (handle) => new Uint8Array(pkcs11.C_GetAttributeValue(session, handle, [{ type: pkcs11Addon.CKA_VALUE }])[0]!.value as Buffer),
  );
}

export function importCertificateOnToken(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  certificates: Uint8Array[],
  options: { label?: string; includeChain?: boolean; tokenLabel: string },
): ImportedCertificate {
  // The key pairs on the token, by their public keys.
  const publicKeys = findObjects(pkcs11, session, [{ type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PUBLIC_KEY }]).map((handle) => {
    const [id] = pkcs11.C_GetAttributeValue(session, handle, [{ type: pkcs11Addon.CKA_ID }]);
    return { id: Buffer.from((id!.value as Buffer) ?? []).toString('hex'), spki: subjectPublicKeyInfoOf(pkcs11, session, handle) };
  });
  const endEntities = certificates.filter((der) => !isCa(der));
  let match: { der: Uint8Array; id: string } | undefined;
  for (const der of endEntities.length ? endEntities : certificates) {
    const spki = spkiOfCertificate(der);
    const key = publicKeys.find((k) => sameBytes(k.spki, spki));
    if (key) {
      match = { der, id: key.id || keyIdOf(spki) };
      break;
    }
  }
  if (!match) {
    throw new CasTokenError(
      'KEY_NOT_FOUND',
      `No key on token "${options.tokenLabel}" matches this certificate: it was issued for another key (make the request on this token, then install what the CA issued for it).`,
    );
  }
  const privateKeys = findObjects(pkcs11, session, [
    { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PRIVATE_KEY },
    { type: pkcs11Addon.CKA_ID, value: Buffer.from(match.id, 'hex') },
  ]);
  if (privateKeys.length === 0) throw new CasTokenError('KEY_NOT_FOUND', `Token "${options.tokenLabel}" has the public key for this certificate but not its private key.`);

  const present = installedCertificates(pkcs11, session);
  const subject = pkijs.Certificate.fromBER(ab(match.der)).subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value as string | undefined;
  const label = options.label ?? subject ?? 'Certificat';
  const alreadyInstalled = present.some((der) => sameBytes(der, match!.der));
  if (!alreadyInstalled) writeCertificate(pkcs11, session, match.der, match.id, label, false);
  let caCertificatesAdded = 0;
  if (options.includeChain) {
    for (const der of certificates) {
      if (der === match.der || !isCa(der) || present.some((p) => sameBytes(p, der))) continue;
      const caLabel = (pkijs.Certificate.fromBER(ab(der)).subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value as string | undefined) ?? 'CA';
      writeCertificate(pkcs11, session, der, '', caLabel, true);
      caCertificatesAdded += 1;
    }
  }
  return { id: match.id, label, certificate: match.der, alreadyInstalled, caCertificatesAdded };
}
