/**
 * The user login for one request: at most ONE attempt with the PIN given, never a retry. What the token
 * says about its PIN counters (read before and after the attempt) becomes attemptsLeft / finalTry.
 */
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { TokenFlags } from '../../shared/protocol/token-types.js';
import { ckrName, toCasTokenError } from './pkcs11-errors.js';

export interface LoginTarget {
  pkcs11: pkcs11js.PKCS11;
  session: pkcs11js.Handle;
  label: string;
  /** Reads the token flags now (they change with every attempt). */
  readFlags(): TokenFlags;
}

/**
 * Whether the session is now logged in by us (so it must log out afterwards). `before`: the token's flags
 * as just read in this operation, when the caller has them (saves asking the token again).
 */
export function loginOnce(target: LoginTarget, pin: string | undefined, before: TokenFlags = target.readFlags()): boolean {
  if (!before.loginRequired && pin === undefined) return false;
  if (before.userPinLocked) throw pinLocked(target.label);

  let pinToSend: string;
  if (before.protectedAuthenticationPath) {
    // PIN pad: the PIN is typed on the device. pkcs11js cannot pass NULL_PTR; a zero-length PIN is how
    // drivers see "no PIN given" on such tokens.
    pinToSend = '';
  } else if (pin === undefined) {
    throw new CasTokenError('PIN_REQUIRED', `Token "${target.label}" needs its PIN to sign.`);
  } else {
    pinToSend = pin;
  }

  try {
    target.pkcs11.C_Login(target.session, pkcs11Addon.CKU_USER, pinToSend);
    return true;
  } catch (error) {
    if (ckrName(error) === 'CKR_USER_ALREADY_LOGGED_IN') return false;
    throw loginFailure(error, target);
  }
}

/** Context-specific login for keys with CKA_ALWAYS_AUTHENTICATE: the same PIN, for the signature just initialised. */
export function authenticateForKeyUse(target: LoginTarget, pin: string | undefined, protectedAuthenticationPath: boolean): void {
  try {
    target.pkcs11.C_Login(target.session, pkcs11Addon.CKU_CONTEXT_SPECIFIC, protectedAuthenticationPath ? '' : (pin ?? ''));
  } catch (error) {
    throw loginFailure(error, target);
  }
}

function loginFailure(error: unknown, target: LoginTarget): CasTokenError {
  const mapped = toCasTokenError(error, { action: 'log in', tokenLabel: target.label });
  if (mapped.code !== 'PIN_INCORRECT') return mapped;
  let after: TokenFlags | undefined;
  try {
    after = target.readFlags();
  } catch {
    after = undefined;
  }
  return pinIncorrect(target.label, after);
}

/** PIN_INCORRECT with what the token's flags tell about the tries left. */
export function pinIncorrect(label: string, flags: TokenFlags | undefined): CasTokenError {
  if (flags?.userPinLocked) return pinLocked(label, 'Wrong PIN. ');
  if (flags?.userPinFinalTry) {
    return new CasTokenError('PIN_INCORRECT', `Wrong PIN for token "${label}". One try left: another wrong PIN locks the token.`, {
      attemptsLeft: 1,
      finalTry: true,
    });
  }
  if (flags?.userPinCountLow) {
    return new CasTokenError('PIN_INCORRECT', `Wrong PIN for token "${label}". Few tries are left before the token locks.`, { finalTry: false });
  }
  return new CasTokenError('PIN_INCORRECT', `Wrong PIN for token "${label}".`);
}

export function pinLocked(label: string, prefix = ''): CasTokenError {
  return new CasTokenError('PIN_LOCKED', `${prefix}The PIN of token "${label}" is locked after too many wrong tries. Unlock it with the PUK or your certificate provider's tool.`);
}
