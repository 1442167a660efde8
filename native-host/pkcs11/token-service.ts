/**
 * Everything the host and the CLI do with tokens: list modules, tokens and certificates (no PIN), and
 * sign digests under one login. One C_Initialize per module for the service's life, one operation at a
 * time per token, errors as CasTokenError with stable codes.
 */
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import type { CertificateDetails } from '../../shared/certificate/certificate-details.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { CertificateSelector, TokenSelector } from '../../shared/protocol/host-messages.js';
import type { HashAlgorithm, KeyPresence, ModuleInfo, SignatureAlgorithmInfo, SignatureScheme, TokenCertificate, TokenInfo, TokenRef } from '../../shared/protocol/token-types.js';
import { missingModuleHint } from './module-discovery.js';
import type { ModuleCandidate } from './module-discovery.js';
import { isDriverConfused, isTokenGone, toCasTokenError } from './pkcs11-errors.js';
import { Pkcs11Module } from './pkcs11-module.js';
import type { PresentToken } from './pkcs11-module.js';
import { checkDigestLengths, checkHashForKey, planSignature, resolveScheme } from './signature-mechanism.js';
import { tokenFlagsFrom } from './token-flags.js';
import { authenticateForKeyUse, loginOnce } from './token-login.js';
import type { LoginTarget } from './token-login.js';
import { certificateKeyFacts, readCertificates, readPrivateKeys } from './token-objects.js';
import { matchesSelection } from '../../shared/certificate/certificate-match.js';
import type { CertificateObject } from './token-objects.js';
import { TokenWorkQueue } from './token-work-queue.js';

/** A logged-in read-write session on one token, for `withUserSession`. */
export interface UserSession {
  pkcs11: pkcs11js.PKCS11;
  session: pkcs11js.Handle;
  token: TokenInfo;
  /** The token's mechanisms, when it lists them. */
  mechanisms: Set<number> | undefined;
}

export interface TokenServiceOptions {
  modules: ModuleCandidate[];
  describeCertificate: (der: Uint8Array) => Promise<CertificateDetails>;
  /** How long a request waits for a token busy with another one before TOKEN_BUSY. Default 10 minutes. */
  busyTimeoutMs?: number;
  /**
   * The CA certificates (DER, nearest issuer first) to embed when signing with `certificate`, chosen from
   * `candidates`: the other certificates on its token and `caCertificates()`. Without it, listings carry no chain.
   */
  certificateChain?: (certificate: Uint8Array, candidates: Uint8Array[]) => Uint8Array[];
  /** CA certificates kept off the token (the config file's folder); read once per listing. */
  caCertificates?: () => Uint8Array[];
}

export interface SignDigestsRequest {
  token?: TokenSelector;
  certificate: CertificateSelector;
  hashAlgorithm: HashAlgorithm;
  scheme: SignatureScheme;
  digests: Uint8Array[];
  /** Absent for PIN-pad tokens. Used for one login attempt; never kept, logged or echoed. */
  pin?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SignDigestsResult {
  signatures: Uint8Array[];
  /** ECDSA only: raw r||s. */
  signaturesRaw?: Uint8Array[];
  certificate: Uint8Array;
  algorithm: SignatureAlgorithmInfo;
}

/** Big enough for any RSA (up to 16384 bits), EC or GOST (128 bytes) signature. */
const SIGNATURE_BUFFER_BYTES = 2048;
/** Progress at least this often during a batch. */
const PROGRESS_INTERVAL_MS = 200;

interface TokenAt {
  module: Pkcs11Module;
  present: PresentToken;
}

export class TokenService {
  private readonly modules: Pkcs11Module[];
  private readonly describeCertificate: TokenServiceOptions['describeCertificate'];
  private readonly certificateChain: TokenServiceOptions['certificateChain'];
  private readonly caCertificates: TokenServiceOptions['caCertificates'];
  private readonly queue: TokenWorkQueue;
  /** Keys (token + id) whose signatures take under FAST_SIGNATURE_MS: signed on the main thread. A timing, nothing secret. */
  private readonly fastKeys = new Set<string>();
  /** Private key ids seen after a login, per token: turns `unknown` into yes / no in later listings. */
  private readonly keysSeenAfterLogin = new Map<string, Set<string>>();

  constructor(options: TokenServiceOptions) {
    this.modules = options.modules.map((candidate) => new Pkcs11Module(candidate));
    this.describeCertificate = options.describeCertificate;
    this.certificateChain = options.certificateChain;
    this.caCertificates = options.caCertificates;
    this.queue = new TokenWorkQueue(options.busyTimeoutMs ?? 10 * 60_000);
  }

