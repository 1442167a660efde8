import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { TokenSelector } from '../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../shared/protocol/token-types.js';
import type { TokenService } from '../pkcs11/token-service.js';

/**
 * Finds one certificate on the token(s) by what a person has at hand: its serial number (hex, any case,
 * with or without separators, as `cas-token certs` shows it) or its CKA_ID.
 */
export async function findTokenCertificate(service: TokenService, token: TokenSelector | undefined, wanted: string): Promise<TokenCertificate> {
  const normalised = wanted.replace(/[\s:]/g, '').toLowerCase();
  const certificates = await service.listCertificates(token);
  const match =
    certificates.find((c) => c.details.serialNumber.toLowerCase() === normalised) ??
    certificates.find((c) => c.id === normalised) ??
    certificates.find((c) => c.details.serialNumber.toLowerCase() === normalised.replace(/^0+/, ''));
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
