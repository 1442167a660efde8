/**
 * The background's connection to the native host: handshake, correlation, progress, timeouts, the host
 * missing or dying, reconnecting and closing when idle.
 *
 * `FakeNativePort` stands in for the browser's `runtime.connectNative` port (there is no browser in
 * a unit test); it behaves as Chromium's does: `postMessage` hands the message to the host, the host's
 * replies arrive through `onMessage`, and `onDisconnect` fires when the host side goes away (not when
 * the extension itself calls `disconnect()`). The real port with the real host is covered by the e2e tests.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOST_NOT_INSTALLED_HINT, NativeHostPort } from '../../../extension/background/native-host-port.js';
import type { PortLike } from '../../../extension/background/native-host-port.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.js';

interface SentRequest {
  id: string;
  command: string;
  [key: string]: unknown;
}

class FakeNativePort implements PortLike {
  readonly sent: SentRequest[] = [];
  disconnectedByExtension = false;
  error: { message: string } | null = null;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  readonly onMessage = { addListener: (listener: (message: unknown) => void) => void this.messageListeners.push(listener) };
  readonly onDisconnect = { addListener: (listener: () => void) => void this.disconnectListeners.push(listener) };

  constructor(private readonly host: FakeHost) {}

  postMessage(message: unknown): void {
    if (this.disconnectedByExtension) throw new Error('Attempting to use a disconnected port object');
    const request = structuredClone(message) as SentRequest;
    this.sent.push(request);
    this.host.received(this, request);
  }

  disconnect(): void {
    this.disconnectedByExtension = true;
  }

  /** A message from the host. */
  deliver(message: unknown): void {
    for (const listener of this.messageListeners) listener(structuredClone(message));
  }

  /** The host side went away; `lastError` is what the browser reports. */
  hostGone(): void {
    for (const listener of this.disconnectListeners) listener();
  }
}

/** The host behind the fake ports: answers `status` itself, leaves every other request to the test. */
class FakeHost {
  readonly ports: FakeNativePort[] = [];
  protocolVersion = PROTOCOL_VERSION;
  answerStatus = true;
  lastError: string | undefined;

  connect = (): FakeNativePort => {
    const port = new FakeNativePort(this);
    this.ports.push(port);
    return port;
  };

  received(port: FakeNativePort, request: SentRequest): void {
    if (request.command === 'status' && this.answerStatus) queueMicrotask(() => port.deliver({ id: request.id, ok: true, result: this.status() }));
  }

  status(): StatusResult {
    return { version: '0.1.0', protocolVersion: this.protocolVersion, platform: 'linux', modules: [], tokens: [] };
  }

  get port(): FakeNativePort {
    return this.ports.at(-1)!;
  }

  /** The last request of this command on the current port. */
  request(command: string): SentRequest {
    const request = this.port.sent.filter((r) => r.command === command).at(-1);
    if (!request) throw new Error(`no ${command} request was sent`);
    return request;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function caught(promise: Promise<unknown>): Promise<CasTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CasTokenError);
  return error as CasTokenError;
}

