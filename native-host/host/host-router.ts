/**
 * Dispatches validated requests to one handler per command and shapes the replies.
 * A handler's failure becomes `{ ok: false, error }` with a stable code; never a stack trace.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { HostCommand, HostReply, HostRequestOf, HostResults, ParsedHostRequest } from '../../shared/protocol/host-messages.js';
import { certificates } from './commands/certificates.js';
import { modules } from './commands/modules.js';
import { sign } from './commands/sign.js';
import { status } from './commands/status.js';
import { tokens } from './commands/tokens.js';
import type { HostContext } from './host-context.js';

type Handler<C extends HostCommand> = (request: HostRequestOf<C>, context: HostContext) => Promise<HostResults[C]>;

const handlers: { [C in HostCommand]: Handler<C> } = {
  status,
  modules,
  tokens,
  certificates,
  sign,
  // Renewal is rare and pulls in pkijs: loaded on first use, so every browser session starts faster.
  generateRequest: async (request, context) => (await import('./commands/generate-request.js')).generateRequest(request, context),
  importCertificate: async (request, context) => (await import('./commands/import-certificate.js')).importCertificate(request, context),
};

export async function routeHostRequest(request: ParsedHostRequest, context: Omit<HostContext, 'progress'>, send: (reply: HostReply) => void): Promise<void> {
  const handler = handlers[request.command] as Handler<HostCommand>;
  try {
    const result = await handler(request as never, {
      ...context,
      progress: (done, total, signatures) => send({ id: request.id, progress: { done, total, ...(signatures ? { signatures } : {}) } }),
    });
    send({ id: request.id, ok: true, result });
  } catch (error) {
    send({ id: request.id, ok: false, error: CasTokenError.toSafePayload(error) });
  }
}
