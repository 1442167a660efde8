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
      `No certificate with serial number or id "${wanted}" on the token.` +
        (available.length ? ` Available: ${available.join('; ')}.` : ' The token holds no certificate.'),
    );
  }
  return match;
}
