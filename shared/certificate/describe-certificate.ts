/**
 * `describeCertificate(der)`: everything a person or a CAS form needs from one X.509 certificate,
 * formatted by the conventions in docs/DOMAIN.md. Pure: runs in Node and in the browser (WebCrypto for
 * the fingerprints, asn1js for the structure; every string type decoded from its raw DER).
 */
import * as asn1js from 'asn1js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { CertificateDetails, HolderIdentifiers } from './certificate-details.js';
import { QC_COMPLIANCE, readExtensions } from './certificate-extensions.js';
import { serialForms } from './certificate-serial.js';
import { attributeValues, nameForRfc4514, nameForSiui, nameForWindows, nameFromAsn1 } from './distinguished-name.js';
import { cuiFromOrganizationIdentifier } from './organization-identifier.js';
import { publicKeyDetails, signatureAlgorithmName } from './public-key-details.js';
import { OIDS } from '../protocol/oids.js';
import { bytesToHex } from '../encoding/hex.js';

const OID = { ...OIDS, email: OIDS.emailAddress };

const hexUpper = (bytes: ArrayBuffer): string => bytesToHex(bytes).toUpperCase();

function isoUtc(time: asn1js.AsnType): string {
  const date = (time as asn1js.UTCTime | asn1js.GeneralizedTime).toDate();
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalid(): CasTokenError {
  return new CasTokenError('INVALID_ARGUMENT', 'This is not an X.509 certificate (DER).');
}

export async function describeCertificate(input: Uint8Array | ArrayBuffer): Promise<CertificateDetails> {
  const der = new Uint8Array(input instanceof Uint8Array ? input : new Uint8Array(input)); // own ArrayBuffer copy for WebCrypto
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw invalid();
  const [tbs, signatureAlgorithm] = parsed.result.valueBlock.value as [asn1js.Sequence, asn1js.Sequence];
  if (!(tbs instanceof asn1js.Sequence) || !(signatureAlgorithm instanceof asn1js.Sequence)) throw invalid();
  const fields = [...tbs.valueBlock.value];
  if (fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0) fields.shift(); // [0] version
  const [serial, , issuerName, validity, subjectName, spki, ...rest] = fields;
  if (!(serial instanceof asn1js.Integer) || !(validity instanceof asn1js.Sequence) || !(spki instanceof asn1js.Sequence)) throw invalid();
  const extensionsWrapper = rest.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 3) as asn1js.Constructed | undefined;
  const extensions = readExtensions(extensionsWrapper?.valueBlock.value[0] as asn1js.Sequence | undefined);

  const issuer = nameFromAsn1(issuerName!);
  const subject = nameFromAsn1(subjectName!);
  const subjectEmails = attributeValues(subject, OID.email);
  const emails: string[] = [];
  for (const email of [...subjectEmails, ...extensions.subjectAltNameEmails]) {
    if (!emails.some((known) => known.toLowerCase() === email.toLowerCase())) emails.push(email);
  }

  const organizationIdentifier = attributeValues(subject, OID.organizationIdentifier)[0];
  const identifiers: HolderIdentifiers = { subjectSerialNumbers: attributeValues(subject, OID.serialNumber) };
  if (organizationIdentifier !== undefined) {
    identifiers.organizationIdentifier = organizationIdentifier;
    const cui = cuiFromOrganizationIdentifier(organizationIdentifier);
    if (cui) identifiers.cui = cui;
  }
  for (const [key, oid] of [
    ['inn', OID.inn],
    ['ogrn', OID.ogrn],
    ['snils', OID.snils],
    ['innle', OID.innle],
    ['ogrnip', OID.ogrnip],
  ] as const) {
    const value = attributeValues(subject, oid)[0];
    if (value !== undefined) identifiers[key] = value;
  }

  const [notBefore, notAfter] = validity.valueBlock.value;
  const qcCompliance = extensions.qcStatements.includes(QC_COMPLIANCE);
  const nonRepudiation = extensions.keyUsage.includes('nonRepudiation');
  const signatureOid = (signatureAlgorithm.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const issuerCommonName = attributeValues(issuer, OID.commonName).at(-1);
  const subjectCommonName = attributeValues(subject, OID.commonName).at(-1);
  const [sha1, sha256] = await Promise.all([crypto.subtle.digest('SHA-1', der), crypto.subtle.digest('SHA-256', der)]);

  return {
    ...serialForms(new Uint8Array(serial.valueBlock.valueHexView)),
    issuer: nameForSiui(issuer),
    issuerRfc4514: nameForRfc4514(issuer),
    issuerWindows: nameForWindows(issuer),
    ...(issuerCommonName !== undefined ? { issuerCommonName } : {}),
    subject: nameForSiui(subject),
    subjectRfc4514: nameForRfc4514(subject),
    subjectWindows: nameForWindows(subject),
    ...(subjectCommonName !== undefined ? { subjectCommonName } : {}),
    notBefore: isoUtc(notBefore!),
    notAfter: isoUtc(notAfter!),
    ...(emails[0] !== undefined ? { email: emails[0] } : {}),
    emails,
    identifiers,
    publicKey: publicKeyDetails(spki),
    keyUsage: extensions.keyUsage,
    extendedKeyUsage: extensions.extendedKeyUsage,
    qcCompliance,
    nonRepudiation,
    qualifiedSigning: qcCompliance ? nonRepudiation || extensions.keyUsage.length === 0 : nonRepudiation && !extensions.isCA,
    isCA: extensions.isCA,
    signatureAlgorithm: signatureAlgorithmName(signatureOid),
    fingerprintSha1: hexUpper(sha1),
    fingerprintSha256: hexUpper(sha256),
  };
}
