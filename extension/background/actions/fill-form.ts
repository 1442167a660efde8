/**
 * Fill form: injects the filler into every frame of the tab (only now, never resident), then fills each
 * frame with the chosen certificate's values. The reply sums what every frame filled.
 */
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { fillValuesFromDetails } from '../../content/fill/fill-values.js';
import type { FillReport } from '../../content/fill/fill-page.js';
import type { FillValues } from '../../content/fill/fill-values.js';
import type { CertificateRef } from '../messages.js';
import { nativeHost } from '../host-connection.js';

export const FILL_SCRIPT = 'content/fill.js';

export interface FillSummary {
  filled: number;
  reports: FillReport[];
}

export async function fillFormAction(tabId: number, certificate: CertificateRef, timeZone?: string): Promise<FillSummary> {
  const certificates = await nativeHost.request('certificates', {});
  const chosen = certificates.find((c) => c.id === certificate.id && c.token.serial === certificate.tokenSerial);
  if (!chosen) throw new CasTokenError('CERTIFICATE_NOT_FOUND', 'The chosen certificate is no longer on the token: insert the token and choose again.');
  const values = fillValuesFromDetails(chosen.details, timeZone);
  try {
    await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: [FILL_SCRIPT] });
  } catch (error) {
    throw new CasTokenError('INVALID_ARGUMENT', `This page cannot be filled (${(error as Error).message}).`);
  }
  const results = await chrome.scripting.executeScript({
    target: { tabId, allFrames: true },
    func: (fillValues: FillValues) => (globalThis as unknown as { casTokenFill: { fill(v: FillValues): FillReport } }).casTokenFill.fill(fillValues),
    args: [values],
  });
  const reports = results.map((r) => r.result as FillReport | undefined).filter((r): r is FillReport => r !== undefined && r !== null);
  return { filled: reports.reduce((sum, r) => sum + r.filled.length, 0), reports };
}
