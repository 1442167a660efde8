/**
 * Requests from web pages (page SDK → content bridge → this port). The origin is the port sender's,
 * given by the browser, never the message's. Only https: (and http://localhost) pages; a new origin
 * needs the user's consent (remembered, revocable), asked only after a user gesture on the page and
 * not again for a while after the user closed the window; a denied origin gets ORIGIN_NOT_ALLOWED at
 * once, without any window. A page without consent learns only that the extension is present.
 * Bare digests need a permission of their own. A tab may have one signing request at a time per
 * origin; more are answered REQUEST_PENDING at once, never queued as windows.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { MAX_ID_LENGTH } from '../../shared/protocol/limits.js';
import { isOtherPageProtocol, PAGE_LANGUAGE, PAGE_PROTOCOL_VERSION, pageParamsSchemas, pageRequestSchema } from '../../shared/protocol/page-messages.js';
import type { BridgedPageRequest, PageAction, PageCertificate, PageParams, PageReply, PageResults } from '../../shared/protocol/page-messages.js';
import { decisionFor, digestPermissionFor, isSecureOrigin, rememberDecision, rememberDigestDecision } from './allowed-origins.js';
import type { DigestPermission } from './allowed-origins.js';
import { consentBackoffLeft, forgetConsentDismissals, recordConsentDismissed } from './consent-backoff.js';
import type { ConsentScope } from './consent-backoff.js';
import { nativeHost } from './host-connection.js';
import { withUserMessage } from './page-error-language.js';
import { askConsent } from './prompt-windows.js';
import { fillFormAction } from './actions/fill-form.js';
import { signDigestForPage } from './signing/sign-digest.js';
import { chooseSigningCertificate } from './signing/token-choice.js';
import { signDocumentsWithPin } from './signing/sign-documents.js';
import { base64ToBytes } from '../../shared/encoding/base64.js';

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
async function ensureAllowed(origin: string, context: RequestContext): Promise<void> {
  const decision = await decisionFor(origin);
  if (decision?.allowed) return;
  if (decision && !decision.allowed) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user has not allowed ${origin} to use the token.`);
  if (!(await askConsentOnce(origin, 'origin', context))) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user did not allow ${origin} to use the token.`);
}

/**
 * Bare digests need their own permission: an administrator's policy, or the user's answer in a
 * consent window of its own that warns the content cannot be shown.
 */
async function ensureDigestsAllowed(origin: string, context: RequestContext): Promise<DigestPermission> {
  const permission = await digestPermissionFor(origin);
  if (permission?.allowed) return permission;
  if (permission && !permission.allowed)
    throw new CasTokenError('DIGEST_SIGNING_NOT_ALLOWED', `The user has not allowed ${origin} to have bare digests signed: send the documents instead (signDocument).`);
  if (!(await askConsentOnce(origin, 'digests', context))) {
    throw new CasTokenError('DIGEST_SIGNING_NOT_ALLOWED', `The user did not allow ${origin} to have bare digests signed: send the documents instead (signDocument).`);
  }
  return { allowed: true, by: 'user' };
}

/** Signing requests in progress per `tabId origin`: one at a time, the others are answered REQUEST_PENDING at once. */
const signingInProgress = new Set<string>();

async function oneAtATime<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
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

/** What a handler gets besides the origin and its parameters. */
interface RequestContext {
  progress(done: number, total: number, stage?: string): void;
  tabId: number | undefined;
  /** Aborts when the page's port disconnects (tab closed, navigated): its prompts leave the queue. */
  signal: AbortSignal;
  /** `tabId origin`: who may have one prompt waiting at a time. */
  owner: string;
  /** The page asked with the user's transient activation (as the bridge read it from the browser). */
  userGesture: boolean;
}

type Handler<A extends PageAction> = (origin: string, params: unknown, context: RequestContext) => Promise<PageResults[A]>;

function parse<A extends PageAction>(action: A, params: unknown): PageParams[A] {
  const parsed = pageParamsSchemas[action].safeParse(params);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    throw new CasTokenError('INVALID_ARGUMENT', `Invalid ${action} request: ${problem}.`);
  }
  return parsed.data as PageParams[A];
}

