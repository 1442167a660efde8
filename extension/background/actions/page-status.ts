/**
 * The page SDK's `status`: that the extension is here (its version and page protocol) for any page;
 * the host and the number of tokens only for an origin the user allowed. Never opens a window.
 */
import { PAGE_PROTOCOL_VERSION } from '../../../shared/protocol/page-messages.js';
import { decisionFor } from '../allowed-origins.js';
import { nativeHost } from '../host-connection.js';
import type { PageActionHandler } from '../page-request-context.js';

export const statusPageAction: PageActionHandler<'status'> = async (origin) => {
  const base = { extensionVersion: chrome.runtime.getManifest().version, protocol: PAGE_PROTOCOL_VERSION };
  const decision = await decisionFor(origin);
  if (!decision?.allowed) return base;
  try {
    const status = await nativeHost.status();
    return { ...base, host: { version: status.version, available: true }, tokens: status.tokens.length };
  } catch {
    return { ...base, host: { version: '', available: false } };
  }
};
