/**
 * The verdict rules every format shares: reasons deduplicated, the ones that prove a signature wrong
 * first, the verdict from the first; a file is valid only when it has signatures and all are valid;
 * every reason and note has its English sentence for the CLI.
 */
import { describe, expect, it } from 'vitest';
import { finishSignatureReport } from '../../../shared/verification/signer-assessment.js';
import type { SignatureReportDraft } from '../../../shared/verification/signer-assessment.js';
import { REASON_VERDICT, VERIFICATION_NOTES, VERIFICATION_REASONS, worstVerdict } from '../../../shared/verification/verification-report.js';
import { NOTE_TEXTS, REASON_TEXTS } from '../../../shared/verification/verification-texts.js';

const draft: SignatureReportDraft = {
  index: 1,
  format: 'cades',
  checks: { signedDataIntact: 'passed', signatureValue: 'passed', certificateValidAtSigningTime: 'passed', nonRepudiation: true },
  chain: { status: 'trusted', certificates: [] },
  revocation: { status: 'not-checked' },
  qcStatements: [],
};

describe('signature verdicts', () => {
  it('no reason: valid, with no reason text', () => {
    expect(finishSignatureReport(draft, [], ['REVOCATION_NOT_CHECKED', 'REVOCATION_NOT_CHECKED'])).toMatchObject({ verdict: 'valid', reasons: [], reasonTexts: [], notes: ['REVOCATION_NOT_CHECKED'] });
  });

  it('a proof of tampering outranks a missing trust anchor: invalid, the tampering named first', () => {
    const report = finishSignatureReport(draft, ['NO_TRUST_ANCHOR', 'SIGNED_DATA_CHANGED', 'NO_TRUST_ANCHOR'], []);
    expect(report).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED', 'NO_TRUST_ANCHOR'] });
    expect(report.reasonTexts[0]).toBe(REASON_TEXTS.SIGNED_DATA_CHANGED);
  });

  it('only reasons that cannot prove either way: indeterminate', () => {
    expect(finishSignatureReport(draft, ['CERTIFICATE_EXPIRED_AT_SIGNING_TIME', 'CHAIN_NOT_TRUSTED'], []).verdict).toBe('indeterminate');
    expect(finishSignatureReport(draft, ['UNSUPPORTED_ALGORITHM'], []).verdict).toBe('indeterminate');
  });

  it('a file is valid only with at least one signature, all valid; invalid beats indeterminate', () => {
    expect(worstVerdict(['valid', 'valid'])).toBe('valid');
    expect(worstVerdict([])).toBe('indeterminate');
    expect(worstVerdict(['valid', 'indeterminate'])).toBe('indeterminate');
    expect(worstVerdict(['indeterminate', 'invalid', 'valid'])).toBe('invalid');
  });

  it('every reason leads to a verdict and has a sentence; every note has a sentence', () => {
    for (const reason of VERIFICATION_REASONS) {
      expect(['invalid', 'indeterminate']).toContain(REASON_VERDICT[reason]);
      expect(REASON_TEXTS[reason].length).toBeGreaterThan(10);
    }
    for (const note of VERIFICATION_NOTES) expect(NOTE_TEXTS[note].length).toBeGreaterThan(10);
  });
});
