/** How extension pages ask the background (the messages themselves: shared/protocol/extension-messages.ts). */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ExtensionMessage, ExtensionReply } from '../../shared/protocol/extension-messages.js';

export type { CertificateRef, CertificateValues, ExtensionMessage, ExtensionReply, FillSource } from '../../shared/protocol/extension-messages.js';
export { certificateValuesOf, extensionMessageSchema } from '../../shared/protocol/extension-messages.js';

/** Sends a message to the background and unwraps the reply (for extension pages); a failure throws a CasTokenError. */
export async function askBackground<T>(message: ExtensionMessage): Promise<T> {
  const reply = (await chrome.runtime.sendMessage(message)) as ExtensionReply<T> | undefined;
  if (!reply) throw new CasTokenError('INTERNAL_ERROR', 'The extension background did not answer.');
  if (!reply.ok) throw CasTokenError.fromPayload(reply.error);
  return reply.result;
}
