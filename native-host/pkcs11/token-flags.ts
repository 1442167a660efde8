/** CK_TOKEN_INFO flags as the protocol's TokenFlags. */
import { pkcs11Addon } from './pkcs11-addon.js';
import type { TokenFlags } from '../../shared/protocol/token-types.js';

export function tokenFlagsFrom(flags: number): TokenFlags {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  return {
    loginRequired: has(pkcs11Addon.CKF_LOGIN_REQUIRED),
    protectedAuthenticationPath: has(pkcs11Addon.CKF_PROTECTED_AUTHENTICATION_PATH),
    userPinInitialized: has(pkcs11Addon.CKF_USER_PIN_INITIALIZED),
    userPinCountLow: has(pkcs11Addon.CKF_USER_PIN_COUNT_LOW),
    userPinFinalTry: has(pkcs11Addon.CKF_USER_PIN_FINAL_TRY),
    userPinLocked: has(pkcs11Addon.CKF_USER_PIN_LOCKED),
    userPinToBeChanged: has(pkcs11Addon.CKF_USER_PIN_TO_BE_CHANGED),
    writeProtected: has(pkcs11Addon.CKF_WRITE_PROTECTED),
  };
}

/** Blank-padded CK_*_INFO strings (and the NULs some drivers leave) without the padding. */
export function trimPadded(text: string): string {
  // eslint-disable-next-line no-control-regex -- the NUL padding is what this removes
  return text.replace(/[\s\u0000]+$/u, '').replace(/^\s+/u, '');
}
