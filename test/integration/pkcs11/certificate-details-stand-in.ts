/**
 * A stand-in for shared/certificate/describe-certificate.ts (written in parallel by another engineer):
 * the token service takes the describer by injection, and these tests assert only the serial number
 * and the subject common name, so only those are filled (read with pkijs); the rest stays empty.
 */
import { Certificate } from 'pkijs';
import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';

const COMMON_NAME = '2.5.4.3';

export async function describeCertificateStandIn(der: Uint8Array): Promise<CertificateDetails> {
  const certificate = Certificate.fromBER(Uint8Array.from(der));
  let serialNumber = Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase();
  if (serialNumber.length > 2 && serialNumber.startsWith('00')) serialNumber = serialNumber.slice(2);
  const commonName = certificate.subject.typesAndValues.find((attribute) => attribute.type === COMMON_NAME);
  const details: CertificateDetails = {
    serialNumber,
    serialNumberWindows: '',
    serialNumberDecimal: '',
    issuer: '',
    issuerRfc4514: '',
    issuerWindows: '',
    subject: '',
    subjectRfc4514: '',
    subjectWindows: '',
    notBefore: '',
    notAfter: '',
    emails: [],
    identifiers: { subjectSerialNumbers: [] },
    publicKey: { algorithm: '', size: 0 },
    keyUsage: [],
    extendedKeyUsage: [],
    qcCompliance: false,
    nonRepudiation: false,
    qualifiedSigning: false,
    isCA: false,
    signatureAlgorithm: '',
    fingerprintSha1: '',
    fingerprintSha256: '',
  };
  if (commonName) details.subjectCommonName = String(commonName.value.valueBlock.value);
  return details;
}
