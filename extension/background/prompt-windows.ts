/**
 * Extension-owned windows that ask the user: consent for a site, and the PIN (showing who asks, which
 * certificate and what is signed). A prompt's page fetches its details and answers through messages;
 * closing the window is a cancel. The PIN answer is handed to a callback and never kept.
 *
 * Prompts wait in one queue and are shown one window at a time, oldest first: a site (or two tabs)
 * asking for 100 signatures at once gets 100 PIN windows one after another, never 100 windows at
 * once, and each window says how many more are waiting. A prompt whose page went away (its tab was
 * closed or navigated: the request's signal aborts) leaves the queue, or its window closes.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import { bytesToBase64 } from '../../shared/encoding/base64.js';
import { MAX_PIN_LENGTH, PROMPT_DOCUMENT_CHUNK_BYTES } from '../../shared/protocol/limits.js';
import type { PromptWaitingMessage } from '../../shared/protocol/extension-messages.js';

/** A document as the PIN window lists it: the name cleaned for display, what the bytes really are, and their SHA-256. */
export interface PromptDocument {
  /** Cleaned of bidi, control and zero-width characters, whitespace collapsed, shortened in the middle. */
  name: string;
  size: number;
  format: string;
  /** What the content is, read from its bytes (not from the name the page chose). */
  type: 'pdf' | 'xml' | 'text' | 'binary' | 'empty';
  /** The name's extension says another type than the content (e.g. `.pdf` on XML). */
  typeMismatch?: boolean;
  /** SHA-256 of the document's bytes, hex. */
  sha256: string;
  certify?: 1 | 2 | 3;
  /** Why this document will not be signed (found before the PIN). */
  refused?: ErrorPayload;
}

/** Bare digests (the site's server assembles the signatures): the window cannot show their content. */
export interface PromptDigests {
  algorithm: string;
  /** Every digest, hex, in the order they will be signed. */
  hexes: string[];
  /** `authentication`: the site asked to prove who the user is; `signature`: a signature on a document the site holds. */
  purpose: 'signature' | 'authentication';
  /** A qualified / non-repudiation key allowed by the user (not by policy): the user ticks that they understand. */
  confirm: boolean;
  /** What the site says they stand for: its words, cleaned and bounded, shown as text and marked as the site's. */
  description?: string;
}

export type PromptDetails =
  | { kind: 'consent'; origin: string; scope: 'origin' | 'digests' }
  | {
      kind: 'pin';
      origin: string;
      certificate: { subject: string; issuer: string; serialNumber: string; notAfter: string; qualified?: boolean; /** `RSA 2048`, `GOST 2012-256`… */ key?: string };
      token: { label: string; protectedAuthenticationPath: boolean; pinCountLow: boolean; pinFinalTry: boolean };
      /** What will be signed: documents (shown by content), or bare digests. */
      documents?: PromptDocument[];
      digests?: PromptDigests;
    };

/** What the prompt page shows: the details, and how many prompts wait behind this one. */
export type PromptView = PromptDetails & { waiting: number };

/** A shown document whose bytes are not kept here (the Sign files page's files): read in pieces when the window previews it. */
export interface PromptDocumentPieces {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}
export type PromptContent = Uint8Array | PromptDocumentPieces;

/** What a PIN answer leads to: done (the window closes) or an error to show while the user may retry. */
export type PinOutcome = { done: true } | { done: false; error: ErrorPayload };

interface QueuedPrompt {
  id: string;
  details: PromptDetails;
  /** A PIN window opened before its documents are known (see openPinWindowEarly): resolves when `details` says what is signed. */
  detailsReady?: Promise<void>;
  detailsShown?: boolean;
  /** The tab and origin that asked: each may have one prompt waiting at a time. */
  owner?: string;
  /** The documents' bytes, for the window's preview (never sent anywhere else). */
  content?: PromptContent[];
  /** Set once its window is open; only the head of the queue has one. */
  windowId?: number;
  /** When its window was opened: a consent answered sooner than a person can read it is a stray key. */
  shownAt?: number;
  shown: boolean;
  answered: boolean;
  onAnswer(answer: unknown): Promise<PinOutcome>;
  cancel(error: CasTokenError): void;
}

