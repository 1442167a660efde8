/** The page SDK's `getCertificates`: the site's consent, then the token's certificates as a page sees them. */
import type { PageCertificate } from '../../../shared/protocol/page-messages.js';
import { nativeHost } from '../host-connection.js';
import { ensureAllowed } from '../page-consent.js';
import type { PageActionHandler } from '../page-request-context.js';

export const getCertificatesPageAction: PageActionHandler<'getCertificates'> = async (origin, _params, context) => {
  await ensureAllowed(origin, context);
  const certificates = await nativeHost.request('certificates', {});
  return certificates.map((c): PageCertificate => ({ certificate: c.certificate, id: c.id, token: c.token.label, details: c.details }));
};
