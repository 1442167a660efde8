/**
 * The page side of the page ↔ extension protocol: posts a request, waits for the acknowledgement
 * (the extension is present) and then for the result, forwarding progress. Every wait has a timeout.
 * What cannot work is refused at once, with a typed error: a frame with an opaque origin or an insecure
 * page (INSECURE_CONTEXT), a request over the size limit (MESSAGE_TOO_LARGE).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import { MAX_PAGE_REQUEST_BYTES } from '../../shared/protocol/limits.js';
import { ACK_TIMEOUT_MS, PAGE_PROTOCOL_VERSION } from '../../shared/protocol/page-messages.js';
import { pageRequestTooLarge } from '../../shared/protocol/page-request-size.js';
import type { PageAction, PageReply } from '../../shared/protocol/page-messages.js';
import { sdkUserMessage } from './sdk-user-messages.js';
import type { SdkErrorCode } from './sdk-user-messages.js';

export interface Progress {
  done: number;
  total: number;
  stage?: string;
}

export interface CallOptions {
  onProgress?: (progress: Progress) => void;
  /** How long to wait for the answer after the acknowledgement (the user may be typing a PIN). */
  timeoutMs?: number;
}

let counter = 0;

/** An error the SDK raises itself, with its sentence in the page's language like the extension's errors. */
function sdkError(code: SdkErrorCode, message: string): CasTokenError {
  return new CasTokenError(code, message, { userMessage: sdkUserMessage(code, pageLanguage()) });
}

/** Why this document cannot ask the extension anything, if it cannot. */
export function contextProblem(): CasTokenError | undefined {
  const origin = typeof self === 'undefined' ? undefined : self.origin;
  if (!origin || origin === 'null') {
    return sdkError(
      'INSECURE_CONTEXT',
      "The CAS Token page SDK must run in the site's own origin: this frame has none (a sandboxed iframe without allow-same-origin, or a data: URL). Load the SDK in the site's page itself.",
    );
  }
  if (!self.isSecureContext) return sdkError('INSECURE_CONTEXT', 'CAS Token answers only https: pages (and http://localhost for development).');
  return undefined;
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Refuses documents over the request limit before anything is converted or posted. */
export function checkRequestBytes(bytes: number): void {
  if (bytes > MAX_PAGE_REQUEST_BYTES) {
    throw sdkError('MESSAGE_TOO_LARGE', `The documents total ${megabytes(bytes)}; one request may carry at most ${megabytes(MAX_PAGE_REQUEST_BYTES)}: sign them in smaller batches.`);
  }
}

/** The language set with setLanguage(); else the page's own `lang`. */
let chosenLanguage: string | undefined;

/** Errors carry a `userMessage` in this language (ro, ru or en; others get English); undefined: the page's `lang`. */
export function setLanguage(lang: string | undefined): void {
  chosenLanguage = lang;
}

function pageLanguage(): string | undefined {
  const lang = chosenLanguage ?? (typeof document !== 'undefined' ? document.documentElement.lang : '');
  return lang && /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(lang) && lang.length <= 35 ? lang : undefined;
}

export function callExtension<R>(action: PageAction, params: object, options: CallOptions = {}): Promise<R> {
  const problem = contextProblem();
  if (problem) return Promise.reject(problem);
  if (pageRequestTooLarge(params))
    return Promise.reject(sdkError('MESSAGE_TOO_LARGE', `The request is larger than CAS Token accepts (at most ${megabytes(MAX_PAGE_REQUEST_BYTES)} of documents in one request).`));
  const id = `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const answerTimeoutMs = options.timeoutMs ?? 5 * 60_000;
  return new Promise<R>((resolve, reject) => {
    let acknowledged = false;
    let timer = setTimeout(() => finish(sdkError('EXTENSION_UNAVAILABLE', 'The CAS Token extension is not installed or not enabled in this browser.')), ACK_TIMEOUT_MS);
    const finish = (error: CasTokenError | null, result?: R): void => {
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      if (error) reject(error);
      else resolve(result as R);
    };
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== window) return;
      const reply = event.data as PageReply | undefined;
      if (!reply || typeof reply !== 'object' || reply.id !== id || reply.casToken === ('request' as string)) return;
      if (reply.casToken === 'ack') {
        if (acknowledged) return;
        acknowledged = true;
        clearTimeout(timer);
        timer = setTimeout(() => finish(sdkError('TIMEOUT', `No answer from the CAS Token extension within ${Math.round(answerTimeoutMs / 1000)} s.`)), answerTimeoutMs);
      } else if (reply.casToken === 'progress') {
        options.onProgress?.(reply.progress);
      } else if (reply.casToken === 'result') {
        if (reply.ok) finish(null, reply.result as R);
        else finish(CasTokenError.fromPayload(reply.error as ErrorPayload));
      }
    };
    window.addEventListener('message', onMessage);
    // This document's own origin (an about:blank frame's is its creator's, while its location.origin is 'null').
    const lang = pageLanguage();
    window.postMessage({ casToken: 'request', protocol: PAGE_PROTOCOL_VERSION, id, action, params, ...(lang ? { lang } : {}) }, self.origin);
  });
}
