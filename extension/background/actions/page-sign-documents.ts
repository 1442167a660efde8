/** The page SDK's `signDocuments`: the site's consent, then every document under one PIN, each shown by its content in the PIN window. */
import { base64ToBytes } from '../../../shared/encoding/base64.js';
import { oneSigningAtATime } from '../one-signing-per-tab.js';
import { ensureAllowed } from '../page-consent.js';
import type { PageActionHandler } from '../page-request-context.js';
import { signDocumentsWithPin } from '../signing/sign-documents.js';

export const signDocumentsPageAction: PageActionHandler<'signDocuments'> = async (origin, { documents, certificate, hashAlgorithm }, context) => {
  await ensureAllowed(origin, context);
  return oneSigningAtATime(context, () =>
    signDocumentsWithPin({
      origin,
      fromPage: true,
      documents: documents.map((d) => ({ ...d, data: base64ToBytes(d.data) })),
      ...(certificate ? { certificate } : {}),
      ...(hashAlgorithm ? { hashAlgorithm } : {}),
      onProgress: ({ done, total, stage }) => context.progress(done, total, stage),
      signal: context.signal,
      owner: context.owner,
    }),
  );
};
