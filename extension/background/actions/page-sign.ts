/** The page SDK's `sign`: one digest, signed as `signHashes` signs a list of one. */
import type { PageActionHandler } from '../page-request-context.js';
import { signHashesPageAction } from './page-sign-hashes.js';

export const signPageAction: PageActionHandler<'sign'> = async (origin, params, context) => {
  const { hash, ...rest } = params;
  const { signatures, signaturesRaw, ...signed } = await signHashesPageAction(origin, { ...rest, hashes: [hash] }, context);
  return { ...signed, signature: signatures[0]!, ...(signaturesRaw ? { signatureRaw: signaturesRaw[0]! } : {}) };
};
