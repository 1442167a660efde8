import type { CertificateDetails } from './certificate-details.js';

/**
 * The certificate to offer first: the qualified signing one (nonRepudiation / QcCompliance) that has
 * not expired, the latest-expiring among equals; then any unexpired one; then whatever there is.
 */
export function chooseDefaultCertificate<T extends { details: CertificateDetails }>(list: T[], now: Date = new Date()): T | undefined {
  const score = (item: T): number => {
    const valid = new Date(item.details.notAfter) > now && new Date(item.details.notBefore) <= now;
    return (item.details.qualifiedSigning ? 4 : 0) + (item.details.nonRepudiation ? 2 : 0) + (valid ? 8 : 0) + (item.details.isCA ? -16 : 0);
  };
  return [...list].sort((a, b) => score(b) - score(a) || b.details.notAfter.localeCompare(a.details.notAfter))[0];
}
