/**
 * The message (messages.json key) that says each stable error code to a user: used by the extension's
 * pages (error-text.tsx, in the browser's language) and for the errors answered to web pages (in the
 * page's language, background/page-error-language.ts). A wrong PIN says what the token tells of the
 * tries left.
 */
import type { ErrorCode } from '../../shared/protocol/error-codes.js';
import type { MessageKey } from './i18n.js';

const ERROR_MESSAGE_KEYS: Record<ErrorCode, MessageKey> = {
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
  FILE_TOO_LARGE: 'errorFileTooLarge',
  NO_SIGNATURE_FOUND: 'errorNoSignatureFound',
  SIGNED_FILE_DAMAGED: 'errorSignedFileDamaged',
  SIGNATURE_PLACEMENT_INVALID: 'errorSignaturePlacementInvalid',
  DIGEST_SIGNING_NOT_ALLOWED: 'errorDigestSigningNotAllowed',
  CERTIFICATE_NOT_SUITABLE: 'errorCertificateNotSuitable',
  REQUEST_PENDING: 'errorRequestPending',
  INVALID_ARGUMENT: 'errorInvalidArgument',
  TIMEOUT: 'errorTimeout',
  INTERNAL_ERROR: 'errorInternal',
};

/** The key for an error with `code` (an unknown code: the general sentence); PIN_INCORRECT by what the token tells, except a count (that one takes a plural). */
export function errorMessageKey(error: { code: string; finalTry?: boolean | undefined }): MessageKey {
  if (error.code === 'PIN_INCORRECT' && error.finalTry === true) return 'pinWrongFinalTry';
  // The host's "few tries left" (the token's CKF_USER_PIN_COUNT_LOW): finalTry false, no count.
  if (error.code === 'PIN_INCORRECT' && error.finalTry === false) return 'pinWrongFewLeft';
  return (ERROR_MESSAGE_KEYS as Record<string, MessageKey | undefined>)[error.code] ?? 'errorInternal';
}
