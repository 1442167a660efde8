/** The page SDK's `fillForm`: the site's consent, then Fill form (fill-form.ts) in the frames of the asking page's own origin only. */
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { ensureAllowed } from '../page-consent.js';
import type { PageActionHandler } from '../page-request-context.js';
import { chooseSigningCertificate } from '../signing/token-choice.js';
import { fillFormAction } from './fill-form.js';

export const fillFormPageAction: PageActionHandler<'fillForm'> = async (origin, { certificate }, context) => {
  const { tabId } = context;
  await ensureAllowed(origin, context);
  if (tabId === undefined) throw new CasTokenError('INVALID_ARGUMENT', 'Only a page in a tab can ask to fill its form.');
  const choice = await chooseSigningCertificate(certificate);
  // Only the frames of the asking page's own origin: certificate data never goes into another site's frame.
  const summary = await fillFormAction(tabId, { tokenSerial: choice.certificate.token.serial, id: choice.certificate.id }, { origins: [origin] });
  return { filled: summary.filled, fields: summary.reports.flatMap((r) => r.filled) };
};