/** A consent answer is taken only this long after its window opened (the window's buttons wait as long). */
export const CONSENT_MIN_MS = 800;

/** queue[0] is the prompt on screen (once shown); the rest wait their turn. */
const queue: QueuedPrompt[] = [];
const prompts = new Map<string, QueuedPrompt>();
/** Prompt windows being opened or closed: the next one opens only when none is, so they never overlap. */
let windowsInFlight = 0;

chrome.windows.onRemoved.addListener((windowId) => {
  const prompt = queue.find((p) => p.windowId === windowId);
  if (!prompt) return;
  finish(prompt);
  if (!prompt.answered) prompt.cancel(userCancelled(prompt));
});

function userCancelled(prompt: QueuedPrompt): CasTokenError {
  return new CasTokenError('USER_CANCELLED', prompt.details.kind === 'consent' ? 'The user closed the consent window.' : 'The user cancelled signing.');
}

const pageGone = (): CasTokenError => new CasTokenError('USER_CANCELLED', 'The page that asked has gone away.');

/** Tells the window on screen how many prompts wait behind it now (it shows the count). */
function announceWaiting(): void {
  if (!queue[0]?.shown) return;
  const message: PromptWaitingMessage = { type: 'prompt-waiting', promptId: queue[0].id, waiting: queue.length - 1 };
  void chrome.runtime.sendMessage(message).catch(() => undefined);
}

/** Takes a prompt off the queue, closes its window if it has one, and then shows the next. */
function finish(prompt: QueuedPrompt): void {
  if (!prompts.delete(prompt.id)) return;
  queue.splice(queue.indexOf(prompt), 1);
  announceWaiting();
  // Still opening (no id yet): the window is closed as soon as it exists, see showNext.
  if (prompt.shown && prompt.windowId !== undefined) closeThenShowNext(prompt.windowId);
  else showNext();
}

function closeThenShowNext(windowId: number): void {
  windowsInFlight += 1;
  void chrome.windows
    .remove(windowId)
    .catch(() => undefined) // the user closed it already
    .finally(() => {
      windowsInFlight -= 1;
      showNext();
    });
}

function showNext(): void {
  const head = queue[0];
  if (!head || head.shown || windowsInFlight > 0) return;
  head.shown = true;
  // A window opened before its documents are prepared says so until it can show them.
  const preparing = head.detailsReady && !head.detailsShown ? '&preparing=1' : '';
  const url = chrome.runtime.getURL(`extension/ui/prompt/prompt.html?id=${encodeURIComponent(head.id)}${preparing}`);
  windowsInFlight += 1; // nothing else opens until this window exists
  chrome.windows.create({ url, type: 'popup', width: head.details.kind === 'pin' ? 560 : 480, height: head.details.kind === 'pin' ? 760 : 440, focused: true }).then(
    (created) => {
      windowsInFlight -= 1;
      head.windowId = created?.id;
      head.shownAt = Date.now();
      if (prompts.has(head.id) || created?.id === undefined) showNext();
      else closeThenShowNext(created.id); // withdrawn while its window was opening
    },
    (error: Error) => {
      windowsInFlight -= 1;
      finish(head);
      head.cancel(new CasTokenError('INTERNAL_ERROR', `Cannot open the CAS Token window: ${error.message}`));
    },
  );
}

function enqueue(prompt: QueuedPrompt, signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    prompt.cancel(pageGone());
    return;
  }
  if (prompt.owner !== undefined && queue.some((p) => p.owner === prompt.owner)) {
    prompt.cancel(new CasTokenError('REQUEST_PENDING', 'This page already has a CAS Token window waiting for the user: wait for its answer before asking again.'));
    return;
  }
  prompts.set(prompt.id, prompt);
  queue.push(prompt);
  announceWaiting();
  signal?.addEventListener(
    'abort',
    () => {
      if (!prompts.has(prompt.id) || prompt.answered) return;
      finish(prompt);
      prompt.cancel(pageGone());
    },
    { once: true },
  );
  showNext();
}

