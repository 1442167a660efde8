/**
 * Everything the host and the CLI do with tokens: list modules, tokens and certificates (no PIN), and
 * sign digests under one login. One C_Initialize per module for the service's life, one operation at a
 * time per token, errors as CasTokenError with stable codes.
 */
import type pkcs11js from 'pkcs11js';
import type { CertificateDetails } from '../../shared/certificate/certificate-details.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { CertificateSelector, TokenSelector } from '../../shared/protocol/host-messages.js';
import type { HashAlgorithm, KeyPresence, ModuleInfo, SignatureAlgorithmInfo, SignatureScheme, TokenCertificate, TokenInfo, TokenRef } from '../../shared/protocol/token-types.js';
import type { DigestFeed } from '../../shared/signature/batch-signer.js';
import { missingModuleHint } from './module-discovery.js';
import type { ModuleCandidate } from './module-discovery.js';
import { isDriverConfused, isTokenGone, toCasTokenError } from './pkcs11-errors.js';
import { Pkcs11Module } from './pkcs11-module.js';
import type { PresentToken } from './pkcs11-module.js';
import { tokenFlagsFrom } from './token-flags.js';
import { readCertificates, readPrivateKeys } from './token-objects.js';
import { withTokenSession } from './token-session.js';
import type { SigningState } from './token-signing.js';
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
  certificateChain?: (certificate: Uint8Array, candidates: Uint8Array[]) => Uint8Array[] | Promise<Uint8Array[]>;
  /** CA certificates kept off the token (the config file's folder); read once per listing. */
  caCertificates?: () => Uint8Array[] | Promise<Uint8Array[]>;
}

export interface SignDigestsRequest {
  token?: TokenSelector;
  certificate: CertificateSelector;
  hashAlgorithm: HashAlgorithm;
  scheme: SignatureScheme;
  /**
   * The digests, or a feed of them (the `cas-token` command: each file's digest as soon as the file is
   * prepared, signed on libuv's thread pool while the next files are read). Either way one login.
   */
  digests: Uint8Array[] | DigestFeed;
  /** Absent for PIN-pad tokens. Used for one login attempt; never kept, logged or echoed. */
  pin?: string;
  /** `fresh`: the signatures made since the last call (the last of them number `done`). */
  onProgress?: (done: number, total: number, fresh: Uint8Array[]) => void;
  /** Each signature as soon as it is made, with its digest's place (in the array or the feed). */
  onSignature?: (index: number, signature: Uint8Array) => void;
}

export interface SignDigestsResult {
  signatures: Uint8Array[];
  /** ECDSA only: raw r||s. */
  signaturesRaw?: Uint8Array[];
  certificate: Uint8Array;
  algorithm: SignatureAlgorithmInfo;
}

interface TokenAt {
  module: Pkcs11Module;
  present: PresentToken;
  /** From an earlier enumeration (Pkcs11Module.knownTokens), not one made for this request. */
  reused?: boolean;
}

