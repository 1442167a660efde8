/** The page SDK's `signDocument`: one document, signed as `signDocuments` signs a batch of one; its failure is the request's error. */
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { PageActionHandler } from '../page-request-context.js';
import { signDocumentsPageAction } from './page-sign-documents.js';

export const signDocumentPageAction: PageActionHandler<'signDocument'> = async (origin, { document, certificate, hashAlgorithm }, context) => {
  const [item] = await signDocumentsPageAction(origin, { documents: [document], ...(certificate ? { certificate } : {}), ...(hashAlgorithm ? { hashAlgorithm } : {}) }, context);
  if (!item!.ok) throw CasTokenError.fromPayload(item!.error);
  const { ok: _ok, ...signed } = item!;
  return signed;
};
