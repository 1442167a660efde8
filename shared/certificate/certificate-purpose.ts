/**
 * What a certificate's key may do for a web page. A signing key (nonRepudiation, or no key usage at
 * all) signs documents and, with the separate digest permission, bare digests. An authentication key
 * (digitalSignature without nonRepudiation) proves who the user is: it signs for a page only when the
 * site asked for authentication, and a signing key never answers such a request (a page could
 * otherwise dress a document's digest up as a login challenge to get a qualified signature on it).
 */
import type { CertificateDetails } from './certificate-details.js';

export type SigningPurpose = 'signature' | 'authentication';

type KeyFacts = Pick<CertificateDetails, 'keyUsage' | 'nonRepudiation' | 'qualifiedSigning' | 'isCA'>;

export function isSigningKey(details: KeyFacts): boolean {
  if (details.isCA) return false;
  return details.nonRepudiation || details.qualifiedSigning || details.keyUsage.length === 0;
}

export function isAuthenticationKey(details: KeyFacts): boolean {
  if (details.isCA) return false;
  return details.keyUsage.includes('digitalSignature') && !details.nonRepudiation && !details.qualifiedSigning;
}

export function suitsPurpose(details: KeyFacts, purpose: SigningPurpose): boolean {
  return purpose === 'authentication' ? isAuthenticationKey(details) : isSigningKey(details);
}
