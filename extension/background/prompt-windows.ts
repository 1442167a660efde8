/**
 * Extension-owned windows that ask the user: consent for a site, and the PIN (showing who asks, which
 * certificate and what is signed). A prompt's page fetches its details and answers through messages;
 * closing the window is a cancel. The PIN answer is handed to a callback and never kept.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';

export type PromptDetails =
  | { kind: 'consent'; origin: string }
  | {
      kind: 'pin';
      origin: string;
      certificate: { subject: string; issuer: string; serialNumber: string; notAfter: string };
      token: { label: string; protectedAuthenticationPath: boolean; pinCountLow: boolean; pinFinalTry: boolean };
      /** What will be signed: documents (name, size) or a digest. */
      documents?: { name: string; size: number; format: string }[];
      digest?: { algorithm: string; hex: string };
    };

/** What a PIN answer leads to: done (the window closes) or an error to show while the user may retry. */
export type PinOutcome = { done: true } | { done: false; error: ErrorPayload };

interface OpenPrompt {
  details: PromptDetails;
  windowId?: number;
  answered: boolean;
  onAnswer(answer: unknown): Promise<PinOutcome>;
  cancel(): void;
}

const prompts = new Map<string, OpenPrompt>();

chrome.windows.onRemoved.addListener((windowId) => {
  for (const [id, prompt] of prompts) {
    if (prompt.windowId === windowId) {
      prompts.delete(id);
      if (!prompt.answered) prompt.cancel();
    }
  }
});

async function openWindow(promptId: string, details: PromptDetails): Promise<number | undefined> {
  const url = chrome.runtime.getURL(`extension/ui/prompt/prompt.html?id=${encodeURIComponent(promptId)}`);
  const created = await chrome.windows.create({ url, type: 'popup', width: 460, height: details.kind === 'pin' ? 560 : 380, focused: true });
  return created?.id;
}

/** Asks the user to allow an origin: resolves true (allow) / false (deny); rejects USER_CANCELLED when closed. */
export function askConsent(origin: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const promptId = crypto.randomUUID();
    const prompt: OpenPrompt = {
      details: { kind: 'consent', origin },
      answered: false,
      async onAnswer(answer) {
        prompt.answered = true;
        resolve(answer === 'allow');
        return { done: true };
      },
      cancel: () => reject(new CasTokenError('USER_CANCELLED', 'The user closed the consent window.')),
    };
    prompts.set(promptId, prompt);
    openWindow(promptId, prompt.details).then(
      (windowId) => (prompt.windowId = windowId),
      (error: Error) => {
        prompts.delete(promptId);
        reject(new CasTokenError('INTERNAL_ERROR', `Cannot open the consent window: ${error.message}`));
      },
    );
  });
}

/**
 * Asks for the PIN and runs `useSecret(pin)` with it. A PIN_INCORRECT result keeps the window open
 * showing the attempts left, so the user may type again (never retried by itself); any other result
 * closes it. Resolves with what `useSecret` returned; rejects USER_CANCELLED when closed.
 */
export function withPin<T>(details: Extract<PromptDetails, { kind: 'pin' }>, useSecret: (pin: string | undefined) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const promptId = crypto.randomUUID();
    const prompt: OpenPrompt = {
      details,
      answered: false,
      async onAnswer(answer) {
        const pin = typeof answer === 'object' && answer !== null && 'pin' in answer ? (answer as { pin?: unknown }).pin : undefined;
        if (pin !== undefined && (typeof pin !== 'string' || pin.length > 64)) return { done: false, error: { code: 'PIN_INVALID', message: 'The PIN is too long.' } };
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
      cancel: () => reject(new CasTokenError('USER_CANCELLED', 'The user cancelled signing.')),
    };
    prompts.set(promptId, prompt);
    openWindow(promptId, details).then(
      (windowId) => (prompt.windowId = windowId),
      (error: Error) => {
        prompts.delete(promptId);
        reject(new CasTokenError('INTERNAL_ERROR', `Cannot open the PIN window: ${error.message}`));
      },
    );
  });
}

export function promptDetails(promptId: string): PromptDetails {
  const prompt = prompts.get(promptId);
  if (!prompt) throw new CasTokenError('INVALID_ARGUMENT', 'This request is no longer waiting: close the window.');
  return prompt.details;
}

/** The prompt page's answer. Closes the window when the prompt is done. */
export async function answerPrompt(promptId: string, answer: unknown, senderWindowId: number | undefined): Promise<PinOutcome> {
  const prompt = prompts.get(promptId);
  if (!prompt) throw new CasTokenError('INVALID_ARGUMENT', 'This request is no longer waiting: close the window.');
  if (answer === 'cancel') {
    prompts.delete(promptId);
    prompt.cancel();
    if (prompt.windowId ?? senderWindowId) void chrome.windows.remove((prompt.windowId ?? senderWindowId)!).catch(() => undefined);
    return { done: true };
  }
  const outcome = await prompt.onAnswer(answer);
  if (outcome.done) {
    prompts.delete(promptId);
    const windowId = prompt.windowId ?? senderWindowId;
    if (windowId !== undefined) void chrome.windows.remove(windowId).catch(() => undefined);
  }
  return outcome;
}
