/**
 * The page side of the page ↔ extension protocol: posts a request, waits for the acknowledgement
 * (the extension is present) and then for the result, forwarding progress. Every wait has a timeout.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import { ACK_TIMEOUT_MS, PAGE_PROTOCOL_VERSION } from '../../shared/protocol/page-messages.js';
import type { PageAction, PageReply } from '../../shared/protocol/page-messages.js';

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

export function callExtension<R>(action: PageAction, params: object, options: CallOptions = {}): Promise<R> {
  const id = `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const answerTimeoutMs = options.timeoutMs ?? 5 * 60_000;
  return new Promise<R>((resolve, reject) => {
    let acknowledged = false;
    let timer = setTimeout(() => finish(new CasTokenError('EXTENSION_UNAVAILABLE', 'The CAS Token extension is not installed or not enabled in this browser.')), ACK_TIMEOUT_MS);
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
        timer = setTimeout(() => finish(new CasTokenError('TIMEOUT', `No answer from the CAS Token extension within ${Math.round(answerTimeoutMs / 1000)} s.`)), answerTimeoutMs);
      } else if (reply.casToken === 'progress') {
        options.onProgress?.(reply.progress);
      } else if (reply.casToken === 'result') {
        if (reply.ok) finish(null, reply.result as R);
        else finish(CasTokenError.fromPayload(reply.error as ErrorPayload));
      }
    };
    window.addEventListener('message', onMessage);
    window.postMessage({ casToken: 'request', protocol: PAGE_PROTOCOL_VERSION, id, action, params }, window.location.origin);
  });
}
