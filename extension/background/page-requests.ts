/**
 * Requests from web pages (page SDK → content bridge → this port): the dispatch. The origin is the port
 * sender's, given by the browser, never the message's. Only https: (and http://localhost) pages; a
 * request of another page-protocol version is answered VERSION_MISMATCH; the parameters are checked
 * against `pageParamsSchemas` before the action runs. Each action is a file of its own
 * (actions/page-*.ts): consent (page-consent.ts), the digest permission, one signing request per tab and
 * origin (one-signing-per-tab.ts). Errors carry the sentence for the site's user in the page's language.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { MAX_ID_LENGTH } from '../../shared/protocol/limits.js';
import { isOtherPageProtocol, PAGE_LANGUAGE, PAGE_PROTOCOL_VERSION, pageParamsSchemas, pageRequestSchema } from '../../shared/protocol/page-messages.js';
import type { BridgedPageRequest, PageAction, PageParams, PageReply } from '../../shared/protocol/page-messages.js';
import { fillFormPageAction } from './actions/page-fill-form.js';
import { getCertificatesPageAction } from './actions/page-get-certificates.js';
import { signPageAction } from './actions/page-sign.js';
import { signDocumentPageAction } from './actions/page-sign-document.js';
import { signDocumentsPageAction } from './actions/page-sign-documents.js';
import { signHashesPageAction } from './actions/page-sign-hashes.js';
import { statusPageAction } from './actions/page-status.js';
import { isSecureOrigin } from './allowed-origins.js';
import { withUserMessage } from './page-error-language.js';
import type { PageActionHandler } from './page-request-context.js';

/** One action per page-protocol action. */
const pageActions: { [A in PageAction]: PageActionHandler<A> } = {
  status: statusPageAction,
  getCertificates: getCertificatesPageAction,
  sign: signPageAction,
  signHashes: signHashesPageAction,
  signDocument: signDocumentPageAction,
  signDocuments: signDocumentsPageAction,
  fillForm: fillFormPageAction,
};

/** The action's parameters as its schema reads them, or INVALID_ARGUMENT naming the first problems. */
function parseParams<A extends PageAction>(action: A, params: unknown): PageParams[A] {
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
      const { action } = request.data;
      const params = parseParams(action, request.data.params);
      const tabId = port.sender?.tab?.id;
      return (pageActions[action] as PageActionHandler<PageAction>)(origin, params, {
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
