/** XAdES verification: every ds:Signature of an XML file (being written). */
import type { VerificationContext } from './signer-assessment.js';
import type { SignatureReport } from './verification-report.js';

export async function verifyXml(_xml: Uint8Array, _content: Uint8Array | undefined, _context: VerificationContext): Promise<SignatureReport[]> {
  return [];
}
