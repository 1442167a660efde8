/**
 * The PIN on real SoftHSM2 tokens: one login attempt per request, never a retry, and what the token
 * tells about its tries left. OpenSC's pkcs11-spy sits between us and SoftHSM2 and logs what the token
 * was really asked.
 *
 * SoftHSM2 keeps no PIN try counter of its own (it only raises COUNT_LOW after a wrong PIN), so the
 * "locked", "final try" and "PIN pad" tokens get those flags written into their token file, which
 * SoftHSM2 then reports as a hardware token would. CKR_PIN_LOCKED / CKR_PIN_LEN_RANGE returned by a
 * token (SoftHSM2 never returns them) are covered by test/unit/pkcs11/pkcs11-errors.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../../native-host/pkcs11/token-service.js';
import type { SignDigestsRequest } from '../../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC } from '../../../scripts/softhsm/provision.js';
import type { TokenSpec } from '../../../scripts/softhsm/provision.js';
import { setSoftHsmTokenFlags, useSoftHsm } from '../../support/softhsm.js';
import { describeCertificateStandIn } from './certificate-details-stand-in.js';
import { spyOnSoftHsm } from './pkcs11-spy.js';
import type { Pkcs11Spy } from './pkcs11-spy.js';
import { failureOf } from '../../support/failure-of.js';

function tokenWithOneKey(label: string, pin: string): TokenSpec {
  return {
    label,
    pin,
    soPin: '11112222',
    certificates: [
      {
        id: '01',
        label: 'Semnatura',
        keyType: 'ec-p256',
        serialNumberHex: '3A01',
        subject: [
          ['C', 'RO'],
          ['CN', label],
        ],
        purpose: 'qualified-signing',
      },
    ],
  };
}

const LOCKED = tokenWithOneKey('Blocat', '4321');
const FINAL_TRY = tokenWithOneKey('Ultima incercare', '5555');
const PIN_PAD = tokenWithOneKey('PIN pad', '7777');
const softhsm = useSoftHsm([DEMO_TOKEN_SPEC, LOCKED, FINAL_TRY, PIN_PAD]);

let spy: Pkcs11Spy;
let logDir: string;
beforeAll(async () => {
  const store = softhsm.provisioned();
  await setSoftHsmTokenFlags(store, LOCKED.label, { set: pkcs11js.CKF_USER_PIN_LOCKED });
  await setSoftHsmTokenFlags(store, FINAL_TRY.label, { set: pkcs11js.CKF_USER_PIN_FINAL_TRY | pkcs11js.CKF_USER_PIN_COUNT_LOW });
  await setSoftHsmTokenFlags(store, PIN_PAD.label, { set: pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH });
  logDir = await mkdtemp(join(tmpdir(), 'cas-token-pin-'));
  spy = spyOnSoftHsm(join(logDir, 'spy.log'));
});
afterAll(async () => rm(logDir, { recursive: true, force: true }));

let service: TokenService | undefined;
afterEach(() => {
  service?.close();
  service = undefined;
});

function tokenService(): TokenService {
  service ??= new TokenService({ modules: [{ path: spy.modulePath, source: 'env' }], describeCertificate: describeCertificateStandIn });
  return service;
}

function sign(label: string, pin: string | undefined): Promise<unknown> {
  const request: SignDigestsRequest = { token: { label }, certificate: { id: '01' }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [new Uint8Array(32).fill(7)] };
  if (pin !== undefined) request.pin = pin;
  return tokenService().signDigests(request);
}

describe('wrong PIN', () => {
  it('answers PIN_INCORRECT after asking the token once, and the correct PIN then works on the same service', async () => {
    const since = spy.checkpoint();
    const error = await failureOf(sign('CAS Demo', '9999'));
    expect(error.code).toBe('PIN_INCORRECT');
    expect(spy.logins(since)).toEqual(['CKU_USER/4']);
    // SoftHSM2 raises COUNT_LOW after a wrong PIN: the message says tries are running out.
    expect(error.finalTry).toBe(false);
    expect(error.message).toMatch(/few tries/i);
    expect(error.message).not.toContain('9999');

    const afterWrong = spy.checkpoint();
    await expect(sign('CAS Demo', DEMO_TOKEN_SPEC.pin)).resolves.toBeDefined();
    expect(spy.logins(afterWrong)).toEqual(['CKU_USER/4']);
    const [demo] = await tokenService().listTokens({ label: 'CAS Demo' });
    expect(demo!.flags.userPinCountLow).toBe(false);
  });

  it('reports the final try when the token says the next wrong PIN locks it', async () => {
    const since = spy.checkpoint();
    const error = await failureOf(sign(FINAL_TRY.label, '0000'));
    expect(error.toPayload()).toMatchObject({ code: 'PIN_INCORRECT', attemptsLeft: 1, finalTry: true });
    expect(error.message).toMatch(/one try left/i);
    expect(spy.logins(since)).toHaveLength(1);
  });
});

describe('no login attempt at all', () => {
  it('answers PIN_LOCKED for a token whose flags say locked, without trying the PIN', async () => {
    const since = spy.checkpoint();
    const error = await failureOf(sign(LOCKED.label, LOCKED.pin));
    expect(error.code).toBe('PIN_LOCKED');
    expect(error.message).toContain('Blocat');
    expect(spy.logins(since)).toEqual([]);
    const [token] = await tokenService().listTokens({ label: LOCKED.label });
    expect(token!.flags.userPinLocked).toBe(true);
  });

  it('answers PIN_REQUIRED when no PIN is given for a token without a PIN pad', async () => {
    const since = spy.checkpoint();
    const error = await failureOf(sign('CAS Demo', undefined));
    expect(error.code).toBe('PIN_REQUIRED');
    expect(spy.logins(since)).toEqual([]);
  });
});

describe('PIN pad (protected authentication path)', () => {
  it('logs in without a PIN from us: the token is asked with an empty PIN and nobody is asked to type one', async () => {
    const [token] = await tokenService().listTokens({ label: PIN_PAD.label });
    expect(token!.flags.protectedAuthenticationPath).toBe(true);
    const since = spy.checkpoint();
    // SoftHSM2 has no pad to type on, so it refuses the empty PIN; a real PIN-pad token takes it from its keypad.
    const error = await failureOf(sign(PIN_PAD.label, undefined));
    expect(error.code).toBe('PIN_INCORRECT');
    expect(spy.logins(since)).toEqual(['CKU_USER/0']);
  });
});
