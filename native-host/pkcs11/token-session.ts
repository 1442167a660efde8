/**
 * The one way this service works in a session on a token: open it, log in at most once when asked
 * (token-login.ts: one attempt, never a retry), and afterwards log out (when it logged in) and close,
 * whatever happened. Signing, key generation, certificate installation and the listings use it.
 */
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import type { TokenFlags } from '../../shared/protocol/token-types.js';
import { loginOnce } from './token-login.js';
import type { LoginTarget } from './token-login.js';

export interface TokenSessionTarget {
  pkcs11: pkcs11js.PKCS11;
  slot: pkcs11js.Handle;
  /** The token's label, for the messages. */
  label: string;
  /** A read-write session (creating or changing objects); read-only otherwise. */
  readWrite?: boolean;
  /** Reads the token flags now (PIN counters change with every attempt). */
  readFlags(): TokenFlags;
}

export interface TokenSession {
  session: pkcs11js.Handle;
  /** What a login (and a context-specific login) in this session needs. */
  target: LoginTarget;
  /** The user login: at most one attempt with this PIN; `before` = the flags already read in this operation. */
  login(pin: string | undefined, before?: TokenFlags): void;
}

export async function withTokenSession<T>(on: TokenSessionTarget, work: (session: TokenSession) => Promise<T> | T): Promise<T> {
  const { pkcs11 } = on;
  const session = pkcs11.C_OpenSession(on.slot, pkcs11Addon.CKF_SERIAL_SESSION | (on.readWrite ? pkcs11Addon.CKF_RW_SESSION : 0));
  const target: LoginTarget = { pkcs11, session, label: on.label, readFlags: on.readFlags };
  let loggedIn = false;
  try {
    return await work({
      session,
      target,
      login: (pin, before) => {
        loggedIn = loginOnce(target, pin, before) || loggedIn;
      },
    });
  } finally {
    endSession(pkcs11, on.slot, session, loggedIn);
  }
}

/** Logs out (when we logged in) and closes the session; a token already gone ends both anyway. */
function endSession(pkcs11: pkcs11js.PKCS11, slot: pkcs11js.Handle, session: pkcs11js.Handle, loggedIn: boolean): void {
  if (loggedIn) {
    try {
      pkcs11.C_Logout(session);
    } catch {
      // The token may be gone. If not, the login must still end with this request: it lasts while any
      // session of ours is open on the token (the one kept to watch it, Pkcs11Module.stillInserted), so
      // every one is closed — the watch starts again at the next signature.
      try {
        pkcs11.C_CloseAllSessions(slot);
        return;
      } catch {
        // gone: nothing is logged in any more
      }
    }
  }
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // same
  }
}
