/**
 * The background (service worker in Chromium, event page in Firefox): every message from the extension's
 * pages and every port (web pages' requests through the content bridge, the Sign files batch) goes
 * through the one router (action-router.ts), to one action each; and it checks certificate expiry daily.
 */
import '../zod-jitless.js';
import './streebog-in-worker.js'; // before anything may hash with Streebog (no import() in a service worker)
import './fontkit-in-worker.js'; // likewise for a visible signature's font
import { createActionRouter } from './action-router.js';
import type { PortRoutes } from './action-router.js';
import { certificatesAction } from './actions/certificates.js';
import { fillFormAction } from './actions/fill-form.js';
import { registrationRequestAction } from './actions/registration-request.js';
import { generateRequestAction, importCertificateAction } from './actions/renewal.js';
import { statusAction } from './actions/status.js';
import { undoFillAction } from './actions/undo-fill.js';
import { watchExpiry } from './expiry-watch.js';
import { nativeHost } from './host-connection.js';
import type { ExtensionReply } from '../../shared/protocol/extension-messages.js';
import { handlePagePort } from './page-requests.js';
import { answerPrompt, promptDetails, promptDocumentChunk } from './prompt-windows.js';
import { handleSignFilesPort } from './sign-files-port.js';
import { listenForHandedOverFiles } from './handed-over-files.js';

const extension = { id: chrome.runtime.id, origin: new URL(chrome.runtime.getURL('/')).origin };

const router = createActionRouter(
  {
    status: () => statusAction(),
    certificates: () => certificatesAction(),
    // From the extension's own pages (the user's click): with a token certificate the saved provider profile fills the provider
    // section too; not with a certificate file's or a signer's values (the profile is this user's, not the signer's).
    'fill-form': (message) => fillFormAction(message.tabId, message.certificate, { origins: message.origins, topOrigin: message.topOrigin, withProviderProfile: !('values' in message.certificate) }),
    'undo-fill': (message) => undoFillAction(message.tabId),
    'prompt-details': (message) => promptDetails(message.promptId),
    'prompt-answer': (message) => answerPrompt(message.promptId, message.answer),
    'prompt-document': (message) => promptDocumentChunk(message.promptId, message.index, message.offset),
    'generate-request': (message) => generateRequestAction(message),
    'import-certificate': (message) => importCertificateAction(message),
    'registration-request': (message) => registrationRequestAction(message),
  },
  extension,
  {
    // A web page's request (page SDK → content bridge): its origin, consent and parameters are checked in page-requests.ts.
    'page-request': { from: 'tab', open: handlePagePort },
    'sign-files': { from: 'extension-page', open: handleSignFilesPort },
  } satisfies PortRoutes<chrome.runtime.Port>,
);

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (reply: ExtensionReply) => void) => {
  const reply = router.handle(message, sender);
  if (!reply) return false; // web pages talk through the bridge port, never here
  void reply.then(sendResponse);
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  router.connect(port);
});

// The Sign files page hands its files to the service worker (Chromium; Firefox's background is a page and gets blob: URLs).
if ('skipWaiting' in globalThis) {
  listenForHandedOverFiles(self);
  // Pages opened before this worker was active (just after install or update) are taken over too, so they can hand their files over.
  const worker = self as unknown as { clients: { claim(): Promise<void> }; addEventListener(type: 'activate', listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void };
  worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));
}

// An expiry notification leads to the Renew page.
chrome.notifications.onClicked.addListener((id) => {
  if (id.startsWith('expiry-')) void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/renew/renew.html') });
});

const EXPIRY_ALARM = 'expiry-check';
chrome.alarms.create(EXPIRY_ALARM, { periodInMinutes: 24 * 60, delayInMinutes: 1 });
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== EXPIRY_ALARM) return;
  nativeHost
    .request('certificates', {})
    .then((certificates) => watchExpiry(certificates))
    .catch(() => undefined); // no host or no token: nothing to watch now
});
