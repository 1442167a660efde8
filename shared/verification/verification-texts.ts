/**
 * English sentences for the reason and note codes: what the CLI prints. The extension's Verify page
 * translates the codes itself (public/_locales); these texts are never shown there.
 */
import type { VerificationNote, VerificationReason } from './verification-report.js';

export const REASON_TEXTS: Record<VerificationReason, string> = {
  SIGNED_DATA_CHANGED: 'the signed content was changed after signing (its digest does not match the one signed)',
  SIGNATURE_VALUE_WRONG: "the signature value does not verify with the signer certificate's key (the signature was altered, or made with another key)",
  SIGNING_CERTIFICATE_MISMATCH: 'the signature names another signing certificate than the one it carries',
  DOCUMENT_CHANGED_AFTER_SIGNING: 'the document was changed after this signature (not by a signature, form filling or annotations)',
  CERTIFICATION_VIOLATED: 'the document was changed after it was certified in a way its certification does not allow',
  SIGNATURE_FORMAT_ERROR: 'the signature structure is broken',
  CERTIFICATE_REVOKED: 'the signer certificate was revoked before the signing time',
  NO_TRUST_ANCHOR: 'no trust anchor was given (--ca FILE|DIR or the trustAnchors folder): the signer cannot be trusted',
  CHAIN_NOT_TRUSTED: 'the signer certificate does not chain to any trusted CA (an unknown CA)',
  CHAIN_INVALID: 'a certificate of the chain is not valid',
  CERTIFICATE_EXPIRED_AT_SIGNING_TIME: 'the signer certificate had expired at the signing time',
  CERTIFICATE_NOT_YET_VALID_AT_SIGNING_TIME: 'the signer certificate was not yet valid at the signing time',
  CERTIFICATE_EXPIRED_SINCE_SIGNING: 'the signer certificate has expired since the signing time, and no timestamp proves the signature was made before',
  SIGNER_CERTIFICATE_NOT_FOUND: 'the signature does not carry the certificate it was made with',
  UNSUPPORTED_ALGORITHM: 'the signature uses an algorithm this verifier cannot check',
  SIGNED_CONTENT_MISSING: 'the signed content was not given (a detached signature: name it with --content FILE, or put it beside the signature without the extension)',
};

export const NOTE_TEXTS: Record<VerificationNote, string> = {
  REVOCATION_NOT_CHECKED: 'revocation not checked (the file holds no revocation data; nothing is fetched from the network)',
  NO_NON_REPUDIATION: 'the signer certificate has no nonRepudiation key usage (not a qualified signing key)',
  NOT_QUALIFIED: 'the signer certificate has no QcCompliance statement',
  NO_SIGNING_TIME: 'the signature claims no signing time: the certificate was checked at the time of verification',
  LATER_SIGNATURES: 'later signatures were added after this one',
  FORM_FILLED_AFTER_SIGNING: 'form fields were filled after this signature',
  ANNOTATIONS_AFTER_SIGNING: 'annotations were added after this signature',
  METADATA_CHANGED_AFTER_SIGNING: 'the document metadata changed after this signature',
};
