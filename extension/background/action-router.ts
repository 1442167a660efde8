/**
 * The action router for the extension's own pages (popup, prompt window, options, sign-files, renew):
 * a message is answered only when it comes from one of this extension's pages and matches
 * `extensionMessageSchema`; then exactly one action runs and its result or error becomes the reply.
 * Web pages never reach this router: they talk through the content bridge port (page-requests.ts).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { extensionMessageSchema } from '../../shared/protocol/extension-messages.js';
import type { ExtensionMessage, ExtensionReply } from '../../shared/protocol/extension-messages.js';

/** The parts of `runtime.MessageSender` the router looks at. */
export interface MessageSender {
  id?: string | undefined;
  url?: string | undefined;
  tab?: { windowId?: number | undefined } | undefined;
}

/** One action per message type. */
export type ActionHandlers = {
  [T in ExtensionMessage['type']]: (message: Extract<ExtensionMessage, { type: T }>, sender: MessageSender) => unknown;
};

/** This extension: its id and its pages' origin (`chrome-extension://<id>` / `moz-extension://<uuid>`). */
export interface ExtensionIdentity {
  id: string;
  origin: string;
}

export function isOwnPage(sender: MessageSender, extension: ExtensionIdentity): boolean {
  if (!extension.origin || extension.origin === 'null') return false;
  return sender.id === extension.id && (sender.url ?? '').startsWith(`${extension.origin}/`);
}

export interface ActionRouter {
  /** The reply to send, or undefined when the sender is not one of this extension's pages (no answer at all). */
  handle(message: unknown, sender: MessageSender): Promise<ExtensionReply> | undefined;
}

export function createActionRouter(handlers: ActionHandlers, extension: ExtensionIdentity): ActionRouter {
  const run = (message: ExtensionMessage, sender: MessageSender): unknown => (handlers[message.type] as (message: ExtensionMessage, sender: MessageSender) => unknown)(message, sender);
  return {
    handle(message, sender) {
      if (!isOwnPage(sender, extension)) return undefined;
      const parsed = extensionMessageSchema.safeParse(message);
      if (!parsed.success) {
        const type = typeof (message as { type?: unknown } | null)?.type === 'string' ? (message as { type: string }).type : undefined;
        const issue = parsed.error.issues[0];
        const reason =
          type && !Object.hasOwn(handlers, type)
            ? `Unknown message "${type.slice(0, 40)}".`
            : `Invalid "${type ?? '?'}" message${issue ? ` (${issue.path.join('.') || 'message'}: ${issue.message})` : ''}.`;
        return Promise.resolve({ ok: false, error: new CasTokenError('INVALID_MESSAGE', reason).toPayload() });
      }
      return Promise.resolve()
        .then(() => run(parsed.data, sender))
        .then(
          (result): ExtensionReply => ({ ok: true, result }),
          (error: unknown): ExtensionReply => ({ ok: false, error: CasTokenError.toSafePayload(error) }),
        );
    },
  };
}
