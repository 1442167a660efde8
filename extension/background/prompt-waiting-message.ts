/** The background's word to the prompt window on screen (prompt-windows.ts → ui/prompt); no side effects, so the page can import it. */

/** From the background to the window on screen: how many prompts wait behind it now. */
export interface PromptWaitingMessage {
  type: 'prompt-waiting';
  promptId: string;
  waiting: number;
}

export function isPromptWaitingMessage(message: unknown): message is PromptWaitingMessage {
  const m = message as Partial<PromptWaitingMessage> | null;
  return m?.type === 'prompt-waiting' && typeof m.promptId === 'string' && typeof m.waiting === 'number';
}