export class TokenService {
  private readonly modules: Pkcs11Module[];
  private readonly describeCertificate: TokenServiceOptions['describeCertificate'];
  private readonly certificateChain: TokenServiceOptions['certificateChain'];
  private readonly caCertificates: TokenServiceOptions['caCertificates'];
  private readonly queue: TokenWorkQueue;
  /** Private key ids seen after a login, per token: turns `unknown` into yes / no in later listings. */
  private readonly keysSeenAfterLogin = new Map<string, Set<string>>();
  /** What the signing code keeps between signatures: key speeds (a timing, nothing secret), key ids seen. */
  private readonly signingState: SigningState = { fastKeys: new Set(), keysSeenAfterLogin: this.keysSeenAfterLogin, tokenKey };

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
    const offToken = this.certificateChain ? ((await this.caCertificates?.()) ?? []) : [];
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
    // The signing code (and asn1js with it) is loaded on the first signature, not at start-up.
    const { checkDigestLengths, signOnToken } = signingModule ?? (await signingCode());
    if (Array.isArray(request.digests)) checkDigestLengths(request.digests, request.hashAlgorithm); // a feed's, each as it comes
    // First the tokens as last enumerated (each checked in its slot before use), then, when the token
    // changed or the certificate is on none of them, as enumerated now.
    let tokens: TokenAt[] = [];
    for (const reuse of [true, false]) {
      tokens = this.findTokens(request.token, reuse);
      if (tokens.length === 0) throw this.noToken(request.token);
      let changed = false;
      for (const token of tokens) {
        const result = await this.onToken(token, 'sign', (pkcs11) => signOnToken(pkcs11, token, request, this.signingState, token.reused === true));
        if (result === 'token-changed') {
          token.module.markStale();
          changed = true;
          break;
        }
        if (result) return result;
      }
      if (!changed && !tokens.some((token) => token.reused)) break;
    }
    const where = tokens.length === 1 ? `token "${tokens[0]!.present.info.label}"` : 'the tokens present';
    throw new CasTokenError('CERTIFICATE_NOT_FOUND', `No certificate with ${describeSelector(request.certificate)} on ${where}.`);
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
      const readFlags = () => tokenFlagsFrom(token.module.tokenFlags(slot));
      try {
        return await withTokenSession({ pkcs11, slot, label: info.label, readWrite: true, readFlags }, ({ session, login }) => {
          login(pin);
          this.keysSeenAfterLogin.delete(tokenKey(info));
          return work({ pkcs11, session, token: info, mechanisms: token.module.mechanisms(slot) });
        });
      } finally {
        // The work creates or changes objects: what signing kept of this token is read afresh next time.
        token.module.forgetObjects(token.present);
      }
    });
  }

  /** C_Finalize every module and unload it. A later call loads them again. */
  close(): void {
    for (const module of this.modules) module.finalize();
  }

  // --- tokens ---------------------------------------------------------------------------------------

  /**
   * The tokens present that match the selector. NO_MODULE / MODULE_LOAD_FAILED when no module can be used.
   * `reuse`: the modules' last enumeration when nothing went missing since (signing checks each token in its
   * slot before use); a fresh enumeration when that finds none.
   */
  private findTokens(selector: TokenSelector | undefined, reuse = false): TokenAt[] {
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
        const known = reuse ? module.knownTokens() : undefined;
        const reused = known !== undefined;
        for (const present of known ?? module.presentTokens()) {
          if (matchesSelector(present.info, selector)) found.push({ module, present, reused });
        }
      } catch (error) {
        failures.push(toCasTokenError(error, { action: 'list tokens' }));
      }
    }
    if (failures.length === modules.length) throw failures[0]!;
    if (found.length === 0 && reuse) return this.findTokens(selector, false);
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
    const found = await this.onToken(token, 'read the certificates', (pkcs11) =>
      withTokenSession({ pkcs11, slot: token.present.slot, label: info.label, readFlags: () => tokenFlagsFrom(token.module.tokenFlags(token.present.slot)) }, ({ session }) => ({
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
        const chain = await this.certificateChain(object.der, [...found.certificates.map((c) => c.der), ...offToken]);
        if (chain.length > 0) listed.chain = chain.map((der) => Buffer.from(der).toString('base64'));
      }
      certificates.push(listed);
    }
    return certificates;
  }
}

let loadingSigningCode: Promise<typeof import('./token-signing.js')> | undefined;

/** token-signing.ts, imported once (an import() of a loaded module still costs a trip through the module loader). */
function signingCode(): Promise<typeof import('./token-signing.js')> {
  loadingSigningCode ??= import('./token-signing.js').then((loaded) => (signingModule = loaded));
  return loadingSigningCode;
}
/** Once loaded: every signature after the first goes on without awaiting the import again. */
let signingModule: typeof import('./token-signing.js') | undefined;

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
