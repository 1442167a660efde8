/**
 * What a person is told for each PKCS#11 failure. The PIN cases SoftHSM2 cannot produce (it never
 * returns CKR_PIN_LOCKED or CKR_PIN_LEN_RANGE and keeps no try counter) run here against a stand-in
 * token that answers the way hardware tokens do; the integration tests cover what SoftHSM2 can do.
 */
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { TokenFlags } from '../../../shared/protocol/token-types.js';
import { isTokenGone, toCasTokenError } from '../../../native-host/pkcs11/pkcs11-errors.js';
import { loginOnce } from '../../../native-host/pkcs11/token-login.js';
import type { LoginTarget } from '../../../native-host/pkcs11/token-login.js';
import { tokenFlagsFrom } from '../../../native-host/pkcs11/token-flags.js';

/** pkcs11js reports a CKR the way Pkcs11Error does: `CKR_NAME:number` in the message. */
function ckr(name: string): Error {
  return new Error(`${name}:${(pkcs11js as unknown as Record<string, number>)[name]}\n    at PKCS11.C_Login (native)`);
}

const context = { action: 'sign', tokenLabel: 'CAS Demo' };

describe('CKR → CasTokenError', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 'PIN_INCORRECT'],
    ['CKR_PIN_LOCKED', 'PIN_LOCKED'],
    ['CKR_PIN_LEN_RANGE', 'PIN_INVALID'],
    ['CKR_PIN_INVALID', 'PIN_INVALID'],
    ['CKR_TOKEN_NOT_PRESENT', 'NO_TOKEN'],
    ['CKR_DEVICE_REMOVED', 'NO_TOKEN'],
    ['CKR_SLOT_ID_INVALID', 'NO_TOKEN'],
    ['CKR_SESSION_HANDLE_INVALID', 'NO_TOKEN'],
    ['CKR_MECHANISM_INVALID', 'MECHANISM_NOT_SUPPORTED'],
    ['CKR_FUNCTION_CANCELED', 'USER_CANCELLED'],
    ['CKR_GENERAL_ERROR', 'TOKEN_FAILED'],
    ['CKR_DEVICE_ERROR', 'TOKEN_FAILED'],
  ])('%s becomes %s, with a one-line message naming the token', (name, code) => {
    const error = toCasTokenError(ckr(name), context);
    expect(error.code).toBe(code);
    expect(error.message).toContain('CAS Demo');
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('native');
  });

  it('treats removal-class failures as "token gone" so the next call re-enumerates', () => {
    expect(isTokenGone(ckr('CKR_DEVICE_REMOVED'))).toBe(true);
    expect(isTokenGone(ckr('CKR_SESSION_HANDLE_INVALID'))).toBe(true);
    expect(isTokenGone(ckr('CKR_PIN_INCORRECT'))).toBe(false);
    expect(isTokenGone(new CasTokenError('NO_TOKEN', 'gone'))).toBe(true);
  });

  it('passes CasTokenErrors through unchanged', () => {
    const original = new CasTokenError('KEY_NOT_FOUND', 'no key');
    expect(toCasTokenError(original, context)).toBe(original);
  });
});

/** A token stand-in: its flags before and after the attempt, and what C_Login answers. */
function standInToken(options: { before: number; after?: number; login: () => void }): { target: LoginTarget; attempts: string[] } {
  const attempts: string[] = [];
  let tried = false;
  const pkcs11 = {
    C_Login: (_session: Buffer, _userType: number, pin: string) => {
      attempts.push(pin);
      tried = true;
      options.login();
    },
  } as unknown as pkcs11js.PKCS11;
  const readFlags = (): TokenFlags => tokenFlagsFrom(tried ? (options.after ?? options.before) : options.before);
  return { target: { pkcs11, session: Buffer.alloc(8), label: 'eToken', readFlags }, attempts };
}

const READY = pkcs11js.CKF_LOGIN_REQUIRED | pkcs11js.CKF_USER_PIN_INITIALIZED;

describe('one login attempt per request', () => {
  it('maps CKR_PIN_LOCKED from the token to PIN_LOCKED after a single attempt', () => {
    const { target, attempts } = standInToken({
      before: READY,
      login: () => {
        throw ckr('CKR_PIN_LOCKED');
      },
    });
    expect(() => loginOnce(target, '0000')).toThrow(expect.objectContaining({ code: 'PIN_LOCKED' }));
    expect(attempts).toHaveLength(1);
  });

  it('maps CKR_PIN_LEN_RANGE to PIN_INVALID', () => {
    const { target } = standInToken({
      before: READY,
      login: () => {
        throw ckr('CKR_PIN_LEN_RANGE');
      },
    });
    expect(() => loginOnce(target, '1')).toThrow(expect.objectContaining({ code: 'PIN_INVALID' }));
  });

  it('reads the flags after a wrong PIN: FINAL_TRY → attemptsLeft 1, LOCKED → PIN_LOCKED, COUNT_LOW → "few tries"', () => {
    const finalTry = standInToken({
      before: READY,
      after: READY | pkcs11js.CKF_USER_PIN_FINAL_TRY,
      login: () => {
        throw ckr('CKR_PIN_INCORRECT');
      },
    });
    expect(() => loginOnce(finalTry.target, '1111')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT', attemptsLeft: 1, finalTry: true }));

    const nowLocked = standInToken({
      before: READY,
      after: READY | pkcs11js.CKF_USER_PIN_LOCKED,
      login: () => {
        throw ckr('CKR_PIN_INCORRECT');
      },
    });
    expect(() => loginOnce(nowLocked.target, '1111')).toThrow(expect.objectContaining({ code: 'PIN_LOCKED' }));

    const low = standInToken({
      before: READY,
      after: READY | pkcs11js.CKF_USER_PIN_COUNT_LOW,
      login: () => {
        throw ckr('CKR_PIN_INCORRECT');
      },
    });
    let error: CasTokenError | undefined;
    try {
      loginOnce(low.target, '1111');
    } catch (e) {
      error = e as CasTokenError;
    }
    expect(error).toMatchObject({ code: 'PIN_INCORRECT', finalTry: false, attemptsLeft: undefined });
    expect(error!.message).toMatch(/few tries/i);
    expect(low.attempts).toEqual(['1111']);
  });

  it('does not touch a token whose flags already say locked', () => {
    const { target, attempts } = standInToken({ before: READY | pkcs11js.CKF_USER_PIN_LOCKED, login: () => {} });
    expect(() => loginOnce(target, '1234')).toThrow(expect.objectContaining({ code: 'PIN_LOCKED' }));
    expect(attempts).toEqual([]);
  });

  it('logs in a PIN-pad token with no PIN from us, and asks for a PIN only for tokens without a pad', () => {
    const pad = standInToken({ before: READY | pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH, login: () => {} });
    expect(loginOnce(pad.target, undefined)).toBe(true);
    expect(pad.attempts).toEqual(['']);
    const plain = standInToken({ before: READY, login: () => {} });
    expect(() => loginOnce(plain.target, undefined)).toThrow(expect.objectContaining({ code: 'PIN_REQUIRED' }));
    expect(plain.attempts).toEqual([]);
  });
});
