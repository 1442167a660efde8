/**
 * The one way into the background from the extension's pages (popup, prompt windows, Renew, Verify,
 * Sign files) and from the content bridge:
 * - a runtime message is answered only when it comes from one of this extension's pages and matches
 *   `extensionMessageSchema` (shared/protocol); then exactly one action runs (the table `ActionHandlers`)
 *   and its result or error (a CasTokenError payload) becomes the reply;
 * - a port (for what streams: a web page's request with its progress, the Sign files batch) is taken
 *   only under a name of the table `PortRoutes` and only from the senders that route admits; the route
 *   validates each message with its shared/protocol schema. Any other port is disconnected at once.
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

/** The parts of `runtime.Port` the router looks at. */
export interface RoutedPort {
  name: string;
  sender?: MessageSender | undefined;
  disconnect(): void;
}

/** Who may open a port: `extension-page`, this extension's own pages only; `tab`, a page in a tab (the content bridge; the route checks the page's origin). */
export type PortOpener = 'extension-page' | 'tab';

export interface PortRoute<P extends RoutedPort> {
  from: PortOpener;
  /** Takes the port: reads its messages (each checked against its shared/protocol schema) and answers on it. */
  open(port: P): void;
}

/** One route per port name. */
export type PortRoutes<P extends RoutedPort> = Record<string, PortRoute<P>>;

export interface ActionRouter<P extends RoutedPort = RoutedPort> {
  /** The reply to send, or undefined when the sender is not one of this extension's pages (no answer at all). */
  handle(message: unknown, sender: MessageSender): Promise<ExtensionReply> | undefined;
  /** Hands the port to its route, or disconnects it (unknown name, or a sender the route does not admit); true when taken. */
  connect(port: P): boolean;
}

export function createActionRouter<P extends RoutedPort = RoutedPort>(handlers: ActionHandlers, extension: ExtensionIdentity, ports: PortRoutes<P> = {}): ActionRouter<P> {
  const admits = (from: PortOpener, sender: MessageSender | undefined): boolean => (from === 'tab' ? sender?.tab !== undefined : sender !== undefined && isOwnPage(sender, extension));
  const run = (message: ExtensionMessage, sender: MessageSender): unknown => (handlers[message.type] as (message: ExtensionMessage, sender: MessageSender) => unknown)(message, sender);
  return {
    connect(port) {
      const route = Object.hasOwn(ports, port.name) ? ports[port.name] : undefined;
      if (!route || !admits(route.from, port.sender)) {
        port.disconnect();
        return false;
      }
      route.open(port);
      return true;
    },
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
