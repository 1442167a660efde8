/** The page SDK's `signHashes` (and `sign`, one digest): the site's consent, the digest permission, then one PIN window for every digest. */
import { ensureAllowed, ensureDigestsAllowed } from '../page-consent.js';
import type { PageActionHandler } from '../page-request-context.js';
import { oneSigningAtATime } from '../one-signing-per-tab.js';
import { signDigestForPage } from '../signing/sign-digest.js';

export const signHashesPageAction: PageActionHandler<'signHashes'> = async (origin, params, context) => {
  const { hashes, hashAlgorithm, certificate, purpose, description } = params;
  await ensureAllowed(origin, context);
  return oneSigningAtATime(context, async () => {
    const permission = await ensureDigestsAllowed(origin, context);
    return signDigestForPage({
      origin,
      hashes,
      hashAlgorithm,
      purpose: purpose ?? 'signature',
      permission,
      ...(description ? { description } : {}),
      ...(certificate ? { certificate } : {}),
      signal: context.signal,
      owner: context.owner,
      onProgress: (done, total) => context.progress(done, total, 'signing'),
    });
  });
};
