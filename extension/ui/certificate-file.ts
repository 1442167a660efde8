/**
 * A certificate file the user picked or dropped (`.cer/.crt/.pem/.der/.p7b`: PEM or DER, one
 * certificate or a PKCS#7 certs-only bundle), read in the extension page itself with the shared
 * certificate code: nothing is uploaded, no token is needed.
 */
import type { CertificateDetails } from '../../shared/certificate/certificate-details.js';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { chooseDefaultCertificate } from '../../shared/certificate/default-certificate.js';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { bytesToBase64 } from '../../shared/encoding/base64.js';

/** The extensions the picker offers (any file may still be dropped; its content decides). */
export const CERTIFICATE_FILE_ACCEPT = '.cer,.crt,.pem,.der,.p7b,.p7c';

/** Larger than any certificate or chain a CA sends: a bigger file is not one. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

export interface FileCertificate {
  /** The certificate's DER, base64. */
  der: string;
  details: CertificateDetails;
}

export interface CertificateFile {
  name: string;
  /** Every certificate in the file, in file order. */
  certificates: FileCertificate[];
  /** Index of the one to show first: the holder's (end-entity) certificate, the qualified signing one first. */
  chosen: number;
}

export class CertificateFileError extends Error {
  constructor(
    readonly reason: 'too-large' | 'no-certificate',
    message: string,
  ) {
    super(message);
  }
}

export async function readCertificateFile(name: string, bytes: Uint8Array): Promise<CertificateFile> {
  if (bytes.length > MAX_CERTIFICATE_FILE_BYTES) throw new CertificateFileError('too-large', `${name} is ${bytes.length} bytes: not a certificate file.`);
  let ders: Uint8Array[];
  try {
    ders = readCertificates(bytes);
  } catch (error) {
    throw new CertificateFileError('no-certificate', (error as Error).message);
  }
  const certificates: FileCertificate[] = [];
  for (const der of ders) {
    try {
      certificates.push({ der: bytesToBase64(der), details: await describeCertificate(der) });
    } catch {
      // A damaged entry in a bundle: the others are still shown.
    }
  }
  if (certificates.length === 0) throw new CertificateFileError('no-certificate', `${name}: no readable certificate.`);
  const best = chooseDefaultCertificate(certificates)!;
  return { name, certificates, chosen: certificates.indexOf(best) };
}
