/**
 * The one rule for "which certificate did they mean" (docs/DOMAIN.md, "Naming a certificate"), used by
 * the page's choice, the CLI's --cert, the host's selector and renewal's --from-cert:
 * - a serial number is compared as a number written in hex: case, separators (spaces, colons), leading
 *   zeros and the Windows form's 00 sign byte do not matter; a negative serial keeps its `-`;
 * - a CKA_ID is compared as bytes in hex: case and separators do not matter, leading zeros do;
 * - a text that could be either names the certificate with that serial number first, then that id.
 */

/** What a certificate is named by: its serial number (`serialNumber` of the details) and its CKA_ID (hex). */
export interface CertificateNames {
  serialNumber: string;
  id: string;
}

/** Which certificate: by CKA_ID, by serial number, or both (then both must match). */
export interface CertificateSelection {
  id?: string | undefined;
  serialNumber?: string | undefined;
}

const withoutSeparators = (text: string): string => text.replace(/[\s:]/g, '').toLowerCase();

function serialValue(text: string): string {
  const bare = withoutSeparators(text);
  const negative = bare.startsWith('-');
  const digits = (negative ? bare.slice(1) : bare).replace(/^0+(?=.)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Two serial numbers written in hex, in any of the forms people copy them in, are the same number. */
export function sameSerialNumber(a: string, b: string): boolean {
  return serialValue(a) === serialValue(b);
}

/** Two CKA_IDs in hex are the same bytes. */
export function sameCertificateId(a: string, b: string): boolean {
  return withoutSeparators(a) === withoutSeparators(b);
}

/** Whether a certificate is the one a selector names (each given part must match; none given: no match). */
export function matchesSelection(names: CertificateNames, selection: CertificateSelection): boolean {
  if (selection.id === undefined && selection.serialNumber === undefined) return false;
  if (selection.id !== undefined && !sameCertificateId(names.id, selection.id)) return false;
  if (selection.serialNumber !== undefined && !sameSerialNumber(names.serialNumber, selection.serialNumber)) return false;
  return true;
}

/** The certificate a person or a page named by one text (a serial number or a CKA_ID): serial first, then id. */
export function findNamedCertificate<T>(certificates: readonly T[], wanted: string, namesOf: (certificate: T) => CertificateNames): T | undefined {
  return certificates.find((c) => sameSerialNumber(namesOf(c).serialNumber, wanted)) ?? certificates.find((c) => sameCertificateId(namesOf(c).id, wanted));
}

/** The names of a certificate as the host lists it. */
export const namesOfTokenCertificate = (certificate: { id: string; details: { serialNumber: string } }): CertificateNames => ({ serialNumber: certificate.details.serialNumber, id: certificate.id });
