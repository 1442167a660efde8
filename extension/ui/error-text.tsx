/**
 * Errors in the extension's pages: a sentence in the user's language for every stable code, with the
 * technical detail (the host's own English message, which names the token, file or PKCS#11 return
 * value) folded under "Details" for support. A wrong PIN says how many tries are left when the token
 * tells. Cancelling is not an error: `ErrorNotice` shows it as a plain notice, not in red.
 */
import type { ComponentChildren } from 'preact';
import { errorMessageKey } from '../common/error-keys.js';
import { plural, t } from '../common/i18n.js';

export interface ShownError {
  code?: string;
  message: string;
  /** PIN_INCORRECT: the tries left, when the token tells. */
  attemptsLeft?: number;
  finalTry?: boolean;
  /** A sentence already in the user's language for this very case (a file too large to sign here, and what to do). */
  userMessage?: string;
}

/**
 * The sentence for the error's code in the user's language (an unknown code gets the general one); an
 * error without a code, or with its own `userMessage`, is one of our own sentences already (a page's
 * "choose a file first", a file too large to sign here).
 */
export function errorSummary(error: ShownError): string {
  if (error.userMessage) return error.userMessage;
  if (!error.code) return error.message;
  if (error.code === 'PIN_INCORRECT' && !error.finalTry && error.attemptsLeft !== undefined) return plural('pinWrongAttemptsLeft', error.attemptsLeft);
  return t(errorMessageKey({ code: error.code, finalTry: error.finalTry }));
}

export const isCancelled = (error: ShownError): boolean => error.code === 'USER_CANCELLED';

/** The sentence, then the technical detail folded under "Details" (closed: English only if asked for). */
export function ErrorText({ error }: { error: ShownError }) {
  const summary = errorSummary(error);
  return (
    <>
      <span class="summary">{summary}</span>
      {error.message && error.message !== summary && (
        <details class="error-detail">
          <summary>{t('errorDetails')}</summary>
          <span class="detail mono">{error.message}</span>
        </details>
      )}
    </>
  );
}

/** An error as a notice: red, except a cancellation (the user's own choice), which is a plain notice. */
export function ErrorNotice({ error, testId, children }: { error: ShownError; testId?: string; children?: ComponentChildren }) {
  const cancelled = isCancelled(error);
  return (
    <div class={`notice ${cancelled ? 'cancelled' : 'bad'}`} data-testid={testId} data-code={error.code} role={cancelled ? 'status' : 'alert'}>
      <ErrorText error={error} />
      {children}
    </div>
  );
}
