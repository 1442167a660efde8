/**
 * How an extension page asks the background: one `runtime.sendMessage` with a message of
 * `shared/protocol/extension-messages.ts`, answered by the action router (background/action-router.ts).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ExtensionMessage, ExtensionReply } from '../../shared/protocol/extension-messages.js';

/** Sends a message to the background and unwraps the reply; a failure throws the background's CasTokenError (code, message, PIN tries, hint). */
export async function askBackground<T>(message: ExtensionMessage): Promise<T> {
  const reply = (await chrome.runtime.sendMessage(message)) as ExtensionReply<T> | undefined;
  if (!reply) throw new CasTokenError('INTERNAL_ERROR', 'The extension background did not answer.');
  if (!reply.ok) throw CasTokenError.fromPayload(reply.error);
  return reply.result;
}
