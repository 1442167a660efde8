/** What the form filler writes, derived from one certificate's details (dates in the user's time zone). */
import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';
import type { ProviderFillValues } from './provider-fields.js';

export interface FillValues {
  serialNumber: string;
  serialNumberWindows: string;
  serialNumberDecimal: string;
  issuer: string;
  issuerRfc4514: string;
  /** ISO 8601 UTC; formatted per field (DD.MM.YYYY, YYYY-MM-DD…) in `timeZone`. */
  validFrom: string;
  validTo: string;
  email?: string;
  /** IANA time zone the dates are shown in (the user's). */
  timeZone: string;
  /** The saved provider profile, when the user's own click (the popup) fills a form: section 1 of a CAS form. */
  provider?: ProviderFillValues;
}

/** The details Fill form uses (a token certificate's, a file's, a signer's). */
export type FillableDetails = Pick<CertificateDetails, 'serialNumber' | 'serialNumberWindows' | 'serialNumberDecimal' | 'issuer' | 'issuerRfc4514' | 'notBefore' | 'notAfter' | 'email'>;

export function fillValuesFromDetails(details: FillableDetails, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): FillValues {
  return {
    serialNumber: details.serialNumber,
    serialNumberWindows: details.serialNumberWindows,
    serialNumberDecimal: details.serialNumberDecimal,
    issuer: details.issuer,
    issuerRfc4514: details.issuerRfc4514,
    validFrom: details.notBefore,
    validTo: details.notAfter,
    ...(details.email ? { email: details.email } : {}),
    timeZone,
  };
}
