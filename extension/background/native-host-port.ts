/**
 * One persistent native messaging port to the host: opened on demand, requests correlated by id with a
 * timeout each, progress forwarded, every reply validated; when the host dies every pending request
 * fails with HOST_UNAVAILABLE and the next request starts a new host; closed after idling. The first
 * request on a new port is `status`: the version handshake.
 */
import { DOWNLOADS_URL } from '../../shared/distribution/downloads-url.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { hostReplySchema } from '../../shared/protocol/host-messages.js';
import type { HostCommand, HostReply, HostRequest, HostResults, StatusResult } from '../../shared/protocol/host-messages.js';
import { NATIVE_HOST_NAME, PROTOCOL_VERSION, protocolCompatible } from '../../shared/protocol/version.js';

/** What the background needs of `runtime.Port` (tests give a stand-in for the browser's native port). */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  /** Firefox puts why the port closed here; Chromium uses `runtime.lastError`. */
  error?: { message?: string } | null;
}

export interface NativeHostPortOptions {
  connect?: () => PortLike;
  /** Why the last port closed (chrome.runtime.lastError). */
  lastError?: () => string | undefined;
  idleMs?: number;
  timeoutMs?: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: CasTokenError): void;
  onProgress: ((done: number, total: number, signatures?: string[]) => void) | undefined;
  timer: ReturnType<typeof setTimeout>;
}

type RequestBody<C extends HostCommand> = Omit<Extract<HostRequest, { command: C }>, 'id' | 'command'>;

/** Also what a page gets with HOST_UNAVAILABLE: the users' download page; the developers' command last. */
export const HOST_NOT_INSTALLED_HINT = `Install the CAS Token program from ${DOWNLOADS_URL}, then restart the browser (from a developer's checkout: npx cas-token install).`;

export class NativeHostPort {
  private port: PortLike | undefined;
  private handshake: Promise<StatusResult> | undefined;
  private readonly pending = new Map<string, Pending>();
  /** Read-only listings in flight: identical ones asked meanwhile share the answer (see `shared`). */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly options: Required<NativeHostPortOptions>;

  constructor(options: NativeHostPortOptions = {}) {
    this.options = {
      connect: options.connect ?? (() => chrome.runtime.connectNative(NATIVE_HOST_NAME) as unknown as PortLike),
      lastError: options.lastError ?? (() => chrome.runtime.lastError?.message),
      idleMs: options.idleMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 120_000,
    };
  }

  /** Sends a command; resolves with its result or rejects with a CasTokenError. */
  async request<C extends HostCommand>(
    command: C,
    body: RequestBody<C>,
    options: { timeoutMs?: number; onProgress?: (done: number, total: number, signatures?: string[]) => void } = {},
  ): Promise<HostResults[C]> {
    if (command === 'status') return (await this.status()) as HostResults[C];
    if (command === 'certificates' && Object.keys(body).length === 0) {
      return this.shared('certificates', async () => {
        await this.handshakeOnce();
        return this.send('certificates', {}, options);
      }) as Promise<HostResults[C]>;
    }
    await this.handshakeOnce();
    return this.send(command, body, options);
  }

  /** The host's status, asked now (on a new port this is the handshake itself). */
  status(): Promise<StatusResult> {
    return this.shared('status', () => (this.port && this.handshake ? this.send('status', {}, {}) : this.handshakeOnce()));
  }

  /**
   * One host request for a read-only listing however many ask for it at the same moment (a site
   * sending 100 signing requests at once asks status and certificates 100 times each): later askers
   * share the answer of the one in flight, each getting its own copy.
   */
  private async shared<T>(key: string, start: () => Promise<T>): Promise<T> {
    let promise = this.inFlight.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = start();
      this.inFlight.set(key, promise);
      const forget = (): void => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      };
      promise.then(forget, forget);
    }
    return structuredClone(await promise);
  }

  close(): void {
    const port = this.port;
    this.port = undefined;
    this.handshake = undefined;
    port?.disconnect();
    this.failAll(new CasTokenError('HOST_UNAVAILABLE', 'The connection to the native host was closed.'));
  }

  /** The version handshake of the current port: one `status` per port, shared by the requests that wait for it. */
  private handshakeOnce(): Promise<StatusResult> {
    if (this.port && this.handshake) return this.handshake;
    const handshake = this.send('status', {}, {}).then((status) => {
      if (!protocolCompatible(status.protocolVersion, PROTOCOL_VERSION)) {
        if (this.handshake === handshake) this.close();
        throw new CasTokenError(
          'VERSION_MISMATCH',
          `The native host speaks protocol ${status.protocolVersion}; this extension needs ${PROTOCOL_VERSION}. Update CAS Token (the host and the extension) to the same version.`,
        );
      }
      return status;
    });
    this.handshake = handshake;
    handshake.catch(() => {
      if (this.handshake === handshake) this.handshake = undefined;
    });
    return handshake;
  }

  private ensurePort(): PortLike {
    if (this.port) return this.port;
    let port: PortLike;
    try {
      port = this.options.connect();
    } catch (error) {
      throw new CasTokenError('HOST_UNAVAILABLE', `Cannot start the native host: ${(error as Error).message}`, { hint: HOST_NOT_INSTALLED_HINT });
    }
    this.port = port;
    port.onMessage.addListener((message) => this.onMessage(message));
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = undefined;
      this.handshake = undefined;
      const reason = port.error?.message ?? this.options.lastError() ?? 'the native host exited';
      // Chromium: "Specified native messaging host not found." / "Access to the specified native
      // messaging host is forbidden." (manifest missing or not naming this extension);
      // Firefox: "No such native application eu.castoken.host".
      const notInstalled = /not found|no such native application|forbidden/i.test(reason);
      this.failAll(
        new CasTokenError(
          'HOST_UNAVAILABLE',
          notInstalled ? `The CAS Token native host is not installed (${reason}).` : `The native host stopped: ${reason}.`,
          notInstalled ? { hint: HOST_NOT_INSTALLED_HINT } : {},
        ),
      );
    });
    return port;
  }

  private send<C extends HostCommand>(command: C, body: object, options: { timeoutMs?: number; onProgress?: (done: number, total: number, signatures?: string[]) => void }): Promise<HostResults[C]> {
    return new Promise<HostResults[C]>((resolve, reject) => {
      const port = this.ensurePort(); // a throw here rejects this promise
      const id = crypto.randomUUID();
      clearTimeout(this.idleTimer);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CasTokenError('TIMEOUT', `The native host did not answer "${command}" in time.`));
        this.scheduleIdleClose();
      }, options.timeoutMs ?? this.options.timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onProgress: options.onProgress, timer });
      try {
        port.postMessage({ id, command, ...body });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new CasTokenError('HOST_UNAVAILABLE', `Cannot reach the native host: ${(error as Error).message}`));
      }
    });
  }

  private onMessage(message: unknown): void {
    const parsed = hostReplySchema.safeParse(message);
    if (!parsed.success) return; // a reply we cannot read is ignored; its request times out
    const reply = parsed.data as HostReply;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if ('progress' in reply) {
      pending.onProgress?.(reply.progress.done, reply.progress.total, reply.progress.signatures);
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(CasTokenError.fromPayload(reply.error));
    this.scheduleIdleClose();
  }

  private failAll(error: CasTokenError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error);
    }
  }

  private scheduleIdleClose(): void {
    clearTimeout(this.idleTimer);
    if (this.pending.size > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.port) {
        const port = this.port;
        this.port = undefined;
        this.handshake = undefined;
        port.disconnect();
      }
    }, this.options.idleMs);
  }
}
