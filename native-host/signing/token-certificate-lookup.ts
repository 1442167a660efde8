import { findNamedCertificate, namesOfTokenCertificate } from '../../shared/certificate/certificate-match.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { TokenSelector } from '../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../shared/protocol/token-types.js';
import type { TokenService } from '../pkcs11/token-service.js';

/**
 * Finds one certificate on the token(s) by what a person has at hand: its serial number (hex, any case,
 * with or without separators, as `cas-token certs` shows it) or its CKA_ID (shared/certificate/certificate-match.ts).
 */
export async function findTokenCertificate(service: TokenService, token: TokenSelector | undefined, wanted: string): Promise<TokenCertificate> {
  const certificates = await service.listCertificates(token);
  const match = findNamedCertificate(certificates, wanted, namesOfTokenCertificate);
  if (!match) {
    const available = certificates.map((c) => `${c.details.serialNumber} (id ${c.id}, ${c.details.subjectCommonName ?? c.details.subject})`);
    throw new CasTokenError(
      'CERTIFICATE_NOT_FOUND',
      `No certificate with serial number or id "${wanted}" on the token.` + (available.length ? ` Available: ${available.join('; ')}.` : ' The token holds no certificate.'),
    );
  }
  return match;
}

/** A certificate fit to sign qualified: a qualified signing one (nonRepudiation / QcCompliance), valid now, with its key, not a CA. */
export function isUsableQualifiedSigning(certificate: TokenCertificate, now: Date = new Date()): boolean {
  const { details } = certificate;
  return details.qualifiedSigning && !details.isCA && certificate.hasPrivateKey !== 'no' && new Date(details.notBefore) <= now && now < new Date(details.notAfter);
}

/**
 * The certificate to sign with: the one named (`--cert`), else the token's one usable qualified signing
 * certificate (`chosen: true`, so the command says which it used). None or several: CERTIFICATE_NOT_FOUND
 * listing what there is, so the user can name one.
 */
export async function signingCertificate(
  service: TokenService,
  token: TokenSelector | undefined,
  wanted: string | undefined,
  texts: { none: (available: string) => string; several: (available: string) => string },
): Promise<{ certificate: TokenCertificate; chosen: boolean }> {
  if (wanted !== undefined) return { certificate: await findTokenCertificate(service, token, wanted), chosen: false };
  const certificates = await service.listCertificates(token);
  const qualified = certificates.filter((c) => isUsableQualifiedSigning(c));
  if (qualified.length === 1) return { certificate: qualified[0]!, chosen: true };
  const list = (qualified.length > 1 ? qualified : certificates).map((c) => `${c.details.serialNumber} (id ${c.id}, ${c.details.subjectCommonName ?? c.details.subject})`);
  const available = list.length ? ` ${list.join('; ')}.` : '';
  throw new CasTokenError('CERTIFICATE_NOT_FOUND', qualified.length > 1 ? texts.several(available) : texts.none(available));
}
