/**
 * What `verifyFile` says about every signature of a file: a verdict like the EU DSS validator's
 * (valid / invalid / indeterminate), the reasons as stable codes (the extension's Verify page translates
 * them; `reasonText` gives the CLI's English), the signer's certificate in the same form as
 * `cas-token cert`, and every check that led there. Pure data: JSON as it is (`--json`).
 */
import type { CertificateDetails } from '../certificate/certificate-details.js';

/** valid: every check passed, chain to a trust anchor. invalid: the signature is proven wrong. indeterminate: it cannot be proven either way. */
export type VerificationVerdict = 'valid' | 'invalid' | 'indeterminate';

/** The signature format: PDF (PAdES / adbe.pkcs7.detached), CMS (CAdES .p7s / .p7m / .sig), XML (XAdES / XML-DSig). */
export type SignatureFormat = 'pades' | 'cades' | 'xades';

/**
 * Why a signature is not valid. Stable codes: a code never changes meaning. The first reason of a
 * signature is the decisive one (its verdict follows from it).
 */
export const VERIFICATION_REASONS = [
  // invalid (the signature is proven wrong)
  'SIGNED_DATA_CHANGED', // the bytes the signature covers are not those it was made over (digest mismatch): tampered
  'SIGNATURE_VALUE_WRONG', // the signature value does not verify with the signer certificate's key (tampered signature, or the wrong certificate)
  'SIGNING_CERTIFICATE_MISMATCH', // the signed reference to the signing certificate (signingCertificateV2 / XAdES SigningCertificate) names another certificate
  'DOCUMENT_CHANGED_AFTER_SIGNING', // PDF: the document was changed after this signature in ways other than signing, form filling or annotations
  'CERTIFICATION_VIOLATED', // PDF: changes after a certifying signature that its DocMDP level does not allow
  'SIGNATURE_FORMAT_ERROR', // the signature structure is broken (a ByteRange that does not fit the file, a CMS that cannot be read, …)
  'CERTIFICATE_REVOKED', // revocation data embedded in the file says the signer certificate was revoked before the signing time
  // indeterminate (cannot be proven valid)
  'NO_TRUST_ANCHOR', // no trust anchor was given (--ca, the trust folder): nothing to build a chain to
  'CHAIN_NOT_TRUSTED', // no chain from the signer certificate to any given trust anchor (an unknown CA)
  'CHAIN_INVALID', // a chain was found but a certificate in it is not valid (bad CA signature, not a CA, outside its validity)
  'CERTIFICATE_EXPIRED_AT_SIGNING_TIME', // the signer certificate had expired at the claimed signing time
  'CERTIFICATE_NOT_YET_VALID_AT_SIGNING_TIME', // the signer certificate was not yet valid at the claimed signing time
  'CERTIFICATE_EXPIRED_SINCE_SIGNING', // valid at the claimed signing time, expired now, and nothing in the file (a timestamp) proves the signature existed before (DSS: OUT_OF_BOUNDS_NO_POE)
  'SIGNER_CERTIFICATE_NOT_FOUND', // the signature does not carry the certificate it was made with
  'UNSUPPORTED_ALGORITHM', // a digest or signature algorithm this verifier cannot check (SHA3, EdDSA, GOST R 34.10 on a curve not in gost-curves.ts such as the GOST 2001 test set, GOST 2001)
  'SIGNED_CONTENT_MISSING', // a detached signature whose content was not given (--content, or the file beside it)
] as const;
export type VerificationReason = (typeof VERIFICATION_REASONS)[number];

/** Verdict each reason leads to. */
export const REASON_VERDICT: Record<VerificationReason, Exclude<VerificationVerdict, 'valid'>> = {
  SIGNED_DATA_CHANGED: 'invalid',
  SIGNATURE_VALUE_WRONG: 'invalid',
  SIGNING_CERTIFICATE_MISMATCH: 'invalid',
  DOCUMENT_CHANGED_AFTER_SIGNING: 'invalid',
  CERTIFICATION_VIOLATED: 'invalid',
  SIGNATURE_FORMAT_ERROR: 'invalid',
  CERTIFICATE_REVOKED: 'invalid',
  NO_TRUST_ANCHOR: 'indeterminate',
  CHAIN_NOT_TRUSTED: 'indeterminate',
  CHAIN_INVALID: 'indeterminate',
  CERTIFICATE_EXPIRED_AT_SIGNING_TIME: 'indeterminate',
  CERTIFICATE_NOT_YET_VALID_AT_SIGNING_TIME: 'indeterminate',
  CERTIFICATE_EXPIRED_SINCE_SIGNING: 'indeterminate',
  SIGNER_CERTIFICATE_NOT_FOUND: 'indeterminate',
  UNSUPPORTED_ALGORITHM: 'indeterminate',
  SIGNED_CONTENT_MISSING: 'indeterminate',
};

/** Facts worth telling that do not change the verdict. Stable codes. */
export const VERIFICATION_NOTES = [
  'REVOCATION_NOT_CHECKED', // no revocation data in the file: revocation was not checked (nothing goes to the network)
  'NO_NON_REPUDIATION', // the signer certificate's keyUsage has no nonRepudiation (contentCommitment): not a qualified signing key
  'NOT_QUALIFIED', // the signer certificate has no QcCompliance statement
  'NO_SIGNING_TIME', // the signature claims no signing time: the certificate was checked at the time of verification
  'LATER_SIGNATURES', // PDF: signatures were added after this one (allowed)
  'FORM_FILLED_AFTER_SIGNING', // PDF: form fields were filled after this signature (allowed unless certified with no changes)
  'ANNOTATIONS_AFTER_SIGNING', // PDF: annotations (comments) were added after this signature
  'METADATA_CHANGED_AFTER_SIGNING', // PDF: the document information / XMP metadata changed after this signature
] as const;
export type VerificationNote = (typeof VERIFICATION_NOTES)[number];

