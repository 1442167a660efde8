import type { CertificateDetails } from '../../shared/certificate/certificate-details.js';
import { keyAlgorithmLabel } from '../../shared/certificate/key-algorithm-label.js';

/** The details of one certificate as label/value lines for the terminal. */
export function certificateFieldRows(details: CertificateDetails): [string, string | undefined][] {
  const ids = details.identifiers;
  const key = details.publicKey;
  return [
    ['Subject', details.subject],
    ['Serial number', details.serialNumber],
    ['Serial (Windows)', details.serialNumberWindows],
    ['Serial (decimal)', details.serialNumberDecimal],
    ['Issuer', details.issuer],
    ['Issuer (RFC 4514)', details.issuerRfc4514],
    ['Valid from', details.notBefore],
    ['Valid to', details.notAfter],
    ['E-mail', details.email],
    ['Other e-mails', details.emails.filter((email) => email !== details.email).join(', ')],
    ['Organization identifier', ids.organizationIdentifier],
    ['CUI', ids.cui],
    ['Subject serialNumber', ids.subjectSerialNumbers.join(', ')],
    ['INN', ids.inn],
    ['INN (legal entity)', ids.innle],
    ['OGRN', ids.ogrn],
    ['OGRNIP', ids.ogrnip],
    ['SNILS', ids.snils],
    ['Key', `${keyAlgorithmLabel(key)}${key.curve && !/^P-\d+$/.test(key.curve) ? ` (${key.curve})` : ''}`],
    ['Key usage', details.keyUsage.join(', ')],
    ['Qualified signing', details.qualifiedSigning ? `yes${details.qcCompliance ? ' (QcCompliance)' : ''}` : 'no'],
    ['Signature algorithm', details.signatureAlgorithm],
    ['SHA-1 fingerprint', details.fingerprintSha1],
    ['SHA-256 fingerprint', details.fingerprintSha256],
  ];
}
