/**
 * The one host-sign helper: digests signed on one token under one login, for everything that signs
 * (the host's `sign`, which the extension uses for bare digests and for documents alike, and the CLI's
 * documents and requests, all through TokenService.signDigests). Loaded on the first signature: it
 * brings asn1js (certificate key facts, DigestInfo, ECDSA DER), which `status` does not need.
 *
 * What it reads from the token per signature: whether the token is still the one enumerated (the first
 * time one C_GetTokenInfo, afterwards its watching session's C_GetSessionInfo), the certificate (kept per
 * insertion), the private key by its id after the login.
 */
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { matchesSelection } from '../../shared/certificate/certificate-match.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { CertificateSelector } from '../../shared/protocol/host-messages.js';
import type { TokenFlags, TokenInfo } from '../../shared/protocol/token-types.js';
import { certificateKeyFacts } from './certificate-key-facts.js';
import { ckrName, isTokenGone } from './pkcs11-errors.js';
import type { InsertedTokenCache, PresentToken, Pkcs11Module } from './pkcs11-module.js';
import { checkDigestLengths, checkHashForKey, planSignature, resolveScheme } from './signature-mechanism.js';
import { tokenFlagsFrom } from './token-flags.js';
import { authenticateForKeyUse } from './token-login.js';
import { findObjects, readCertificates, readPrivateKeys } from './token-objects.js';
import type { CertificateObject, PrivateKeyObject } from './token-objects.js';
import { withTokenSession } from './token-session.js';
import type { SignDigestsRequest, SignDigestsResult } from './token-service.js';

export { checkDigestLengths };

/** What the service keeps between signatures (timings and key ids, nothing secret). */
export interface SigningState {
  /** Keys (token + id) whose signatures take under FAST_SIGNATURE_MS: signed on the main thread. */
  fastKeys: Set<string>;
  /** Private key ids seen after a login, per token (tokenKey). */
  keysSeenAfterLogin: Map<string, Set<string>>;
  tokenKey(token: TokenInfo): string;
}

/** The token in the slot is not the one enumerated (pulled out, or another one put in): enumerate afresh. */
export type TokenChanged = 'token-changed';

/** Big enough for any RSA (up to 16384 bits), EC or GOST (128 bytes) signature. */
const SIGNATURE_BUFFER_BYTES = 2048;
/** Progress at least this often during a batch. */
const PROGRESS_INTERVAL_MS = 200;
/** A signature this quick (round trip to the worker thread included) is made on the main thread for the rest of the batch. */
const FAST_SIGNATURE_MS = 5;
/** While signing on the main thread, the event loop gets a turn at least this often. */
const YIELD_EVERY_MS = 10;
/** Certificates kept per token insertion, by the id asked for. */
const MAX_KEPT_SELECTIONS = 64;

/**
 * Signs on this token: undefined when the certificate is not on it, 'token-changed' when `reused` (the
 * token as enumerated earlier) and the slot no longer holds that token.
 */
export async function signOnToken(
  pkcs11: pkcs11js.PKCS11,
  token: { module: Pkcs11Module; present: PresentToken },
  request: SignDigestsRequest,
  state: SigningState,
  reused: boolean,
): Promise<SignDigestsResult | undefined | TokenChanged> {
  const { slot, info } = token.present;
  const { module } = token;
  // The token in the slot must be the one enumerated. Once identified, a session kept open on it says so
  // (it ends when the token leaves); until then, or when the PIN was locked at the enumeration (its flags
  // are wanted fresh), the token is asked who it is, with its PIN flags.
  let flagsBefore: TokenFlags;
  const watched = !info.flags.userPinLocked && module.stillInserted(token.present);
  if (watched) {
    flagsBefore = info.flags; // what a login needs of them does not change while the token stays (PIN pad, login required); a PIN locked since, the token says at C_Login
  } else {
    let current: ReturnType<Pkcs11Module['currentTokenInfo']>;
    try {
      current = module.currentTokenInfo(slot);
    } catch (error) {
      if (reused) return 'token-changed';
      throw error;
    }
    if (!isTheTokenEnumerated(current, info)) {
      if (reused) return 'token-changed';
      throw noLongerInserted(info);
    }
    flagsBefore = tokenFlagsFrom(current.flags);
    module.watchInsertion(token.present);
  }
  const kept = module.insertionCache(token.present);

  try {
    return await signInSession(pkcs11, token, request, state, kept, flagsBefore);
  } catch (error) {
    if (watched && !isTokenGone(error)) {
      // The watch said the token was there, yet the work failed: some drivers end sessions late, or never
      // (SoftHSM2 whose files went away). The token is asked who it is, as without a watch: gone or
      // another one, NO_TOKEN (and no second attempt: the PIN may have been sent); else the failure as it was.
      module.unwatch(token.present);
      let gone: boolean;
      try {
        gone = !isTheTokenEnumerated(module.currentTokenInfo(slot), info);
      } catch (asked) {
        // A device that answers with an error of its own is broken, not gone: its failure stands.
        gone = ckrName(asked) !== 'CKR_DEVICE_ERROR';
      }
      if (gone) throw noLongerInserted(info);
    }
    throw error;
  }
}

