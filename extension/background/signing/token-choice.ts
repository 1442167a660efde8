/**
 * Which certificate a page's signing uses: the one the page named (serial or CKA_ID), else the
 * qualified signing one; either way one whose key suits what the page asked (a signature or an
 * authentication, see shared/certificate/certificate-purpose.ts).
 */
import { suitsPurpose } from '../../../shared/certificate/certificate-purpose.js';
import type { SigningPurpose } from '../../../shared/certificate/certificate-purpose.js';
import { findNamedCertificate, namesOfTokenCertificate } from '../../../shared/certificate/certificate-match.js';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import { keyAlgorithmLabel } from '../../../shared/certificate/key-algorithm-label.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { TokenCertificate, TokenInfo } from '../../../shared/protocol/token-types.js';
import { nativeHost } from '../host-connection.js';

export interface SigningChoice {
  certificate: TokenCertificate;
  token: TokenInfo | undefined;
}

/** `purpose` undefined: any certificate (filling a form signs nothing). */
export async function chooseSigningCertificate(wanted?: string, purpose?: SigningPurpose): Promise<SigningChoice> {
  const status = await nativeHost.status();
  if (status.modules.length === 0) throw new CasTokenError('NO_MODULE', 'No PKCS#11 module (token driver) is installed.');
  if (status.tokens.length === 0) throw new CasTokenError('NO_TOKEN', 'No token is inserted: insert the token and try again.');
  const certificates = (await nativeHost.request('certificates', {})).filter((c) => c.hasPrivateKey !== 'no');
  const certificate = wanted
    ? findNamedCertificate(certificates, wanted, namesOfTokenCertificate)
    : chooseDefaultCertificate(purpose ? certificates.filter((c) => suitsPurpose(c.details, purpose)) : certificates);
  if (!certificate) {
    if (!wanted && purpose && certificates.length > 0) {
      throw new CasTokenError(
        'CERTIFICATE_NOT_SUITABLE',
        purpose === 'authentication' ? 'The token holds no authentication certificate.' : 'The token holds no signing certificate (only authentication ones).',
      );
    }
    throw new CasTokenError('CERTIFICATE_NOT_FOUND', wanted ? `No certificate ${wanted} with a private key on the token.` : 'The token holds no certificate with a private key.');
  }
  if (purpose && !suitsPurpose(certificate.details, purpose)) {
    throw new CasTokenError(
      'CERTIFICATE_NOT_SUITABLE',
      purpose === 'authentication'
        ? `Certificate ${certificate.details.serialNumber} is a signing certificate: it does not sign authentication requests.`
        : `Certificate ${certificate.details.serialNumber} is an authentication certificate: it signs for a page only when the site asks for authentication.`,
    );
  }
  return { certificate, token: status.tokens.find((t) => t.serial === certificate.token.serial && t.module === certificate.token.module) };
}

export function pinPromptBase(origin: string, choice: SigningChoice) {
  const { details } = choice.certificate;
  return {
    kind: 'pin' as const,
    origin,
    certificate: {
      subject: details.subjectCommonName ?? details.subject,
      issuer: details.issuerCommonName ?? details.issuer,
      serialNumber: details.serialNumber,
      notAfter: details.notAfter,
      qualified: details.qualifiedSigning,
      key: keyAlgorithmLabel(details.publicKey),
    },
    token: {
      label: choice.certificate.token.label,
      protectedAuthenticationPath: choice.token?.flags.protectedAuthenticationPath ?? false,
      pinCountLow: choice.token?.flags.userPinCountLow ?? false,
      pinFinalTry: choice.token?.flags.userPinFinalTry ?? false,
    },
  };
}
