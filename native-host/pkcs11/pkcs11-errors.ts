/**
 * PKCS#11 return values (CKR_*) as CasTokenErrors with stable codes and messages for people.
 * pkcs11js throws `Pkcs11Error { message: 'CKR_NAME', code: number }`; the name is what we match on.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';

/** Failures that mean the token (or its slot / session) is gone: re-enumerate next time. */
const TOKEN_GONE = new Set(['CKR_TOKEN_NOT_PRESENT', 'CKR_DEVICE_REMOVED', 'CKR_SLOT_ID_INVALID', 'CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_TOKEN_NOT_RECOGNIZED']);

/** The CKR_* name of a pkcs11js error, or undefined for anything else. */
export function ckrName(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /CKR_[A-Z0-9_]+/.exec(error.message);
  return match?.[0];
}

export function isTokenGone(error: unknown): boolean {
  if (error instanceof CasTokenError) return error.code === 'NO_TOKEN';
  const name = ckrName(error);
  return name !== undefined && TOKEN_GONE.has(name);
}

/**
 * Failures after which the driver's view of its tokens cannot be trusted (SoftHSM2 answers
 * CKR_GENERAL_ERROR for a token whose files went away): start it afresh next time.
 */
export function isDriverConfused(error: unknown): boolean {
  const name = ckrName(error);
  return name === 'CKR_GENERAL_ERROR' || name === 'CKR_DEVICE_ERROR' || name === 'CKR_FUNCTION_FAILED';
}

/** What the caller was doing, for the message (`"sign with token CAS Demo"`). */
export interface FailureContext {
  action: string;
  tokenLabel?: string;
}

/**
 * Any error thrown during a PKCS#11 operation as a CasTokenError. PIN failures here carry no attempt
 * counts: the login step adds those from the token flags it reads after the failure.
 */
export function toCasTokenError(error: unknown, context: FailureContext): CasTokenError {
  if (error instanceof CasTokenError) return error;
  const name = ckrName(error);
  const token = context.tokenLabel ? `token "${context.tokenLabel}"` : 'the token';
  switch (name) {
    case 'CKR_PIN_INCORRECT':
      return new CasTokenError('PIN_INCORRECT', `Wrong PIN for ${token}.`);
    case 'CKR_PIN_LOCKED':
      return new CasTokenError('PIN_LOCKED', `The PIN of ${token} is locked after too many wrong tries. Unlock it with the PUK / your certificate provider's tool.`);
    case 'CKR_PIN_LEN_RANGE':
    case 'CKR_PIN_INVALID':
      return new CasTokenError('PIN_INVALID', `The PIN has a length or characters ${token} does not accept.`);
    case 'CKR_PIN_EXPIRED':
      return new CasTokenError('PIN_LOCKED', `The PIN of ${token} has expired and must be changed with your token's tool first.`);
    case 'CKR_USER_PIN_NOT_INITIALIZED':
      return new CasTokenError('PIN_LOCKED', `${capitalise(token)} has no user PIN set. Initialise it with your token's tool first.`);
    case 'CKR_MECHANISM_INVALID':
    case 'CKR_MECHANISM_PARAM_INVALID':
    case 'CKR_KEY_TYPE_INCONSISTENT':
    case 'CKR_KEY_FUNCTION_NOT_PERMITTED':
      return new CasTokenError('MECHANISM_NOT_SUPPORTED', `${capitalise(token)} cannot ${context.action} with this algorithm (${name}).`);
    case 'CKR_DATA_LEN_RANGE':
    case 'CKR_DATA_INVALID':
      return new CasTokenError('INVALID_ARGUMENT', `${capitalise(token)} refused the data to ${context.action} (${name}).`);
    case 'CKR_KEY_HANDLE_INVALID':
      return new CasTokenError('KEY_NOT_FOUND', `The private key disappeared from ${token} while trying to ${context.action}.`);
    case 'CKR_FUNCTION_CANCELED':
      return new CasTokenError('USER_CANCELLED', `The PIN entry on ${token} was cancelled.`);
    case 'CKR_DEVICE_ERROR':
    case 'CKR_GENERAL_ERROR':
    case 'CKR_FUNCTION_FAILED':
      return new CasTokenError(
        'TOKEN_FAILED',
        `${capitalise(token)} failed while trying to ${context.action} (${name}). Take it out, put it back in and try again; if it keeps failing, reinstall its driver.`,
      );
    case 'CKR_DEVICE_MEMORY':
    case 'CKR_HOST_MEMORY':
      return new CasTokenError('INTERNAL_ERROR', `Out of memory while trying to ${context.action} (${name}).`);
    default:
      break;
  }
  if (name !== undefined && TOKEN_GONE.has(name)) {
    return new CasTokenError('NO_TOKEN', `${capitalise(token)} was removed or is not present (${name}). Insert it and try again.`);
  }
  const detail = name ?? firstLine(error);
  return new CasTokenError('INTERNAL_ERROR', `Cannot ${context.action} with ${token}: ${detail}.`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'unknown error';
}
