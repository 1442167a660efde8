/**
 * The background (service worker in Chromium, event page in Firefox): routes the extension pages'
 * messages to one action each, page requests to page-requests.ts, and checks certificate expiry daily.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { certificatesAction } from './actions/certificates.js';
import { fillFormAction } from './actions/fill-form.js';
import { registrationRequestAction } from './actions/registration-request.js';
import { generateRequestAction, importCertificateAction } from './actions/renewal.js';
import { statusAction } from './actions/status.js';
import { undoFillAction } from './actions/undo-fill.js';
import { watchExpiry } from './expiry-watch.js';
import { nativeHost } from './host-connection.js';
import { extensionMessageSchema } from './messages.js';
import type { ExtensionMessage, ExtensionReply } from './messages.js';
import { handlePagePort } from './page-requests.js';
import { answerPrompt, promptDetails } from './prompt-windows.js';
import { handleSignFilesPort } from './sign-files-port.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('/')).origin;

function fromOwnPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(EXTENSION_ORIGIN);
}

async function route(message: ExtensionMessage, sender: chrome.runtime.MessageSender): Promise<unknown> {
  switch (message.type) {
    case 'status':
      return statusAction();
    case 'certificates':
      return certificatesAction();
    case 'fill-form':
      return fillFormAction(message.tabId, message.certificate);
    case 'undo-fill':
      return undoFillAction(message.tabId);
    case 'prompt-details':
      return promptDetails(message.promptId);
    case 'prompt-answer':
      return answerPrompt(message.promptId, message.answer, sender.tab?.windowId);
    case 'generate-request':
      return generateRequestAction(message);
    case 'import-certificate':
      return importCertificateAction(message);
    case 'registration-request':
      return registrationRequestAction(message);
  }
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (reply: ExtensionReply) => void) => {
  if (!fromOwnPage(sender)) return false; // pages talk through the bridge port, never here
  const parsed = extensionMessageSchema.safeParse(message);
  if (!parsed.success) {
    sendResponse({ ok: false, error: { code: 'INVALID_MESSAGE', message: 'Unknown message.' } });
    return false;
  }
  route(parsed.data, sender).then(
    (result) => sendResponse({ ok: true, result }),
    (error: unknown) => sendResponse({ ok: false, error: CasTokenError.toSafePayload(error) }),
  );
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === 'page-request' && port.sender?.tab) handlePagePort(port);
  else if (port.name === 'sign-files' && port.sender && fromOwnPage(port.sender)) handleSignFilesPort(port);
  else port.disconnect();
});

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
