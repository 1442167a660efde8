/** PAdES verification: every signature of a PDF (being written). */
import type { VerificationContext } from './signer-assessment.js';
import type { SignatureReport } from './verification-report.js';

export async function verifyPdf(_pdf: Uint8Array, _context: VerificationContext): Promise<SignatureReport[]> {
  return [];
}