/** What the slot holds now (C_GetTokenInfo) is the token enumerated, still initialised. */
function isTheTokenEnumerated(current: ReturnType<Pkcs11Module['currentTokenInfo']>, info: TokenInfo): boolean {
  return current.serial === info.serial && current.label === info.label && (current.flags & pkcs11Addon.CKF_TOKEN_INITIALIZED) !== 0;
}

function noLongerInserted(info: TokenInfo): CasTokenError {
  return new CasTokenError('NO_TOKEN', `Token "${info.label}" is no longer inserted. Insert it and try again.`);
}

/** The signing itself, in a session of its own on the token checked above. */
async function signInSession(
  pkcs11: pkcs11js.PKCS11,
  token: { module: Pkcs11Module; present: PresentToken },
  request: SignDigestsRequest,
  state: SigningState,
  kept: InsertedTokenCache,
  flagsBefore: TokenFlags,
): Promise<SignDigestsResult | undefined> {
  const { slot, info } = token.present;
  const { module } = token;
  return withTokenSession({ pkcs11, slot, label: info.label, readFlags: () => tokenFlagsFrom(module.tokenFlags(slot)) }, async ({ session, target, login }) => {
    // Asked by id (as the extension and the CLI do): only that certificate is read from the token, once per insertion.
    const wantedId = request.certificate.id?.toLowerCase() ?? '';
    let candidates = kept.certificates.get(wantedId);
    if (!candidates) {
      candidates = readCertificates(pkcs11, session, wantedId === '' ? undefined : wantedId);
      if (candidates.length > 0) {
        if (kept.certificates.size >= MAX_KEPT_SELECTIONS) kept.certificates.clear();
        kept.certificates.set(wantedId, candidates);
      }
    }
    const certificate = findCertificate(candidates, request.certificate);
    if (!certificate) return undefined;
    const facts = certificateKeyFacts(certificate.der);
    if (facts.keyType === 'GOST2001') {
      throw new CasTokenError(
        'MECHANISM_NOT_SUPPORTED',
        'The certificate has a GOST R 34.10-2001 key, which may no longer make qualified signatures: ask your CA for a GOST R 34.10-2012 certificate.',
      );
    }
    if (facts.keyType === 'other') {
      throw new CasTokenError('MECHANISM_NOT_SUPPORTED', 'The certificate has neither an RSA, an EC nor a GOST R 34.10-2012 key; only those can sign here.');
    }
    checkHashForKey(request.hashAlgorithm, facts.keyType, facts.gostKeyBits);
    const plan = planSignature(resolveScheme(request.scheme, facts.keyType), request.hashAlgorithm);
    const mechanisms = module.mechanisms(slot, info.serial);
    if (mechanisms && !mechanisms.has(plan.requiredMechanism)) {
      throw new CasTokenError('MECHANISM_NOT_SUPPORTED', `Token "${info.label}" cannot make ${plan.algorithm.name} (${plan.algorithm.scheme}) signatures.`);
    }

    login(request.pin, flagsBefore);

    const key = privateKeyFor(pkcs11, session, certificate.id, kept, state, info);
    if (!key) {
      throw new CasTokenError('KEY_NOT_FOUND', `Token "${info.label}" holds the certificate "${certificate.label || certificate.id}" but not its private key.`);
    }
    if (facts.keyType === 'GOST' && key.keyType !== 'GOST') {
      // A GOST certificate is signed for only by a key the token says is a GOST key (CKK_GOSTR3410 / _512).
      throw new CasTokenError(
        'MECHANISM_NOT_SUPPORTED',
        `Token "${info.label}" holds a key for the GOST certificate "${certificate.label || certificate.id}" that it does not call a GOST key; it cannot sign with it.`,
      );
    }

    // A feed (the CLI) gives its digests as its files are prepared: each is signed on libuv's thread pool,
    // so the token works while the main thread prepares the next files.
    const list = Array.isArray(request.digests) ? request.digests : undefined;
    const feed = Array.isArray(request.digests) ? undefined : request.digests;
    const total = list ? list.length : feed!.total;
    const nextDigest = async (index: number): Promise<Uint8Array | undefined> => {
      if (list) return list[index];
      const digest = await feed!.next();
      if (digest) checkDigestLengths([digest], request.hashAlgorithm);
      return digest;
    };
    const signatures: Uint8Array[] = [];
    const raws: Uint8Array[] = [];
    const progress = progressReporter(total, signatures, request.onProgress);
    const output = Buffer.allocUnsafe(SIGNATURE_BUFFER_BYTES); // the token writes the signature here; copied out each time
    // Signatures the token makes in a few milliseconds at most (software tokens, fast devices) are
    // made on this thread, yielding to the event loop every few milliseconds: a worker-thread round
    // trip per signature would cost more than the signature. A slow one (a USB token: tens to hundreds
    // of ms each) is made on a worker thread so the host keeps answering meanwhile.
    const speedKey = `${state.tokenKey(info)}\u0000${key.id}`;
    let signOnThisThread = !feed && state.fastKeys.has(speedKey);
    let sinceYield = performance.now();
    for (let digest = await nextDigest(0); digest !== undefined; digest = await nextDigest(signatures.length)) {
      pkcs11.C_SignInit(session, plan.mechanism, key.handle);
      if (key.alwaysAuthenticate) authenticateForKeyUse(target, request.pin, info.flags.protectedAuthenticationPath);
      let signed: Uint8Array;
      if (signOnThisThread) {
        signed = new Uint8Array(pkcs11.C_Sign(session, plan.input(digest), output));
        if (performance.now() - sinceYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sinceYield = performance.now();
        }
      } else {
        const started = performance.now();
        signed = new Uint8Array(await pkcs11.C_SignAsync(session, plan.input(digest), Buffer.alloc(SIGNATURE_BUFFER_BYTES)));
        // Measured on the first signature made with this key since the host started: later ones, in
        // this batch and in later requests, go by it (a feed stays on the pool: its thread has files to prepare).
        signOnThisThread = !feed && performance.now() - started < FAST_SIGNATURE_MS;
        if (signOnThisThread) state.fastKeys.add(speedKey);
        sinceYield = performance.now();
      }
      const { signature, raw } = plan.output(signed);
      request.onSignature?.(signatures.length, signature);
      signatures.push(signature);
      if (raw) raws.push(raw);
      progress(signatures.length);
    }
    // A feed whose documents failed before asking ends short of its total: the last progress says how many.
    if (feed && signatures.length < total) request.onProgress?.(signatures.length, signatures.length, []);
    const result: SignDigestsResult = { signatures, certificate: certificate.der, algorithm: plan.algorithm };
    if (plan.algorithm.scheme === 'ecdsa') result.signaturesRaw = raws;
    return result;
  });
}

