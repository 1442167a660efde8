/**
 * Errors in the extension's pages: a sentence in the user's language for every stable code, with the
 * technical detail (the host's own English message, which names the token, file or PKCS#11 return
 * value) folded under "Details" for support. A wrong PIN says how many tries are left when the token
 * tells. Cancelling is not an error: `ErrorNotice` shows it as a plain notice, not in red.
 */
import type { ComponentChildren } from 'preact';
import type { ErrorCode } from '../../shared/protocol/error-codes.js';
import type { MessageKey } from './i18n.js';
import { plural, t } from './i18n.js';

const SUMMARIES: Record<ErrorCode, MessageKey> = {
  EXTENSION_UNAVAILABLE: 'errorExtensionUnavailable',
  HOST_UNAVAILABLE: 'errorHostUnavailable',
  VERSION_MISMATCH: 'errorVersionMismatch',
  ORIGIN_NOT_ALLOWED: 'errorOriginNotAllowed',
  INSECURE_CONTEXT: 'errorInsecureContext',
  USER_CANCELLED: 'errorUserCancelled',
  NO_MODULE: 'errorNoModule',
  MODULE_LOAD_FAILED: 'errorModuleLoadFailed',
  NO_TOKEN: 'errorNoToken',
  TOKEN_FAILED: 'errorTokenFailed',
  TOKEN_BUSY: 'errorTokenBusy',
  CERTIFICATE_NOT_FOUND: 'errorCertificateNotFound',
  KEY_NOT_FOUND: 'errorKeyNotFound',
  MECHANISM_NOT_SUPPORTED: 'errorMechanismNotSupported',
  FORMAT_NOT_SUPPORTED: 'errorFormatNotSupported',
  PIN_REQUIRED: 'errorPinRequired',
  PIN_INCORRECT: 'pinWrong',
  PIN_LOCKED: 'errorPinLocked',
  PIN_INVALID: 'errorPinInvalid',
  INVALID_MESSAGE: 'errorInvalidMessage',
  MESSAGE_TOO_LARGE: 'errorMessageTooLarge',
  UNKNOWN_COMMAND: 'errorUnknownCommand',
  DOCUMENT_LOCKED: 'errorDocumentLocked',
  DOCUMENT_DAMAGED: 'errorDocumentDamaged',
  DIGEST_SIGNING_NOT_ALLOWED: 'errorDigestSigningNotAllowed',
  CERTIFICATE_NOT_SUITABLE: 'errorCertificateNotSuitable',
  REQUEST_PENDING: 'errorRequestPending',
  INVALID_ARGUMENT: 'errorInvalidArgument',
  TIMEOUT: 'errorTimeout',
  INTERNAL_ERROR: 'errorInternal',
};

export interface ShownError {
  code?: string;
  message: string;
  /** PIN_INCORRECT: the tries left, when the token tells. */
  attemptsLeft?: number;
  finalTry?: boolean;
}

/**
 * The sentence for the error's code in the user's language (an unknown code gets the general one); an
 * error without a code is one of our own sentences already (a page's "choose a file first").
 */
export function errorSummary(error: ShownError): string {
  if (!error.code) return error.message;
  if (error.code === 'PIN_INCORRECT') {
    if (error.finalTry) return t('pinWrongFinalTry');
    if (error.attemptsLeft !== undefined) return plural('pinWrongAttemptsLeft', error.attemptsLeft);
    // The host's "few tries left" (the token's CKF_USER_PIN_COUNT_LOW): finalTry false, no count.
    if (error.finalTry === false) return t('pinWrongFewLeft');
  }
  const key = error.code ? (SUMMARIES as Record<string, MessageKey | undefined>)[error.code] : undefined;
  return t(key ?? 'errorInternal');
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
