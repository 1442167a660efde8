/**
 * The injected entry (a classic script, injected into all frames only when the user clicks Fill form):
 * defines `globalThis.casTokenFill`; a second injection keeps the first, so undo still knows what the
 * first fill changed. Plain DOM only: no browser extension API here.
 */
import { detectFields, fillCertificateFields, undoFill } from './fill-page.js';
import type { DetectedFieldSummary, FillReport } from './fill-page.js';
import type { FillValues } from './fill-values.js';

export interface CasTokenFillApi {
  /** Fills this frame's certificate fields. */
  fill(values: FillValues): FillReport;
  /** Restores what Fill form changed in this frame; returns how many fields. */
  undo(): number;
  /** The certificate fields this frame has, without touching them. */
  detect(): DetectedFieldSummary[];
}

const scope = globalThis as typeof globalThis & { casTokenFill?: CasTokenFillApi };
scope.casTokenFill ??= {
  fill: (values) => fillCertificateFields(document, values),
  undo: () => undoFill(document),
  detect: () => detectFields(document),
};
