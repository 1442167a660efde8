/**
 * Consent for a web page's request: the stored decision, else the user's answer in one consent window
 * per origin (shared by every request that waits for it), asked only after a user gesture on the page
 * and not again for a while after the user closed the window. Bare digests need a permission of their
 * own (the user's digest consent, or the `digestSigningOrigins` policy).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { decisionFor, digestPermissionFor, rememberDecision, rememberDigestDecision } from './allowed-origins.js';
import type { DigestPermission } from './allowed-origins.js';
import { consentBackoffLeft, forgetConsentDismissals, recordConsentDismissed } from './consent-backoff.js';
import type { ConsentScope } from './consent-backoff.js';
import type { RequestContext } from './page-request-context.js';
import { askConsent } from './prompt-windows.js';

/** A consent window being shown, shared by every request of the origin that waits for it. */
interface SharedConsent {
  answer: Promise<boolean>;
  /** Requests still waiting; when the last one's page goes away, the window is withdrawn. */
  waiters: number;
  withdraw: AbortController;
}

/** Per `scope origin`: requests that arrive while its consent window is up wait for the same answer. */
const consentAsked = new Map<string, SharedConsent>();

/**
 * Asks `scope` consent for `origin` (one window, shared), after the checks that keep a site from
 * flooding the user: a window the user closed is not reopened during its back-off, and a first
 * window opens only when the page asked in answer to a user gesture (a click, a key).
 */
async function askConsentOnce(origin: string, scope: ConsentScope, context: RequestContext): Promise<boolean> {
  const key = `${scope} ${origin}`;
  let shared = consentAsked.get(key);
  if (!shared) {
    const wait = await consentBackoffLeft(origin, scope);
    if (wait > 0) {
      throw new CasTokenError('USER_CANCELLED', `The user closed the CAS Token window for ${origin}; it will not open again for ${Math.ceil(wait / 1000)} s.`);
    }
    if (!context.userGesture) {
      throw new CasTokenError(
        scope === 'digests' ? 'DIGEST_SIGNING_NOT_ALLOWED' : 'ORIGIN_NOT_ALLOWED',
        `CAS Token asks the user about ${origin} only when the page asks after a click or a key press: call it from the handler of a button.`,
      );
    }
    const withdraw = new AbortController();
    const forget = (): void => {
      if (consentAsked.get(key) === created) consentAsked.delete(key);
    };
    // The decision is stored before any waiting request sees the answer.
    const answer = askConsent(origin, scope, { signal: withdraw.signal }).then(
      async (allowed) => {
        forget();
        await forgetConsentDismissals(origin, scope);
        await (scope === 'origin' ? rememberDecision(origin, allowed) : rememberDigestDecision(origin, allowed));
        return allowed;
      },
      async (error: unknown) => {
        forget();
        // Closed by the user (not withdrawn with its page): the site waits before it may ask again.
        if (!withdraw.signal.aborted) await recordConsentDismissed(origin, scope);
        throw error;
      },
    );
    const created: SharedConsent = { answer, waiters: 0, withdraw };
    shared = created;
    consentAsked.set(key, created);
  }
  const current = shared;
  current.waiters += 1;
  const leave = (): void => {
    current.waiters -= 1;
    if (current.waiters === 0) current.withdraw.abort();
  };
  context.signal.addEventListener('abort', leave, { once: true });
  try {
    return await current.answer;
  } finally {
    context.signal.removeEventListener('abort', leave);
  }
}

/** Consent for an origin: the stored decision, else the user's answer in the (one) consent window. */
export async function ensureAllowed(origin: string, context: RequestContext): Promise<void> {
  const decision = await decisionFor(origin);
  if (decision?.allowed) return;
  if (decision && !decision.allowed) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user has not allowed ${origin} to use the token.`);
  if (!(await askConsentOnce(origin, 'origin', context))) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user did not allow ${origin} to use the token.`);
}

/**
 * Bare digests need their own permission: an administrator's policy, or the user's answer in a
 * consent window of its own that warns the content cannot be shown.
 */
export async function ensureDigestsAllowed(origin: string, context: RequestContext): Promise<DigestPermission> {
  const permission = await digestPermissionFor(origin);
  if (permission?.allowed) return permission;
  if (permission && !permission.allowed)
    throw new CasTokenError('DIGEST_SIGNING_NOT_ALLOWED', `The user has not allowed ${origin} to have bare digests signed: send the documents instead (signDocument).`);
  if (!(await askConsentOnce(origin, 'digests', context))) {
    throw new CasTokenError('DIGEST_SIGNING_NOT_ALLOWED', `The user did not allow ${origin} to have bare digests signed: send the documents instead (signDocument).`);
  }
  return { allowed: true, by: 'user' };
}
