/**
 * The CA certificates to embed in a signature beside the signing certificate, so that a verifier who
 * trusts only the root CA can validate it (RFC 5652 §5.1: the certificates "sufficient to contain
 * certification paths from a recognized root"): issuer by issuer, from the candidates at hand (the CA
 * certificates on the same token, `cas-token import-cert --ca`, and those of the folder the config file
 * names), up to a self-signed root.
 *
 * An issuer is accepted when OpenSSL's X509_check_issued agrees (its subject equals the certificate's
 * issuer name, its subjectKeyIdentifier matches the authorityKeyIdentifier when both are present, its key
 * usage allows certificate signing) AND the certificate's signature verifies with its public key: a CA
 * certificate that merely has the right name is never embedded.
 *
 * The root is NOT embedded: a verifier must have it already as a trust anchor, it would never trust one
 * a signature brings along, and in a PDF it only takes space. So the chain is the intermediates, nearest
 * first (the order CAdES, PAdES and XAdES verifiers expect and OpenSSL prints).
 */
import { X509Certificate } from 'node:crypto';

/** More intermediate CAs than any real hierarchy has: a longer path is a loop of cross-certificates. */
const MAX_DEPTH = 8;

function parse(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  } catch {
    return false; // a key type OpenSSL cannot verify with: not this issuer as far as we can tell
  }
}

const isSelfSigned = (certificate: X509Certificate): boolean => issuedBy(certificate, certificate);

function validAt(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

/**
 * The CA certificates (DER) that certify `certificate`, nearest issuer first, without the root; empty when
 * the certificate is self-signed or no issuer is among `candidates`. Among several issuers that fit
 * (a renewed CA with the same name and key), one valid at `now` is preferred.
 */
export function buildCertificateChain(certificate: Uint8Array, candidates: Uint8Array[], now: Date = new Date()): Uint8Array[] {
  let current = parse(certificate);
  if (!current) return [];
  const seen = new Set<string>([current.fingerprint256]);
  const authorities: X509Certificate[] = [];
  for (const der of candidates) {
    const candidate = parse(der);
    if (candidate?.ca && !seen.has(candidate.fingerprint256)) {
      seen.add(candidate.fingerprint256);
      authorities.push(candidate);
    }
  }
  const chain: Uint8Array[] = [];
  const used = new Set<string>();
  while (chain.length < MAX_DEPTH && !isSelfSigned(current)) {
    const issuers = authorities.filter((authority) => !used.has(authority.fingerprint256) && issuedBy(current!, authority));
    const issuer = issuers.find((authority) => validAt(authority, now)) ?? issuers[0];
    if (!issuer || isSelfSigned(issuer)) break; // the root: the verifier's own trust anchor
    used.add(issuer.fingerprint256);
    chain.push(new Uint8Array(issuer.raw));
    current = issuer;
  }
  return chain;
}