  async listModules(): Promise<ModuleInfo[]> {
    return this.modules.map((module) => module.describe());
  }

  async listTokens(selector?: TokenSelector): Promise<TokenInfo[]> {
    return this.findTokens(selector).map((token) => token.present.info);
  }

  async listCertificates(selector?: TokenSelector): Promise<TokenCertificate[]> {
    const tokens = this.findTokens(selector);
    if (tokens.length === 0) throw this.noToken(selector);
    const certificates: TokenCertificate[] = [];
    const failures: unknown[] = [];
    const offToken = this.certificateChain ? (this.caCertificates?.() ?? []) : [];
    for (const token of tokens) {
      try {
        certificates.push(...(await this.certificatesOn(token, offToken)));
      } catch (error) {
        failures.push(error);
      }
    }
    // One token pulled out mid-listing should not hide the others' certificates.
    if (failures.length === tokens.length) throw failures[0];
    return certificates;
  }

  async signDigests(request: SignDigestsRequest): Promise<SignDigestsResult> {
    checkDigestLengths(request.digests, request.hashAlgorithm);
    const tokens = this.findTokens(request.token);
    if (tokens.length === 0) throw this.noToken(request.token);
    const wanted = describeSelector(request.certificate);
    for (const token of tokens) {
      const result = await this.onToken(token, 'sign', (pkcs11) => this.signOn(pkcs11, token, request));
      if (result) return result;
    }
    throw new CasTokenError('CERTIFICATE_NOT_FOUND', `No certificate with ${wanted} on ${tokens.length === 1 ? `token "${tokens[0]!.present.info.label}"` : 'the tokens present'}.`);
  }

  /**
   * Runs `work` in a read-write session on the ONE token the selector names, logged in with the PIN
   * once (never retried), in the token's queue; logs out and closes afterwards. For key generation and
   * certificate installation.
   */
  async withUserSession<T>(selector: TokenSelector | undefined, pin: string | undefined, action: string, work: (context: UserSession) => Promise<T> | T): Promise<T> {
    const tokens = this.findTokens(selector);
    if (tokens.length === 0) throw this.noToken(selector);
    if (tokens.length > 1) throw new CasTokenError('INVALID_ARGUMENT', `Several tokens are present (${tokens.map((t) => t.present.info.label).join(', ')}): name one with --token.`);
    const token = tokens[0]!;
    return this.onToken(token, action, async (pkcs11) => {
      const { slot, info } = token.present;
      const session = pkcs11.C_OpenSession(slot, pkcs11Addon.CKF_SERIAL_SESSION | pkcs11Addon.CKF_RW_SESSION);
      let loggedIn = false;
      try {
        const target: LoginTarget = { pkcs11, session, label: info.label, readFlags: () => tokenFlagsFrom(token.module.tokenFlags(slot)) };
        loggedIn = loginOnce(target, pin);
        this.keysSeenAfterLogin.delete(tokenKey(info));
        return await work({ pkcs11, session, token: info, mechanisms: token.module.mechanisms(slot) });
      } finally {
        endSession(pkcs11, session, loggedIn);
      }
    });
  }

  /** C_Finalize every module and unload it. A later call loads them again. */
  close(): void {
    for (const module of this.modules) module.finalize();
  }

  // --- tokens ---------------------------------------------------------------------------------------

  /** The tokens present that match the selector. NO_MODULE / MODULE_LOAD_FAILED when no module can be used. */
  private findTokens(selector: TokenSelector | undefined): TokenAt[] {
    if (this.modules.length === 0) {
      throw new CasTokenError('NO_MODULE', 'No token driver (PKCS#11 module) is installed or configured.', { hint: missingModuleHint() });
    }
    const modules = selector?.module ? this.modules.filter((m) => m.path === selector.module) : this.modules;
    if (modules.length === 0) {
      throw new CasTokenError('NO_MODULE', `The module ${selector!.module} is not among the configured ones.`, { hint: missingModuleHint() });
    }
    const found: TokenAt[] = [];
    const failures: CasTokenError[] = [];
    for (const module of modules) {
      try {
        for (const present of module.presentTokens()) {
          if (matchesSelector(present.info, selector)) found.push({ module, present });
        }
      } catch (error) {
        failures.push(toCasTokenError(error, { action: 'list tokens' }));
      }
    }
    if (failures.length === modules.length) throw failures[0]!;
    if (found.length === 0) {
      // The token may come back: SoftHSM2 (and some drivers) only see it after a new C_Initialize.
      for (const module of modules) module.markStale();
    }
    return found;
  }

