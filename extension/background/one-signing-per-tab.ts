/**
 * A tab has one signing request per origin at a time: more are answered REQUEST_PENDING at once, never
 * queued as windows (a site cannot stack up PIN windows).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { RequestContext } from './page-request-context.js';

/** Signing requests in progress per `tabId origin`. */
const signingInProgress = new Set<string>();

export async function oneSigningAtATime<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
  if (signingInProgress.has(context.owner)) {
    throw new CasTokenError('REQUEST_PENDING', 'This page already has a signing request in progress: wait for its answer before asking again.');
  }
  signingInProgress.add(context.owner);
  try {
    return await work();
  } finally {
    signingInProgress.delete(context.owner);
  }
}
