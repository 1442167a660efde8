/**
 * The content bridge: the only code resident on pages (https: and http://localhost). It relays page SDK
 * requests to the background over a port and the replies back, acknowledging at once so the page
 * knows the extension is here. It validates nothing but the envelope and the size (a request over the
 * limit, posted around the SDK, is answered MESSAGE_TOO_LARGE at once) and adds nothing: the background
 * validates, and takes the origin from the browser (the port's sender), never from the message.
 */
import { MAX_PAGE_REQUEST_BYTES } from '../../shared/protocol/limits.js';
import { pageRequestTooLarge } from '../../shared/protocol/page-request-size.js';

const PAGE_REPLY_TARGET = window.location.origin;
const TOO_LARGE = 'MESSAGE_TOO_LARGE';

function reply(message: object): void {
  window.postMessage(message, PAGE_REPLY_TARGET);
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const request = event.data as { casToken?: unknown; id?: unknown } | null;
  if (!request || typeof request !== 'object' || request.casToken !== 'request') return;
  const id = request.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return;
  reply({ casToken: 'ack', id });
  // A page can post without the SDK: a request over the limit is answered at once, never passed on.
  if (pageRequestTooLarge(request)) {
    const message = `The request is larger than CAS Token accepts (at most ${MAX_PAGE_REQUEST_BYTES / (1024 * 1024)} MB of documents in one request).`;
    reply({ casToken: 'result', id, ok: false, error: { code: TOO_LARGE, message } });
    return;
  }
  let answered = false;
  let port: chrome.runtime.Port;
  try {
    port = chrome.runtime.connect({ name: 'page-request' });
  } catch {
    reply({ casToken: 'result', id, ok: false, error: { code: 'EXTENSION_UNAVAILABLE', message: 'The CAS Token extension was updated or disabled: reload the page.' } });
    return;
  }
  port.onMessage.addListener((message: { casToken?: string; id?: string }) => {
    if (message.id !== id) return;
    reply(message);
    if (message.casToken === 'result') {
      answered = true;
      port.disconnect();
    }
  });
  port.onDisconnect.addListener(() => {
    if (!answered) reply({ casToken: 'result', id, ok: false, error: { code: 'EXTENSION_UNAVAILABLE', message: 'The CAS Token extension stopped before answering: reload the page and try again.' } });
  });
  try {
    port.postMessage(request);
  } catch (error) {
    answered = true;
    port.disconnect();
    reply({ casToken: 'result', id, ok: false, error: { code: TOO_LARGE, message: `The browser could not pass the request on (${(error as Error).message}).` } });
  }
});
