import type { ErrorCode } from './error-codes.js';

/** What crosses a message boundary when something fails. Never carries a PIN or a stack trace. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** PIN_INCORRECT: attempts left when the token tells (e.g. 2 = "two tries left"), or the flags it gives. */
  attemptsLeft?: number;
  /** PIN_INCORRECT: the token says the next wrong PIN locks it. */
  finalTry?: boolean;
  /** NO_MODULE and MODULE_LOAD_FAILED: hints naming what to install. */
  hint?: string;
  /** Errors answered to a web page: the sentence for its user, in the page's language (`message` stays the English detail). */
  userMessage?: string;
}

/** The one error class used on every side; `code` is stable, `message` is for people. */
export class CasTokenError extends Error {
  readonly code: ErrorCode;
  readonly attemptsLeft: number | undefined;
  readonly finalTry: boolean | undefined;
  readonly hint: string | undefined;
  /** A page's error: the sentence for its user in the page's language (see ErrorPayload). */
  readonly userMessage: string | undefined;

  constructor(code: ErrorCode, message: string, extra: Omit<ErrorPayload, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'CasTokenError';
    this.code = code;
    this.attemptsLeft = extra.attemptsLeft;
    this.finalTry = extra.finalTry;
    this.hint = extra.hint;
    this.userMessage = extra.userMessage;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message };
    if (this.attemptsLeft !== undefined) payload.attemptsLeft = this.attemptsLeft;
    if (this.finalTry !== undefined) payload.finalTry = this.finalTry;
    if (this.hint !== undefined) payload.hint = this.hint;
    if (this.userMessage !== undefined) payload.userMessage = this.userMessage;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): CasTokenError {
    const { code, message, ...extra } = payload;
    return new CasTokenError(code, message, extra);
  }

  /** Any thrown value as a payload safe to send: unknown errors become INTERNAL_ERROR without a stack. */
  static toSafePayload(error: unknown): ErrorPayload {
    if (error instanceof CasTokenError) return error.toPayload();
    const message = error instanceof Error ? error.message : String(error);
    return { code: 'INTERNAL_ERROR', message: message.split('\n')[0] ?? 'Internal error' };
  }
}