  private noToken(selector: TokenSelector | undefined): CasTokenError {
    const which = selector?.label ? `token "${selector.label}"` : selector?.serial ? `token with serial ${selector.serial}` : 'token';
    return new CasTokenError('NO_TOKEN', `No ${which} is inserted. Insert it and try again.`);
  }

  /** Runs work on one token: in its queue, bracketed for re-initialisation, errors mapped. */
  private async onToken<T>(token: TokenAt, action: string, work: (pkcs11: pkcs11js.PKCS11) => Promise<T>): Promise<T> {
    const label = token.present.info.label;
    try {
      return await this.queue.run(tokenKey(token.present.info), () => token.module.operate(work), `Token "${label}"`);
    } catch (error) {
      if (isTokenGone(error) || isDriverConfused(error)) token.module.markStale();
      throw toCasTokenError(error, { action, tokenLabel: label });
    }
  }

  // --- certificates ---------------------------------------------------------------------------------

  private async certificatesOn(token: TokenAt, offToken: Uint8Array[]): Promise<TokenCertificate[]> {
    const info = token.present.info;
    const found = await this.onToken(token, 'read the certificates', async (pkcs11) =>
      withSession(pkcs11, token.present.slot, (session) => ({
        certificates: readCertificates(pkcs11, session),
        visibleKeyIds: new Set(readPrivateKeys(pkcs11, session).map((key) => key.id)),
      })),
    );
    const ref: TokenRef = { module: info.module, label: info.label, serial: info.serial };
    const seenAfterLogin = this.keysSeenAfterLogin.get(tokenKey(info));
    const certificates: TokenCertificate[] = [];
    for (const object of found.certificates) {
      let details: CertificateDetails;
      try {
        details = await this.describeCertificate(object.der);
      } catch {
        continue; // not a certificate we can read: nobody can register or sign with it
      }
      const listed: TokenCertificate = {
        token: ref,
        id: object.id,
        label: object.label,
        certificate: Buffer.from(object.der).toString('base64'),
        hasPrivateKey: keyPresence(object.id, found.visibleKeyIds, seenAfterLogin, info.flags.loginRequired),
        details,
      };
      // A CA certificate on the token (imported with --ca) signs nothing here: only signers get a chain.
      if (this.certificateChain && !details.isCA) {
        const chain = this.certificateChain(object.der, [...found.certificates.map((c) => c.der), ...offToken]);
        if (chain.length > 0) listed.chain = chain.map((der) => Buffer.from(der).toString('base64'));
      }
      certificates.push(listed);
    }
    return certificates;
  }

  // --- signing --------------------------------------------------------------------------------------