/** Who asked for a prompt, and when to withdraw it. */
export interface PromptRequester {
  /** Aborts when the page that asked has gone (tab closed or navigated): the prompt is withdrawn. */
  signal?: AbortSignal;
  /** `tabId origin`: one prompt at a time per tab and origin, the others get REQUEST_PENDING. */
  owner?: string;
}

/**
 * Asks the user to allow an origin (`origin`) or, for an allowed one, to let it have bare digests
 * signed (`digests`): resolves true (allow) / false (deny); rejects USER_CANCELLED when closed or
 * withdrawn with its page.
 */
export function askConsent(origin: string, scope: 'origin' | 'digests' = 'origin', requester: PromptRequester = {}): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const prompt: QueuedPrompt = {
      id: crypto.randomUUID(),
      details: { kind: 'consent', origin, scope },
      ...(requester.owner !== undefined ? { owner: requester.owner } : {}),
      shown: false,
      answered: false,
      async onAnswer(answer) {
        prompt.answered = true;
        resolve(answer === 'allow');
        return { done: true };
      },
      cancel: reject,
    };
    enqueue(prompt, requester.signal);
  });
}

/**
 * Asks for the PIN and runs `useSecret(pin)` with it. A PIN_INCORRECT result keeps the window open
 * showing the attempts left, so the user may type again (never retried by itself); any other result
 * closes it. Resolves with what `useSecret` returned; rejects USER_CANCELLED when closed, or when
 * `signal` aborts before the PIN was used.
 */
export function withPin<T>(
  details: Extract<PromptDetails, { kind: 'pin' }>,
  useSecret: (pin: string | undefined) => Promise<T>,
  requester: PromptRequester & { content?: PromptContent[] } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => enqueue(pinPrompt(details, useSecret, requester, resolve, reject), requester.signal));
}

function pinPrompt<T>(
  details: Extract<PromptDetails, { kind: 'pin' }>,
  useSecret: (pin: string | undefined) => Promise<T>,
  requester: PromptRequester & { content?: PromptContent[] },
  resolve: (result: T) => void,
  reject: (error: unknown) => void,
): QueuedPrompt {
  const prompt: QueuedPrompt = {
    id: crypto.randomUUID(),
    details,
    ...(requester.owner !== undefined ? { owner: requester.owner } : {}),
    ...(requester.content ? { content: requester.content } : {}),
    shown: false,
    answered: false,
    async onAnswer(answer) {
      const pin = typeof answer === 'object' && answer !== null && 'pin' in answer ? (answer as { pin?: unknown }).pin : undefined;
      if (pin !== undefined && (typeof pin !== 'string' || pin.length > MAX_PIN_LENGTH)) return { done: false, error: { code: 'PIN_INVALID', message: 'The PIN is too long.' } };
      try {
        const result = await useSecret(pin as string | undefined);
        prompt.answered = true;
        resolve(result);
        return { done: true };
      } catch (error) {
        const payload = CasTokenError.toSafePayload(error);
        if (payload.code === 'PIN_INCORRECT' || payload.code === 'PIN_INVALID' || payload.code === 'PIN_REQUIRED') return { done: false, error: payload };
        prompt.answered = true;
        reject(error);
        return { done: true };
      }
    },
    cancel: reject,
  };
  return prompt;
}

/** A PIN window opened while its documents are still being read and prepared (see openPinWindowEarly). */
export interface EarlyPinWindow<T> {
  /** What will be signed, once known: the window shows it and takes the PIN from then on. */
  show(details: Extract<PromptDetails, { kind: 'pin' }>, content?: PromptContent[]): void;
  /** Nothing left to sign: the window closes without asking (the result rejects with `reason`). */
  withdraw(reason: unknown): void;
  /** What `useSecret` returned; rejects USER_CANCELLED when the window is closed, even before `show`. */
  result: Promise<T>;
}

