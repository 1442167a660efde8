/**
 * Everything about the signer that every format checks the same way: the certificate's details (the
 * form of `cas-token cert`), its validity at the claimed signing time, the chain to a trust anchor,
 * revocation from embedded CRLs, nonRepudiation and the QCStatements; then the verdict from the
 * reasons (invalid ones first), as `finishSignatureReport` writes it.
 */
import type * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { describeCertificate } from '../certificate/describe-certificate.js';
import type { CertificateDetails } from '../certificate/certificate-details.js';
import { readExtensions } from '../certificate/certificate-extensions.js';
import { certificateDer, revocationFromCrls, validateCertificateChain } from './certificate-chain-validation.js';
import { REASON_VERDICT, VERIFICATION_REASONS } from './verification-report.js';
import type { ChainReport, CheckOutcome, QcStatement, RevocationReport, SignatureReport, VerificationNote, VerificationReason } from './verification-report.js';
import { REASON_TEXTS } from './verification-texts.js';

export interface VerificationContext {
  trustAnchors: pkijs.Certificate[];
  now: Date;
}

const QC_STATEMENT_NAMES: Record<string, string> = {
  '0.4.0.1862.1.1': 'QcCompliance',
  '0.4.0.1862.1.2': 'QcLimitValue',
  '0.4.0.1862.1.3': 'QcRetentionPeriod',
  '0.4.0.1862.1.4': 'QcSSCD',
  '0.4.0.1862.1.5': 'QcPDS',
  '0.4.0.1862.1.6': 'QcType',
  '0.4.0.1862.1.7': 'QcCClegislation',
  '0.4.0.194121.1.1': 'QcSemanticsId-Natural',
  '0.4.0.194121.1.2': 'QcSemanticsId-Legal',
  '1.3.6.1.5.5.7.11.1': 'pkixQCSyntax-v1',
  '1.3.6.1.5.5.7.11.2': 'pkixQCSyntax-v2',
};

export function qcStatementsOf(der: Uint8Array): QcStatement[] {
  const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
  if (parsed.offset === -1) return [];
  const tbs = (parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const wrapper = tbs.valueBlock.value.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 3) as asn1js.Constructed | undefined;
  const oids = readExtensions(wrapper?.valueBlock.value[0] as asn1js.Sequence | undefined).qcStatements;
  return oids.map((oid) => ({ oid, ...(QC_STATEMENT_NAMES[oid] ? { name: QC_STATEMENT_NAMES[oid] } : {}) }));
}

export interface SignerAssessment {
  signer?: CertificateDetails;
  chain: ChainReport;
  revocation: RevocationReport;
  qcStatements: QcStatement[];
  certificateValidAtSigningTime: CheckOutcome;
  nonRepudiation: boolean;
  reasons: VerificationReason[];
  notes: VerificationNote[];
}

export interface SignerInput {
  signer: pkijs.Certificate | undefined;
  /** Certificates the signature carries. */
  certificates: pkijs.Certificate[];
  signingTime: Date | undefined;
  crls: pkijs.CertificateRevocationList[];
  crlSource: NonNullable<RevocationReport['source']>;
}

export async function assessSigner(input: SignerInput, context: VerificationContext): Promise<SignerAssessment> {
  const notes: VerificationNote[] = [];
  const reasons: VerificationReason[] = [];
  if (!input.signer) {
    return {
      chain: { status: context.trustAnchors.length === 0 ? 'no-trust-anchor' : 'not-trusted', certificates: [] },
      revocation: { status: 'not-checked' },
      qcStatements: [],
      certificateValidAtSigningTime: 'not-checked',
      nonRepudiation: false,
      reasons: ['SIGNER_CERTIFICATE_NOT_FOUND'],
      notes: ['REVOCATION_NOT_CHECKED'],
    };
  }
  const der = certificateDer(input.signer);
  const signer = await describeCertificate(der);
  const at = input.signingTime ?? context.now;
  if (!input.signingTime) notes.push('NO_SIGNING_TIME');

  let certificateValidAtSigningTime: CheckOutcome = 'passed';
  if (at.getTime() > input.signer.notAfter.value.getTime()) {
    certificateValidAtSigningTime = 'failed';
    reasons.push('CERTIFICATE_EXPIRED_AT_SIGNING_TIME');
  } else if (at.getTime() < input.signer.notBefore.value.getTime()) {
    certificateValidAtSigningTime = 'failed';
    reasons.push('CERTIFICATE_NOT_YET_VALID_AT_SIGNING_TIME');
  } else if (context.now.getTime() > input.signer.notAfter.value.getTime()) {
    reasons.push('CERTIFICATE_EXPIRED_SINCE_SIGNING'); // the claimed time alone proves nothing (no timestamp is read)
  }

  const {
    report: chain,
    path,
    unsupportedAlgorithm,
  } = await validateCertificateChain({ signer: input.signer, intermediates: input.certificates, trustAnchors: context.trustAnchors, at, now: context.now });
  if (unsupportedAlgorithm) reasons.push(context.trustAnchors.length === 0 ? 'NO_TRUST_ANCHOR' : 'UNSUPPORTED_ALGORITHM');
  else if (chain.status === 'no-trust-anchor') reasons.push('NO_TRUST_ANCHOR');
  else if (chain.status === 'not-trusted') reasons.push('CHAIN_NOT_TRUSTED');
  else if (chain.status === 'invalid') reasons.push('CHAIN_INVALID');

  const revocation = await revocationFromCrls(input.signer, path[1], input.crls, input.crlSource, at);
  if (revocation.status === 'revoked') reasons.push('CERTIFICATE_REVOKED');
  if (revocation.status === 'not-checked') notes.push('REVOCATION_NOT_CHECKED');

  const qcStatements = qcStatementsOf(der);
  if (!signer.nonRepudiation) notes.push('NO_NON_REPUDIATION');
  if (!signer.qcCompliance) notes.push('NOT_QUALIFIED');
  return { signer, chain, revocation, qcStatements, certificateValidAtSigningTime, nonRepudiation: signer.nonRepudiation, reasons, notes };
}

export type SignatureReportDraft = Omit<SignatureReport, 'verdict' | 'reasons' | 'reasonTexts' | 'notes'>;

/** The report of one signature: reasons without duplicates, invalid ones first, the verdict from the first. */
export function finishSignatureReport(draft: SignatureReportDraft, reasons: VerificationReason[], notes: VerificationNote[]): SignatureReport {
  const unique = [...new Set(reasons)].sort((a, b) => {
    const rank = (reason: VerificationReason): number => (REASON_VERDICT[reason] === 'invalid' ? 0 : 1) * 100 + VERIFICATION_REASONS.indexOf(reason);
    return rank(a) - rank(b);
  });
  const verdict = unique.length === 0 ? 'valid' : REASON_VERDICT[unique[0]!];
  // The verdict and its reasons first: what a reader of the JSON looks for.
  const { index, format, ...rest } = draft;
  return { index, format, verdict, reasons: unique, reasonTexts: unique.map((reason) => REASON_TEXTS[reason]), notes: [...new Set(notes)], ...rest };
}