/** `sign` and `signHashes`: the site's consent, the digest permission, then one PIN window for every digest. */
async function signDigestsForPage(origin: string, params: PageParams['signHashes'], context: RequestContext): Promise<PageResults['signHashes']> {
  const { hashes, hashAlgorithm, certificate, purpose, description } = params;
  await ensureAllowed(origin, context);
  return oneAtATime(context, async () => {
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
}

const handlers: { [A in PageAction]: Handler<A> } = {
  async fillForm(origin, params, context) {
    const { tabId } = context;
    const { certificate } = parse('fillForm', params);
    await ensureAllowed(origin, context);
    if (tabId === undefined) throw new CasTokenError('INVALID_ARGUMENT', 'Only a page in a tab can ask to fill its form.');
    const choice = await chooseSigningCertificate(certificate);
    // Only the frames of the asking page's own origin: certificate data never goes into another site's frame.
    const summary = await fillFormAction(tabId, { tokenSerial: choice.certificate.token.serial, id: choice.certificate.id }, { origins: [origin] });
    return { filled: summary.filled, fields: summary.reports.flatMap((r) => r.filled) };
  },
  async status(origin) {
    const base = { extensionVersion: chrome.runtime.getManifest().version, protocol: PAGE_PROTOCOL_VERSION };
    const decision = await decisionFor(origin);
    if (!decision?.allowed) return base;
    try {
      const status = await nativeHost.status();
      return { ...base, host: { version: status.version, available: true }, tokens: status.tokens.length };
    } catch {
      return { ...base, host: { version: '', available: false } };
    }
  },
  async getCertificates(origin, params, context) {
    parse('getCertificates', params);
    await ensureAllowed(origin, context);
    const certificates = await nativeHost.request('certificates', {});
    return certificates.map((c): PageCertificate => ({ certificate: c.certificate, id: c.id, token: c.token.label, details: c.details }));
  },
  async sign(origin, params, context) {
    const { hash, ...rest } = parse('sign', params);
    const { signatures, signaturesRaw, ...signed } = await signDigestsForPage(origin, { ...rest, hashes: [hash] }, context);
    return { ...signed, signature: signatures[0]!, ...(signaturesRaw ? { signatureRaw: signaturesRaw[0]! } : {}) };
  },
  async signHashes(origin, params, context) {
    return signDigestsForPage(origin, parse('signHashes', params), context);
  },
  async signDocument(origin, params, context) {
    const { document, certificate, hashAlgorithm } = parse('signDocument', params);
    await ensureAllowed(origin, context);
    const [item] = await oneAtATime(context, () =>
      signDocumentsWithPin({
        origin,
        fromPage: true,
        documents: [{ ...document, data: base64ToBytes(document.data) }],
        ...(certificate ? { certificate } : {}),
        ...(hashAlgorithm ? { hashAlgorithm } : {}),
        onProgress: ({ done, total, stage }) => context.progress(done, total, stage),
        signal: context.signal,
        owner: context.owner,
      }),
    );
    if (!item!.ok) throw CasTokenError.fromPayload(item!.error);
    const { ok: _ok, ...signed } = item!;
    return signed;
  },
  async signDocuments(origin, params, context) {
    const { documents, certificate, hashAlgorithm } = parse('signDocuments', params);
    await ensureAllowed(origin, context);
    return oneAtATime(context, () =>
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
  },
};

export function originOfSender(sender: chrome.runtime.MessageSender | undefined): string | undefined {
  const url = sender?.origin ?? sender?.url ?? sender?.tab?.url;
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** One page request per port: the bridge posts it, we answer progress and one result. */
export function handlePagePort(port: chrome.runtime.Port): void {
  let handled = false;
  const gone = new AbortController();
  port.onDisconnect.addListener(() => gone.abort());
  port.onMessage.addListener((bridged: unknown) => {
    if (handled) return;
    handled = true;
    // The bridge wraps the page's request with what it read from the browser (the user's gesture).
    const envelope = bridged as Partial<BridgedPageRequest> | null;
    const fromBridge = envelope?.casToken === 'bridged';
    const message = fromBridge ? envelope.request : bridged;
    const userGesture = fromBridge && envelope.userGesture === true;
    const id = typeof (message as { id?: unknown })?.id === 'string' ? (message as { id: string }).id.slice(0, MAX_ID_LENGTH) : '';
    const post = (reply: PageReply): void => {
      try {
        port.postMessage(reply);
      } catch {
        // the page went away
      }
    };
    const run = async (): Promise<unknown> => {
      const origin = originOfSender(port.sender);
      if (!origin || !isSecureOrigin(origin)) throw new CasTokenError('INSECURE_CONTEXT', 'CAS Token answers only https: pages (and http://localhost for development).');
      const request = pageRequestSchema.safeParse(message);
      if (!request.success && isOtherPageProtocol(message)) {
        throw new CasTokenError(
          'VERSION_MISMATCH',
          `This page uses another version of the CAS Token page SDK than the extension (page protocol ${PAGE_PROTOCOL_VERSION}): the site must update its copy of the SDK.`,
        );
      }
      if (!request.success) throw new CasTokenError('INVALID_ARGUMENT', 'The request does not follow the CAS Token page protocol (update the page SDK).');
      const handler = handlers[request.data.action] as Handler<PageAction>;
      const tabId = port.sender?.tab?.id;
      return handler(origin, request.data.params, {
        progress: (done, total, stage) => post({ casToken: 'progress', id, progress: { done, total, ...(stage ? { stage } : {}) } }),
        tabId,
        signal: gone.signal,
        owner: `${tabId ?? 'no-tab'} ${origin}`,
        userGesture,
      });
    };
    // The page's language, for the sentence its user gets with an error (checked: a tag, or nothing).
    const lang = PAGE_LANGUAGE.safeParse((message as { lang?: unknown } | null)?.lang).data;
    run().then(
      (result) => post({ casToken: 'result', id, ok: true, result }),
      async (error: unknown) => post({ casToken: 'result', id, ok: false, error: await withUserMessage(CasTokenError.toSafePayload(error), lang) }),
    );
  });
}