/** One certificate of the chain, signer first, trust anchor last. */
export interface ChainCertificate {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** This certificate is one of the given trust anchors. */
  trustAnchor: boolean;
}

export interface ChainReport {
  /** trusted: built to a trust anchor, every CA certificate valid at the signing time and now; the others match the reasons. */
  status: 'trusted' | 'no-trust-anchor' | 'not-trusted' | 'invalid';
  /** As far as it could be built: the signer certificate first. */
  certificates: ChainCertificate[];
  /** Why an `invalid` chain is invalid (English, for people). */
  detail?: string;
}

export interface RevocationReport {
  /** not-checked: no revocation data in the file; good / revoked: from the embedded CRLs. */
  status: 'not-checked' | 'good' | 'revoked' | 'unknown';
  /** Where the data came from when checked. */
  source?: 'cms-crls' | 'pdf-dss' | 'adbe-revocation-info';
  /** revoked: when. ISO 8601 UTC. */
  revokedAt?: string;
}

/** A QCStatement of the signer certificate (ETSI EN 319 412-5). */
export interface QcStatement {
  oid: string;
  /** `QcCompliance`, `QcSSCD`, `QcType-esign`, … or undefined for unknown OIDs. */
  name?: string;
}

/** What was appended to a PDF after the revision a signature covers. */
export type PdfChangeKind = 'signature' | 'form-filling' | 'annotations' | 'metadata' | 'other';

export interface PdfSignatureFacts {
  /** The signature field's name (/T). */
  fieldName?: string;
  /** /SubFilter: `ETSI.CAdES.detached`, `adbe.pkcs7.detached`, … */
  subFilter?: string;
  /** The revision this signature signed (1 = the first revision of the file). */
  revision: number;
  /** Revisions (incremental updates + the original) in the file. */
  revisions: number;
  /** The /ByteRange [a b c d]. */
  byteRange: number[];
  /** The ByteRange covers the whole file (this is the last revision and nothing was appended). */
  coversWholeDocument: boolean;
  /** Bytes of the file after the end of the signed revision. */
  bytesAfter: number;
  /** What the later revisions changed (empty when none). */
  changesAfter: PdfChangeKind[];
  /** The DocMDP certification in force for this signature (its own when certifying, else the document's). */
  docMdp?: {
    /** 1 no changes, 2 form filling and signing, 3 also annotations. */
    level: 1 | 2 | 3;
    /** This signature is the certifying one. */
    certifying: boolean;
    /** Changes after the certifying signature stay within what the level allows. */
    respected: boolean;
  };
}

export type CheckOutcome = 'passed' | 'failed' | 'not-checked';

export interface SignatureReport {
  /** 1-based, in the order of the file (PDF: revision order). */
  index: number;
  format: SignatureFormat;
  verdict: VerificationVerdict;
  /** Empty when valid; the first one decides the verdict. */
  reasons: VerificationReason[];
  /** English sentences for the reasons (the CLI shows them; the page translates the codes instead). */
  reasonTexts: string[];
  notes: VerificationNote[];
  /** The certificate the signature was made with, in the form of `cas-token cert`; absent when not found. */
  signer?: CertificateDetails;
  /** The signing time the signature claims (ISO 8601 UTC): signingTime attribute, XAdES SigningTime or the PDF /M. */
  signingTime?: string;
  /** e.g. `SHA-256`, `GOST R 34.11-2012 256`, or the OID. */
  digestAlgorithm?: string;
  /** e.g. `RSA PKCS#1 v1.5`, `RSA-PSS`, `ECDSA`, `GOST R 34.10-2012 256`, or the OID. */
  signatureAlgorithm?: string;
  checks: {
    /** The digest of the signed bytes matches what the signature says (messageDigest, ds:Reference). */
    signedDataIntact: CheckOutcome;
    /** The signature value verifies with the signer certificate's key. */
    signatureValue: CheckOutcome;
    /** The signer certificate was within its validity at the claimed signing time (or now without one). */
    certificateValidAtSigningTime: CheckOutcome;
    /** keyUsage has nonRepudiation (contentCommitment). */
    nonRepudiation: boolean;
  };
  chain: ChainReport;
  revocation: RevocationReport;
  qcStatements: QcStatement[];
  /** PAdES only. */
  pdf?: PdfSignatureFacts;
  /** XAdES: the signature's Id; CAdES: whether the content was inside (attached) or given beside it. */
  xmlSignatureId?: string;
  contentSource?: 'attached' | 'given' | 'missing';
}

export interface VerificationReport {
  /** The file name as given. */
  file: string;
  /** What the bytes are (read from them, not from the name). */
  type: 'pdf' | 'cms' | 'xml';
  /** valid only when there is at least one signature and every one is valid; else the worst verdict. */
  verdict: VerificationVerdict;
  signatures: SignatureReport[];
}

/** Worst first: invalid > indeterminate > valid. */
export function worstVerdict(verdicts: VerificationVerdict[]): VerificationVerdict {
  if (verdicts.includes('invalid')) return 'invalid';
  if (verdicts.includes('indeterminate') || verdicts.length === 0) return 'indeterminate';
  return 'valid';
}