  /** Signs on this token, or undefined when the certificate is not on it. */
  private async signOn(pkcs11: pkcs11js.PKCS11, token: TokenAt, request: SignDigestsRequest): Promise<SignDigestsResult | undefined> {
    const { slot, info } = token.present;
    const session = pkcs11.C_OpenSession(slot, pkcs11Addon.CKF_SERIAL_SESSION);
    let loggedIn = false;
    try {
      // Asked by id (as the extension and the CLI do): only that certificate is read from the token.
      const certificate = findCertificate(readCertificates(pkcs11, session, request.certificate.id?.toLowerCase()), request.certificate);
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
      const mechanisms = token.module.mechanisms(slot, info.serial);
      if (mechanisms && !mechanisms.has(plan.requiredMechanism)) {
        throw new CasTokenError('MECHANISM_NOT_SUPPORTED', `Token "${info.label}" cannot make ${plan.algorithm.name} (${plan.algorithm.scheme}) signatures.`);
      }

      const target: LoginTarget = { pkcs11, session, label: info.label, readFlags: () => tokenFlagsFrom(token.module.tokenFlags(slot)) };
      loggedIn = loginOnce(target, request.pin);

      const keys = readPrivateKeys(pkcs11, session);
      this.keysSeenAfterLogin.set(tokenKey(info), new Set(keys.map((key) => key.id)));
      const key = keys.find((k) => k.id === certificate.id && certificate.id !== '');
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

      const total = request.digests.length;
      const signatures: Uint8Array[] = [];
      const raws: Uint8Array[] = [];
      const progress = progressReporter(total, request.onProgress);
      // Signatures the token makes in a few milliseconds at most (software tokens, fast devices) are
      // made on this thread, yielding to the event loop every few milliseconds: a worker-thread round
      // trip per signature would cost more than the signature. A slow one (a USB token: tens to hundreds
      // of ms each) is made on a worker thread so the host keeps answering meanwhile.
      const speedKey = `${tokenKey(info)}\u0000${key.id}`;
      let signOnThisThread = this.fastKeys.has(speedKey);
      let sinceYield = performance.now();
      for (const digest of request.digests) {
        pkcs11.C_SignInit(session, plan.mechanism, key.handle);
        if (key.alwaysAuthenticate) authenticateForKeyUse(target, request.pin, info.flags.protectedAuthenticationPath);
        let signed: Buffer;
        if (signOnThisThread) {
          signed = pkcs11.C_Sign(session, plan.input(digest), Buffer.alloc(SIGNATURE_BUFFER_BYTES));
          if (performance.now() - sinceYield > YIELD_EVERY_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            sinceYield = performance.now();
          }
        } else {
          const started = performance.now();
          signed = await pkcs11.C_SignAsync(session, plan.input(digest), Buffer.alloc(SIGNATURE_BUFFER_BYTES));
          // Measured on the first signature made with this key since the host started: later ones, in
          // this batch and in later requests, go by it.
          signOnThisThread = performance.now() - started < FAST_SIGNATURE_MS;
          if (signOnThisThread) this.fastKeys.add(speedKey);
          sinceYield = performance.now();
        }
        const { signature, raw } = plan.output(new Uint8Array(signed));
        signatures.push(signature);
        if (raw) raws.push(raw);
        progress(signatures.length);
      }
      const result: SignDigestsResult = { signatures, certificate: certificate.der, algorithm: plan.algorithm };
      if (plan.algorithm.scheme === 'ecdsa') result.signaturesRaw = raws;
      return result;
    } finally {
      endSession(pkcs11, session, loggedIn);
    }
  }
}

/** A signature this quick (round trip to the worker thread included) is made on the main thread for the rest of the batch. */
const FAST_SIGNATURE_MS = 5;
/** While signing on the main thread, the event loop gets a turn at least this often. */
const YIELD_EVERY_MS = 10;

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

function describeSelector(selector: CertificateSelector): string {
  const parts: string[] = [];
  if (selector.serialNumber !== undefined) parts.push(`serial number ${selector.serialNumber.toUpperCase()}`);
  if (selector.id !== undefined) parts.push(`id ${selector.id.toLowerCase()}`);
  return parts.join(' and ');
}

function matchesSelector(token: TokenInfo, selector: TokenSelector | undefined): boolean {
  if (!selector) return true;
  if (selector.module !== undefined && token.module !== selector.module) return false;
  if (selector.label !== undefined && token.label !== selector.label.trim()) return false;
  if (selector.serial !== undefined && token.serial.toLowerCase() !== selector.serial.trim().toLowerCase()) return false;
  return true;
}

function tokenKey(token: TokenRef): string {
  return `${token.module}\u0000${token.serial}\u0000${token.label}`;
}

/**
 * `yes` when the key is visible; after a login on this token we know for sure; before one, a token that
 * requires login may hide its keys (private objects), so `unknown`.
 */
export function keyPresence(id: string, visibleKeyIds: Set<string>, seenAfterLogin: Set<string> | undefined, loginRequired: boolean): KeyPresence {
  if (id !== '' && visibleKeyIds.has(id)) return 'yes';
  if (seenAfterLogin) return id !== '' && seenAfterLogin.has(id) ? 'yes' : 'no';
  return loginRequired ? 'unknown' : 'no';
}

/** Logs out (when we logged in) and closes the session; a token already gone ends both anyway. */
function endSession(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, loggedIn: boolean): void {
  if (loggedIn) {
    try {
      pkcs11.C_Logout(session);
    } catch {
      // the token may be gone; closing the session ends the login anyway
    }
  }
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // same
  }
}

function withSession<T>(pkcs11: pkcs11js.PKCS11, slot: pkcs11js.Handle, work: (session: pkcs11js.Handle) => T): T {
  const session = pkcs11.C_OpenSession(slot, pkcs11Addon.CKF_SERIAL_SESSION);
  try {
    return work(session);
  } finally {
    try {
      pkcs11.C_CloseSession(session);
    } catch {
      // The token may be gone.
    }
  }
}

/** Calls onProgress every ~5% of the batch, at least every PROGRESS_INTERVAL_MS, and at the end. */
function progressReporter(total: number, onProgress: SignDigestsRequest['onProgress']): (done: number) => void {
  if (!onProgress) return () => {};
  const step = Math.max(1, Math.ceil(total / 20));
  let last = Date.now();
  return (done) => {
    const now = Date.now();
    if (done === total || done % step === 0 || now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      onProgress(done, total);
    }
  };
}
