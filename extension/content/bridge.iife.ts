/**
 * The content bridge: the only code resident on pages (https: and http://localhost). It relays page SDK
 * requests to the background over a port and the replies back, acknowledging at once so the page
 * knows the extension is here. It validates nothing but the envelope and the size (a request over the
 * limit, posted around the SDK, is answered MESSAGE_TOO_LARGE at once) and adds only what the browser
 * says (whether the user has just interacted with the page): the background validates, and takes the
 * origin from the browser (the port's sender), never from the message.
 */
import { MAX_ID_LENGTH, MAX_PAGE_REQUEST_BYTES, MAX_PAGE_REQUESTS_IN_FLIGHT as MAX_IN_FLIGHT } from '../../shared/protocol/limits.js';
import { pageRequestTooLarge } from '../../shared/protocol/page-request-size.js';

const PAGE_REPLY_TARGET = window.location.origin;
const TOO_LARGE = 'MESSAGE_TOO_LARGE';
/** Requests of this page in flight at once (a port each); more are answered REQUEST_PENDING at once. */
let inFlight = 0;

function reply(message: object): void {
  window.postMessage(message, PAGE_REPLY_TARGET);
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const request = event.data as { casToken?: unknown; id?: unknown } | null;
  if (!request || typeof request !== 'object' || request.casToken !== 'request') return;
  const id = request.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return;
  reply({ casToken: 'ack', id });
  // A page can post without the SDK: a request over the limit is answered at once, never passed on.
  if (pageRequestTooLarge(request)) {
    const message = `The request is larger than CAS Token accepts (at most ${MAX_PAGE_REQUEST_BYTES / (1024 * 1024)} MB of documents in one request).`;
    reply({ casToken: 'result', id, ok: false, error: { code: TOO_LARGE, message } });
    return;
  }
  if (inFlight >= MAX_IN_FLIGHT) {
    reply({ casToken: 'result', id, ok: false, error: { code: 'REQUEST_PENDING', message: `This page has ${MAX_IN_FLIGHT} CAS Token requests waiting already: wait for their answers.` } });
    return;
  }
  inFlight += 1;
  let answered = false;
  let counted = true;
  const done = (): void => {
    if (counted) inFlight -= 1;
    counted = false;
  };
  let port: chrome.runtime.Port;
  try {
    port = chrome.runtime.connect({ name: 'page-request' });
  } catch {
    done();
    reply({ casToken: 'result', id, ok: false, error: { code: 'EXTENSION_UNAVAILABLE', message: 'The CAS Token extension was updated or disabled: reload the page.' } });
    return;
  }
  port.onMessage.addListener((message: { casToken?: string; id?: string }) => {
    if (message.id !== id) return;
    reply(message);
    if (message.casToken === 'result') {
      answered = true;
      done();
      port.disconnect();
    }
  });
  port.onDisconnect.addListener(() => {
    done();
    if (!answered) reply({ casToken: 'result', id, ok: false, error: { code: 'EXTENSION_UNAVAILABLE', message: 'The CAS Token extension stopped before answering: reload the page and try again.' } });
  });
  // Whether the user has just clicked or typed on this page: read here from the browser, never taken
  // from the page's message; a site's first consent window needs it.
  const userGesture = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation?.isActive === true;
  try {
    port.postMessage({ casToken: 'bridged', request, userGesture });
  } catch (error) {
    answered = true;
    done();
    port.disconnect();
    reply({ casToken: 'result', id, ok: false, error: { code: TOO_LARGE, message: `The browser could not pass the request on (${(error as Error).message}).` } });
  }
});
