/**
 * Requests from web pages (page SDK → content bridge → this port). The origin is the port sender's,
 * given by the browser, never the message's. Only https: (and http://localhost) pages; a new origin
 * needs the user's consent (remembered, revocable); a denied origin gets ORIGIN_NOT_ALLOWED at once,
 * without any window. A page without consent learns only that the extension is present.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { PAGE_PROTOCOL_VERSION, pageParamsSchemas, pageRequestSchema } from '../../shared/protocol/page-messages.js';
import type { PageAction, PageCertificate, PageParams, PageReply, PageResults } from '../../shared/protocol/page-messages.js';
import { decisionFor, isSecureOrigin, rememberDecision } from './allowed-origins.js';
import { nativeHost } from './host-connection.js';
import { askConsent } from './prompt-windows.js';
import { fillFormAction } from './actions/fill-form.js';
import { signDigestForPage } from './signing/sign-digest.js';
import { chooseSigningCertificate } from './signing/token-choice.js';
import { signDocumentsWithPin } from './signing/sign-documents.js';
import { base64ToBytes } from '../../shared/encoding/base64.js';


/** Consent windows being shown, per origin: requests that arrive meanwhile wait for the same answer. */
const consentAsked = new Map<string, Promise<boolean>>();

/** Consent for an origin: the stored decision, else the user's answer in the (one) consent window. */
async function ensureAllowed(origin: string): Promise<void> {
  const decision = await decisionFor(origin);
  if (decision?.allowed) return;
  if (decision && !decision.allowed) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user has not allowed ${origin} to use the token.`);
  let asked = consentAsked.get(origin);
  if (!asked) {
    asked = askConsent(origin).then(async (allowed) => {
      await rememberDecision(origin, allowed);
      return allowed;
    });
    consentAsked.set(origin, asked);
    const forget = (): void => void consentAsked.delete(origin);
    asked.then(forget, forget);
  }
  if (!(await asked)) throw new CasTokenError('ORIGIN_NOT_ALLOWED', `The user did not allow ${origin} to use the token.`);
}

/** What a handler gets besides the origin and its parameters. */
interface RequestContext {
  progress(done: number, total: number, stage?: string): void;
  tabId: number | undefined;
  /** Aborts when the page's port disconnects (tab closed, navigated): its prompts leave the queue. */
  signal: AbortSignal;
}

type Handler<A extends PageAction> = (origin: string, params: unknown, context: RequestContext) => Promise<PageResults[A]>;

function parse<A extends PageAction>(action: A, params: unknown): PageParams[A] {
  const parsed = pageParamsSchemas[action].safeParse(params);
  if (!parsed.success) {
    const problem = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    throw new CasTokenError('INVALID_ARGUMENT', `Invalid ${action} request: ${problem}.`);
  }
  return parsed.data as PageParams[A];
}

const handlers: { [A in PageAction]: Handler<A> } = {
  async fillForm(origin, params, { tabId }) {
    const { certificate } = parse('fillForm', params);
    await ensureAllowed(origin);
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
  async getCertificates(origin, params) {
    parse('getCertificates', params);
    await ensureAllowed(origin);
    const certificates = await nativeHost.request('certificates', {});
    return certificates.map((c): PageCertificate => ({ certificate: c.certificate, id: c.id, token: c.token.label, details: c.details }));
  },
  async sign(origin, params, { signal }) {
    const { hash, hashAlgorithm, certificate } = parse('sign', params);
    await ensureAllowed(origin);
    const { signatures, signaturesRaw, ...signed } = await signDigestForPage({ origin, hashes: [hash], hashAlgorithm, ...(certificate ? { certificate } : {}), signal });
    return { ...signed, signature: signatures[0]!, ...(signaturesRaw ? { signatureRaw: signaturesRaw[0]! } : {}) };
  },
  async signHashes(origin, params, { progress, signal }) {
    const { hashes, hashAlgorithm, certificate } = parse('signHashes', params);
    await ensureAllowed(origin);
    return signDigestForPage({ origin, hashes, hashAlgorithm, ...(certificate ? { certificate } : {}), signal, onProgress: (done, total) => progress(done, total, 'signing') });
  },
  async signDocument(origin, params, { progress, signal }) {
    const { document, certificate, hashAlgorithm } = parse('signDocument', params);
    await ensureAllowed(origin);
    const [item] = await signDocumentsWithPin({
      origin,
      documents: [{ ...document, data: base64ToBytes(document.data) }],
      ...(certificate ? { certificate } : {}),
      ...(hashAlgorithm ? { hashAlgorithm } : {}),
      onProgress: ({ done, total, stage }) => progress(done, total, stage),
      signal,
    });
    if (!item!.ok) throw CasTokenError.fromPayload(item!.error);
    const { ok: _ok, ...signed } = item!;
    return signed;
  },
  async signDocuments(origin, params, { progress, signal }) {
    const { documents, certificate, hashAlgorithm } = parse('signDocuments', params);
    await ensureAllowed(origin);
    return signDocumentsWithPin({
      origin,
      documents: documents.map((d) => ({ ...d, data: base64ToBytes(d.data) })),
      ...(certificate ? { certificate } : {}),
      ...(hashAlgorithm ? { hashAlgorithm } : {}),
      onProgress: ({ done, total, stage }) => progress(done, total, stage),
      signal,
    });
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
  port.onMessage.addListener((message: unknown) => {
    if (handled) return;
    handled = true;
    const id = typeof (message as { id?: unknown })?.id === 'string' ? ((message as { id: string }).id).slice(0, 64) : '';
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
      if (!request.success) throw new CasTokenError('INVALID_ARGUMENT', 'The request does not follow the CAS Token page protocol (update the page SDK).');
      const handler = handlers[request.data.action] as Handler<PageAction>;
      return handler(origin, request.data.params, {
        progress: (done, total, stage) => post({ casToken: 'progress', id, progress: { done, total, ...(stage ? { stage } : {}) } }),
        tabId: port.sender?.tab?.id,
        signal: gone.signal,
      });
    };
    run().then(
      (result) => post({ casToken: 'result', id, ok: true, result }),
      (error: unknown) => post({ casToken: 'result', id, ok: false, error: CasTokenError.toSafePayload(error) }),
    );
  });
}
