/**
 * The injected entry (a classic script, injected into all frames only when the user clicks Fill form):
 * defines `globalThis.casTokenFill`; a second injection reuses the first, so undo keeps working.
 */
import { detectFields, fillCertificateFields, undoFill } from './fill-page.js';
import type { FillReport } from './fill-page.js';
import type { FillValues } from './fill-values.js';

export interface CasTokenFillApi {
  fill(values: FillValues): FillReport;
  undo(): number;
  detect(): ReturnType<typeof detectFields>;
}

const scope = globalThis as typeof globalThis & { casTokenFill?: CasTokenFillApi };
scope.casTokenFill ??= {
  fill: (values) => fillCertificateFields(document, values),
  undo: () => undoFill(),
  detect: () => detectFields(document),
};