/**
 * The private key beside the certificate (same CKA_ID), after the login. The first time per insertion
 * every private key is read (the listings then know which certificates have a key); afterwards the key
 * is found by its id alone, with its type and CKA_ALWAYS_AUTHENTICATE as read then.
 */
function privateKeyFor(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, id: string, kept: InsertedTokenCache, state: SigningState, info: TokenInfo): PrivateKeyObject | undefined {
  if (id === '') return undefined;
  const known = kept.keys?.get(id);
  if (known) {
    const [handle] = findObjects(
      pkcs11,
      session,
      [
        { type: pkcs11Addon.CKA_CLASS, value: pkcs11Addon.CKO_PRIVATE_KEY },
        { type: pkcs11Addon.CKA_ID, value: Buffer.from(id, 'hex') },
      ],
      1,
    );
    if (handle !== undefined) return { ...known, handle };
  }
  const keys = readPrivateKeys(pkcs11, session);
  state.keysSeenAfterLogin.set(state.tokenKey(info), new Set(keys.map((key) => key.id)));
  kept.keys = new Map();
  for (const { handle: _handle, ...facts } of keys) if (!kept.keys.has(facts.id)) kept.keys.set(facts.id, facts);
  return keys.find((k) => k.id === id);
}

function findCertificate(certificates: CertificateObject[], selector: CertificateSelector): CertificateObject | undefined {
  return certificates.find((certificate) => {
    let serialNumber = '';
    if (selector.serialNumber !== undefined) {
      try {
        serialNumber = certificateKeyFacts(certificate.der).serialNumberHex;
      } catch {
        return false; // not a certificate we can read: it has no serial number to match
      }
    }
    return matchesSelection({ id: certificate.id, serialNumber }, selector);
  });
}

/** Calls onProgress every ~5% of the batch, at least every PROGRESS_INTERVAL_MS, and at the end, with the signatures made since the last call. */
function progressReporter(total: number, signatures: Uint8Array[], onProgress: SignDigestsRequest['onProgress']): (done: number) => void {
  if (!onProgress) return () => {};
  const step = Math.max(1, Math.ceil(total / 20));
  let last = Date.now();
  let reported = 0;
  return (done) => {
    const now = Date.now();
    if (done === total || done % step === 0 || now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      onProgress(done, total, signatures.slice(reported, done));
      reported = done;
    }
  };
}
