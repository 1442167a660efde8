/**
 * The queue of consent / PIN windows (extension/background/prompt-windows.ts): one window at a time,
 * oldest first, never two open at once even while Chromium is still closing the previous one; a
 * prompt withdrawn (its page gone) leaves the queue or has its window closed, also while that window
 * is still opening; a window closed by the user cancels its prompt only; a wrong PIN keeps the window.
 * `chrome.windows` is a stand-in that records windows (the real one is exercised by the e2e tests);
 * the queue code is the real one, loaded fresh for each test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeChrome } from '../../support/fake-chrome.js';

type PromptWindows = typeof import('../../../extension/background/prompt-windows.js');
type CasTokenErrorClass = typeof import('../../../shared/protocol/cas-token-error.js').CasTokenError;

/** A stand-in for chrome.windows: windows open and close when the test lets them. */
class FakeWindows {
  open = new Map<number, string>();
  mostOpen = 0;
  created: string[] = [];
  private next = 1;
  private removedListeners: ((id: number) => void)[] = [];
  /** While set, create() waits for `releaseCreate()`. */
  holdCreate = false;
  failNextCreate = false;
  private heldCreates: (() => void)[] = [];

  api = {
    create: ({ url }: { url: string }): Promise<{ id: number }> =>
      new Promise((resolve, reject) => {
        const make = (): void => {
          if (this.failNextCreate) {
            this.failNextCreate = false;
            reject(new Error('no display'));
            return;
          }
          const id = this.next++;
          this.open.set(id, url);
          this.created.push(url);
          this.mostOpen = Math.max(this.mostOpen, this.open.size);
          resolve({ id });
        };
        if (this.holdCreate) this.heldCreates.push(make);
        else queueMicrotask(make);
      }),
    remove: async (id: number): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // closing takes a while
      if (!this.open.delete(id)) throw new Error(`No window with id: ${id}.`);
      this.removedListeners.forEach((listener) => listener(id));
    },
    onRemoved: { addListener: (listener: (id: number) => void) => this.removedListeners.push(listener) },
  };

  releaseCreate(): void {
    this.holdCreate = false;
    this.heldCreates.splice(0).forEach((make) => make());
  }

  /** The user closes a window with its title-bar button. */
  closeByUser(id: number): void {
    this.open.delete(id);
    this.removedListeners.forEach((listener) => listener(id));
  }

  promptIdOf(windowId: number): string {
    return new URL(this.open.get(windowId)!).searchParams.get('id')!;
  }

  onlyWindow(): number {
    expect(this.open.size).toBe(1);
    return [...this.open.keys()][0]!;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const pinDetails = (origin: string) => ({
  kind: 'pin' as const,
  origin,
  certificate: { subject: 'Ștefan Ionescu', issuer: 'DEMO CA', serialNumber: 'C59D', notAfter: '2027-12-01T00:00:00Z' },
  token: { label: 'CAS Demo', protectedAuthenticationPath: false, pinCountLow: false, pinFinalTry: false },
  digests: { algorithm: 'SHA-256', hexes: ['00'.repeat(32)], purpose: 'signature' as const, confirm: false },
});

let windows: FakeWindows;
/** The `waiting` counts the queue announced to the window on screen. */
let announced: number[];
let queue: PromptWindows;
/** The error class of the freshly loaded modules (instanceof must see the same one). */
let CasTokenError: CasTokenErrorClass;

beforeEach(async () => {
  windows = new FakeWindows();
  announced = [];
  installFakeChrome({ windows: windows.api, sendMessage: (message: { waiting: number }) => void announced.push(message.waiting) });
  // A person takes a while to answer: each reading of the clock is a second later (see the stray-key test for the real clock).
  let clock = Date.now();
  vi.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
  vi.resetModules();
  queue = await import('../../../extension/background/prompt-windows.js');
  ({ CasTokenError } = await import('../../../shared/protocol/cas-token-error.js'));
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('prompt queue', () => {
  it('shows one window at a time, oldest first, each counting those behind it', async () => {
    const used: string[] = [];
    const results = ['a', 'b', 'c'].map((name) => queue.withPin(pinDetails(`https://${name}.example`), async (pin) => (used.push(`${name}:${pin}`), name)));
    const seen: { origin: string; waiting: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await settle();
      const id = windows.promptIdOf(windows.onlyWindow());
      const view = await queue.promptDetails(id);
      seen.push({ origin: view.origin, waiting: view.waiting });
      expect(await queue.answerPrompt(id, { pin: '1234' })).toEqual({ done: true });
    }
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual([
      { origin: 'https://a.example', waiting: 2 },
      { origin: 'https://b.example', waiting: 1 },
      { origin: 'https://c.example', waiting: 0 },
    ]);
    expect(used).toEqual(['a:1234', 'b:1234', 'c:1234']);
    await settle();
    expect(windows.open.size).toBe(0);
    expect(windows.mostOpen).toBe(1); // the next window waited for the previous one to be gone
  });

  it('tells the window on screen when more prompts queue up behind it, or leave', async () => {
    const first = queue.askConsent('https://a.example');
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    expect((await queue.promptDetails(id)).waiting).toBe(0);
    announced = [];
    const gone = new AbortController();
    const later = [queue.askConsent('https://b.example'), queue.withPin(pinDetails('https://c.example'), async () => 'c', { signal: gone.signal })];
    expect(announced).toEqual([1, 2]);
    gone.abort();
    expect(announced).toEqual([1, 2, 1]);
    await expect(later[1]).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    await queue.answerPrompt(id, 'allow');
    expect(await first).toBe(true);
    await settle();
    await queue.answerPrompt(windows.promptIdOf(windows.onlyWindow()), 'deny');
    expect(await later[0]).toBe(false);
  });

  it('a wrong PIN keeps the window for another try; a window the user closes cancels only its prompt', async () => {
    let attempts = 0;
    const first = queue.withPin(pinDetails('https://a.example'), async (pin) => {
      attempts++;
      if (pin !== '1234') throw new CasTokenError('PIN_INCORRECT', 'Wrong PIN.', { attemptsLeft: 2 });
      return 'signed';
    });
    const second = queue.withPin(pinDetails('https://b.example'), async () => 'never');
    await settle();
    const windowId = windows.onlyWindow();
    const id = windows.promptIdOf(windowId);
    expect(await queue.answerPrompt(id, { pin: '0000' })).toEqual({ done: false, error: expect.objectContaining({ code: 'PIN_INCORRECT', attemptsLeft: 2 }) });
    await settle();
    expect(windows.onlyWindow()).toBe(windowId); // still the same window, nothing retried by itself
    expect(attempts).toBe(1);
    expect(await queue.answerPrompt(id, { pin: '1234' })).toEqual({ done: true });
    expect(await first).toBe('signed');
    await settle();
    windows.closeByUser(windows.onlyWindow());
    await expect(second).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    await settle();
    expect(windows.open.size).toBe(0);
  });

  it('a prompt withdrawn while waiting never opens; one withdrawn while on screen closes and the next shows', async () => {
    const gone = new AbortController();
    const shownThenGone = new AbortController();
    const first = queue.withPin(pinDetails('https://a.example'), async () => 'a', { signal: shownThenGone.signal });
    const second = queue.withPin(pinDetails('https://b.example'), async () => 'b', { signal: gone.signal });
    const third = queue.withPin(pinDetails('https://c.example'), async () => 'c');
    await settle();
    gone.abort();
    await expect(second).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    shownThenGone.abort();
    await expect(first).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    expect(await queue.promptDetails(id)).toMatchObject({ origin: 'https://c.example', waiting: 0 });
    await queue.answerPrompt(id, {});
    expect(await third).toBe('c');
    expect(windows.created).toHaveLength(2); // b never had a window
    await expect(queue.withPin(pinDetails('https://d.example'), async () => 'd', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
  });

  it('a prompt withdrawn while its window is still opening gets that window closed once it exists', async () => {
    windows.holdCreate = true;
    const gone = new AbortController();
    const first = queue.withPin(pinDetails('https://a.example'), async () => 'a', { signal: gone.signal });
    const second = queue.withPin(pinDetails('https://b.example'), async () => 'b');
    gone.abort();
    await expect(first).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    windows.releaseCreate();
    await settle();
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    expect((await queue.promptDetails(id)).origin).toBe('https://b.example');
    await queue.answerPrompt(id, {});
    expect(await second).toBe('b');
    expect(windows.mostOpen).toBe(1);
  });

  it('a window that cannot open fails its prompt with INTERNAL_ERROR and the queue goes on', async () => {
    windows.failNextCreate = true;
    const first = queue.askConsent('https://a.example');
    const second = queue.askConsent('https://b.example');
    await expect(first).rejects.toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringContaining('no display') });
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    expect(await queue.promptDetails(id)).toEqual({ kind: 'consent', origin: 'https://b.example', scope: 'origin', waiting: 0 });
    await queue.answerPrompt(id, 'allow');
    expect(await second).toBe(true);
  });

  it('answers for an unknown or finished prompt are refused; cancel rejects USER_CANCELLED', async () => {
    const first = queue.askConsent('https://a.example');
    const waitingBehind = queue.askConsent('https://b.example');
    await settle();
    const onScreen = windows.promptIdOf(windows.onlyWindow());
    await expect(queue.answerPrompt('not-a-prompt', 'allow')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await queue.answerPrompt(onScreen, 'deny');
    expect(await first).toBe(false);
    await expect(queue.answerPrompt(onScreen, 'allow')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await settle();
    await queue.answerPrompt(windows.promptIdOf(windows.onlyWindow()), 'cancel');
    await expect(waitingBehind).rejects.toMatchObject({ code: 'USER_CANCELLED' });
  });

  it("takes no consent answer in the window's first moments (a stray key), and one per tab and origin waits at a time", async () => {
    vi.restoreAllMocks(); // the real clock
    const consent = queue.askConsent('https://a.example', 'origin', { owner: '7 https://a.example' });
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    await expect(queue.answerPrompt(id, 'allow')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The same tab and origin asking again while it waits: answered at once, no second window queued.
    await expect(queue.withPin(pinDetails('https://a.example'), async () => 'x', { owner: '7 https://a.example' })).rejects.toMatchObject({ code: 'REQUEST_PENDING' });
    await new Promise((resolve) => setTimeout(resolve, queue.CONSENT_MIN_MS + 50));
    await queue.answerPrompt(id, 'allow');
    expect(await consent).toBe(true);
    expect(windows.created).toHaveLength(1);
  });

  it("serves the documents' bytes to the PIN window in pieces, and nothing once the prompt is gone", async () => {
    const bytes = new Uint8Array(queue.PROMPT_DOCUMENT_CHUNK + 10).map((_, i) => i % 251);
    const signed = queue.withPin(pinDetails('https://a.example'), async () => 'ok', { content: [bytes] });
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    const first = await queue.promptDocumentChunk(id, 0, 0);
    const second = await queue.promptDocumentChunk(id, 0, queue.PROMPT_DOCUMENT_CHUNK);
    expect(first.total).toBe(bytes.length);
    expect(Buffer.concat([Buffer.from(first.data, 'base64'), Buffer.from(second.data, 'base64')]).equals(Buffer.from(bytes))).toBe(true);
    await queue.answerPrompt(id, { pin: '1234' });
    expect(await signed).toBe('ok');
    await expect(queue.promptDocumentChunk(id, 0, 0)).rejects.toThrow(/no longer waiting/);
  });

  it("a batch's PIN window opens at once, says it prepares the files, shows them and takes the PIN only once they are ready", async () => {
    const used: (string | undefined)[] = [];
    const early = queue.openPinWindowEarly({ ...pinDetails('Semnare fișiere'), digests: undefined }, async (pin) => (used.push(pin), 'signed'));
    await settle();
    const windowId = windows.onlyWindow();
    expect(new URL(windows.open.get(windowId)!).searchParams.get('preparing')).toBe('1');
    const id = windows.promptIdOf(windowId);
    let shown: unknown;
    void queue.promptDetails(id).then((view) => (shown = view));
    await settle();
    expect(shown).toBeUndefined(); // the window still says it reads the files
    await expect(queue.answerPrompt(id, { pin: '1234' })).rejects.toThrow(/Wait until the window shows what will be signed/);
    expect(used).toEqual([]);
    early.show({ ...pinDetails('Semnare fișiere'), digests: undefined, documents: [{ name: 'factura-1.pdf', size: 10, type: 'pdf', sha256: 'ab'.repeat(32), format: 'pades' }] });
    await settle();
    expect(shown).toMatchObject({ origin: 'Semnare fișiere', documents: [{ name: 'factura-1.pdf' }] });
    expect(await queue.answerPrompt(id, { pin: '1234' })).toEqual({ done: true });
    expect(await early.result).toBe('signed');
    expect(used).toEqual(['1234']);
  });

  it('an early PIN window closed while the files are read cancels the batch; one with nothing left to sign closes by itself', async () => {
    const closed = queue.openPinWindowEarly({ ...pinDetails('Semnare fișiere'), digests: undefined }, async () => 'never');
    await settle();
    windows.closeByUser(windows.onlyWindow());
    await expect(closed.result).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    await settle();
    const empty = queue.openPinWindowEarly({ ...pinDetails('Semnare fișiere'), digests: undefined }, async () => 'never');
    await settle();
    const id = windows.promptIdOf(windows.onlyWindow());
    empty.withdraw(new CasTokenError('INVALID_ARGUMENT', 'No file could be signed.'));
    await expect(empty.result).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await settle();
    expect(windows.open.size).toBe(0);
    await expect(queue.promptDetails(id)).rejects.toThrow(/no longer waiting/);
  });
});