/**
 * withPin, with the window opened now and its documents given later: a batch's window starts while its
 * files are read (the user sees at once that signing has begun), and shows what will be signed, and a
 * PIN field, only once every document is prepared. Until `show`, no answer but cancel is taken.
 */
export function openPinWindowEarly<T>(waiting: Extract<PromptDetails, { kind: 'pin' }>, useSecret: (pin: string | undefined) => Promise<T>, requester: PromptRequester = {}): EarlyPinWindow<T> {
  let prompt!: QueuedPrompt;
  let ready!: () => void;
  const result = new Promise<T>((resolve, reject) => {
    prompt = pinPrompt(waiting, useSecret, requester, resolve, reject);
  });
  prompt.detailsReady = new Promise<void>((resolve) => (ready = resolve));
  enqueue(prompt, requester.signal);
  return {
    result,
    show(details, content) {
      prompt.details = details;
      if (content) prompt.content = content;
      prompt.detailsShown = true;
      ready();
    },
    withdraw(reason) {
      result.catch(() => undefined); // the caller does not wait for it
      ready();
      if (!prompts.has(prompt.id)) return;
      finish(prompt);
      prompt.cancel(reason instanceof CasTokenError ? reason : new CasTokenError('USER_CANCELLED', 'Nothing was left to sign.'));
    },
  };
}

export async function promptDetails(promptId: string): Promise<PromptView> {
  const prompt = prompts.get(promptId);
  if (!prompt) throw new CasTokenError('INVALID_ARGUMENT', 'This request is no longer waiting: close the window.');
  // Opened early: the window says "loading" until it can show what will be signed.
  if (prompt.detailsReady) await prompt.detailsReady;
  if (!prompts.has(promptId)) throw new CasTokenError('INVALID_ARGUMENT', 'This request is no longer waiting: close the window.');
  return { ...prompt.details, waiting: queue.length - 1 };
}

/** Bytes of a document the PIN window previews, in pieces small enough for one runtime message. */
export const PROMPT_DOCUMENT_CHUNK = PROMPT_DOCUMENT_CHUNK_BYTES;

export async function promptDocumentChunk(promptId: string, index: number, offset: number): Promise<{ data: string; total: number }> {
  const prompt = prompts.get(promptId);
  const content = prompt?.content?.[index];
  if (!prompt || !content) throw new CasTokenError('INVALID_ARGUMENT', 'This document is no longer waiting to be signed: close the window.');
  if (content instanceof Uint8Array) return { data: bytesToBase64(content.subarray(offset, offset + PROMPT_DOCUMENT_CHUNK)), total: content.length };
  const length = Math.max(0, Math.min(PROMPT_DOCUMENT_CHUNK, content.size - offset));
  return { data: bytesToBase64(length > 0 ? await content.read(offset, length) : new Uint8Array(0)), total: content.size };
}

/** The prompt page's answer. Closes the window (and shows the next prompt) when the prompt is done. */
export async function answerPrompt(promptId: string, answer: unknown): Promise<PinOutcome> {
  const prompt = prompts.get(promptId);
  if (!prompt || !prompt.shown) throw new CasTokenError('INVALID_ARGUMENT', 'This request is no longer waiting: close the window.');
  if (answer !== 'cancel' && prompt.detailsReady && !prompt.detailsShown) throw new CasTokenError('INVALID_ARGUMENT', 'Wait until the window shows what will be signed.');
  if (answer === 'cancel') {
    finish(prompt);
    prompt.cancel(userCancelled(prompt));
    return { done: true };
  }
  // The window ignores input for its first second; an answer sooner than that is not the user's.
  if (prompt.details.kind === 'consent' && (prompt.shownAt === undefined || Date.now() - prompt.shownAt < CONSENT_MIN_MS)) {
    throw new CasTokenError('INVALID_ARGUMENT', 'Too soon: read the question, then click.');
  }
  const outcome = await prompt.onAnswer(answer);
  if (outcome.done) finish(prompt);
  return outcome;
}
