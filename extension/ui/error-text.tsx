/**
 * Errors in the extension's pages: a sentence in the user's language for each stable code, with the
 * technical detail (the host's own English message, which names the token, file or PKCS#11 return
 * value) beneath it for support. Codes without a sentence of their own show the detail alone.
 */
import type { ErrorCode } from '../../shared/protocol/error-codes.js';
import type { MessageKey } from './i18n.js';
import { t } from './i18n.js';

const SUMMARIES: { [C in ErrorCode]?: MessageKey } = {
  HOST_UNAVAILABLE: 'errorHostUnavailable',
  VERSION_MISMATCH: 'errorVersionMismatch',
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
  // The PIN window says more (attempts left); the extension's pages (Renew, sign files) say this.
  PIN_INCORRECT: 'pinWrong',
  PIN_LOCKED: 'errorPinLocked',
  PIN_INVALID: 'errorPinInvalid',
  DOCUMENT_LOCKED: 'errorDocumentLocked',
  DOCUMENT_DAMAGED: 'errorDocumentDamaged',
  FILE_TOO_LARGE: 'errorFileTooLarge',
  NO_SIGNATURE_FOUND: 'errorNoSignatureFound',
  SIGNED_FILE_DAMAGED: 'errorSignedFileDamaged',
  DIGEST_SIGNING_NOT_ALLOWED: 'errorDigestSigningNotAllowed',
  CERTIFICATE_NOT_SUITABLE: 'errorCertificateNotSuitable',
  REQUEST_PENDING: 'errorRequestPending',
  SIGNATURE_PLACEMENT_INVALID: 'errorSignaturePlacementInvalid',
  TIMEOUT: 'errorTimeout',
  INTERNAL_ERROR: 'errorInternal',
};

export interface ShownError {
  code?: string;
  message: string;
}

/** The sentence for the error's code in the user's language, if it has one. */
export function errorSummary(error: ShownError): string | undefined {
  const key = error.code ? SUMMARIES[error.code as ErrorCode] : undefined;
  return key ? t(key) : undefined;
}

export function ErrorText({ error }: { error: ShownError }) {
  const summary = errorSummary(error);
  if (!summary) return <>{error.message}</>;
  return (
    <>
      <span class="summary">{summary}</span> <span class="detail">{error.message}</span>
    </>
  );
}