let host: FakeHost;
let nativeHost: NativeHostPort;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  host = new FakeHost();
  nativeHost = new NativeHostPort({ connect: host.connect, lastError: () => host.lastError, idleMs: 60_000, timeoutMs: 10_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('NativeHostPort', () => {
  it('opens one port on demand, shakes hands with status first, then sends the command', async () => {
    expect(host.ports).toHaveLength(0);
    const certificates = nativeHost.request('certificates', {});
    await settle();
    expect(host.ports).toHaveLength(1);
    expect(host.port.sent.map((r) => r.command)).toEqual(['status', 'certificates']);
    host.port.deliver({ id: host.request('certificates').id, ok: true, result: [] });
    expect(await certificates).toEqual([]);

    // The next request uses the same port and the handshake already made: no second status.
    const tokens = nativeHost.request('tokens', {});
    await settle();
    host.port.deliver({ id: host.request('tokens').id, ok: true, result: [] });
    await tokens;
    expect(host.ports).toHaveLength(1);
    expect(host.port.sent.map((r) => r.command)).toEqual(['status', 'certificates', 'tokens']);
  });

  it('asks the host once for status and certificates however many ask at the same moment, each getting its own copy', async () => {
    await nativeHost.status(); // the handshake
    const certificates = Array.from({ length: 50 }, () => nativeHost.request('certificates', {}));
    const statuses = Array.from({ length: 50 }, () => nativeHost.status());
    await settle();
    expect(host.port.sent.map((r) => r.command).sort()).toEqual(['certificates', 'status', 'status']); // the handshake, then one of each
    host.port.deliver({ id: host.request('certificates').id, ok: true, result: [{ id: '01' }] });
    const answers = await Promise.all(certificates);
    expect(answers.every((a) => JSON.stringify(a) === '[{"id":"01"}]')).toBe(true);
    expect(answers[0]).not.toBe(answers[1]); // a caller changing its answer does not change another's
    expect(new Set((await Promise.all(statuses)).map((s) => s.version))).toEqual(new Set(['0.1.0']));
    // Once answered, the next one asks again: nothing is cached.
    const again = nativeHost.request('certificates', {});
    await settle();
    expect(host.port.sent.filter((r) => r.command === 'certificates')).toHaveLength(2);
    host.port.deliver({ id: host.request('certificates').id, ok: true, result: [] });
    expect(await again).toEqual([]);
  });

  it('matches replies to requests by id, whatever order they come back in', async () => {
    const first = nativeHost.request('modules', {});
    const second = nativeHost.request('tokens', {});
    await settle();
    const [modulesRequest, tokensRequest] = [host.request('modules'), host.request('tokens')];
    expect(modulesRequest.id).not.toBe(tokensRequest.id);
    host.port.deliver({ id: tokensRequest.id, ok: true, result: ['tokens answer'] });
    host.port.deliver({ id: modulesRequest.id, ok: true, result: ['modules answer'] });
    expect(await first).toEqual(['modules answer']);
    expect(await second).toEqual(['tokens answer']);
  });

  it('forwards progress replies to the caller, then resolves with the result', async () => {
    const progress: [number, number][] = [];
    const signing = nativeHost.request('sign', { certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: ['AA==', 'AQ=='] }, { onProgress: (done, total) => progress.push([done, total]) });
    await settle();
    const { id } = host.request('sign');
    host.port.deliver({ id, progress: { done: 1, total: 2 } });
    host.port.deliver({ id, progress: { done: 2, total: 2 } });
    host.port.deliver({ id, ok: true, result: { signatures: ['c2ln', 'c2ln'], certificate: 'Y2VydA==' } });
    expect(await signing).toEqual({ signatures: ['c2ln', 'c2ln'], certificate: 'Y2VydA==' });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('turns an error reply into a CasTokenError with its code and hint', async () => {
    const certificates = nativeHost.request('certificates', {});
    await settle();
    host.port.deliver({ id: host.request('certificates').id, ok: false, error: { code: 'NO_MODULE', message: 'No token driver.', hint: 'Install SafeNet Authentication Client.' } });
    const error = await caught(certificates);
    expect(error.code).toBe('NO_MODULE');
    expect(error.hint).toBe('Install SafeNet Authentication Client.');
  });

  it('ignores a reply that fails the reply schema; the right reply still answers', async () => {
    const certificates = nativeHost.request('certificates', {});
    await settle();
    const { id } = host.request('certificates');
    host.port.deliver({ id, ok: 'yes', result: ['forged'] });
    host.port.deliver({ id, ok: false, error: { code: 'NOT_A_CODE', message: 'x' } });
    host.port.deliver({ id, ok: true, result: ['real'] });
    expect(await certificates).toEqual(['real']);
  });

  it('fails a request the host does not answer in time with TIMEOUT, and a late reply changes nothing', async () => {
    const tokens = nativeHost.request('tokens', {}, { timeoutMs: 5_000 });
    await settle();
    const { id } = host.request('tokens');
    vi.advanceTimersByTime(5_000);
    const error = await caught(tokens);
    expect(error.code).toBe('TIMEOUT');
    host.port.deliver({ id, ok: true, result: ['too late'] });

    // The port still works for the next request.
    const next = nativeHost.request('tokens', {});
    await settle();
    host.port.deliver({ id: host.request('tokens').id, ok: true, result: ['in time'] });
    expect(await next).toEqual(['in time']);
    expect(host.ports).toHaveLength(1);
  });

  it('a host that is not installed (Chromium) fails every pending request with HOST_UNAVAILABLE and the install command', async () => {
    host.answerStatus = false;
    const a = nativeHost.request('certificates', {});
    const b = nativeHost.status();
    await settle();
    host.lastError = 'Specified native messaging host not found.';
    host.port.hostGone();
    for (const error of [await caught(a), await caught(b)]) {
      expect(error.code).toBe('HOST_UNAVAILABLE');
      expect(error.message).toContain('Specified native messaging host not found.');
      expect(error.hint).toBe(HOST_NOT_INSTALLED_HINT);
      expect(error.hint).toContain('npx cas-token install');
    }
  });

  it('a host that is not installed (Firefox, reason on port.error) gets the same hint', async () => {
    host.answerStatus = false;
    const status = nativeHost.status();
    await settle();
    host.port.error = { message: 'No such native application eu.castoken.host' };
    host.port.hostGone();
    const error = await caught(status);
    expect(error.code).toBe('HOST_UNAVAILABLE');
    expect(error.hint).toContain('npx cas-token install');
  });

  it('a host that dies mid-request fails it with HOST_UNAVAILABLE (no install hint), and the next request starts a new host', async () => {
    const signing = nativeHost.request('sign', { certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: ['AA=='] });
    await settle();
    host.lastError = 'Native host has exited.';
    host.port.hostGone();
    const error = await caught(signing);
    expect(error.code).toBe('HOST_UNAVAILABLE');
    expect(error.message).toContain('Native host has exited.');
    expect(error.hint).toBeUndefined();

    host.lastError = undefined;
    const tokens = nativeHost.request('tokens', {});
    await settle();
    expect(host.ports).toHaveLength(2);
    expect(host.port.sent.map((r) => r.command)).toEqual(['status', 'tokens']); // a new port shakes hands again
    host.port.deliver({ id: host.request('tokens').id, ok: true, result: [] });
    expect(await tokens).toEqual([]);
  });

  it('a connectNative that throws gives HOST_UNAVAILABLE with the install hint', async () => {
    const failing = new NativeHostPort({
      connect: () => {
        throw new Error('Error in invocation of runtime.connectNative');
      },
      lastError: () => undefined,
    });
    const error = await caught(failing.status());
    expect(error.code).toBe('HOST_UNAVAILABLE');
    expect(error.hint).toContain('npx cas-token install');
  });

  it('refuses a host with an incompatible protocol major version (VERSION_MISMATCH) and closes its port', async () => {
    host.protocolVersion = '2.0.0';
    const error = await caught(nativeHost.request('certificates', {}));
    expect(error.code).toBe('VERSION_MISMATCH');
    expect(error.message).toContain('2.0.0');
    expect(host.port.sent.map((r) => r.command)).toEqual(['status']); // the command never reached that host
    expect(host.port.disconnectedByExtension).toBe(true);
  });

  it('accepts a host with the same major version and a newer minor', async () => {
    const [major] = PROTOCOL_VERSION.split('.');
    host.protocolVersion = `${major}.99.0`;
    const status = await nativeHost.status();
    expect(status.protocolVersion).toBe(`${major}.99.0`);
  });

  it('closes the port after idling with nothing pending, and reconnects on the next request', async () => {
    await nativeHost.status();
    vi.advanceTimersByTime(59_999);
    expect(host.port.disconnectedByExtension).toBe(false);
    vi.advanceTimersByTime(1);
    expect(host.port.disconnectedByExtension).toBe(true);

    await nativeHost.status();
    expect(host.ports).toHaveLength(2);
  });

  it('does not close while a request is pending, however long it takes', async () => {
    const signing = nativeHost.request('sign', { certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: ['AA=='] }, { timeoutMs: 300_000 });
    await settle();
    vi.advanceTimersByTime(200_000);
    expect(host.port.disconnectedByExtension).toBe(false);
    host.port.deliver({ id: host.request('sign').id, ok: true, result: { signatures: ['c2ln'], certificate: 'Y2VydA==' } });
    await signing;
    vi.advanceTimersByTime(60_000);
    expect(host.port.disconnectedByExtension).toBe(true);
  });
});
