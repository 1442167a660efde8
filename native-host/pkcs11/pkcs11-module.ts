/**
 * One PKCS#11 library for the life of the service: loaded and C_Initialize'd once, lazily; re-initialised
 * (C_Finalize + C_Initialize) only after a token went missing, when nothing else runs on it, because
 * some drivers (SoftHSM2) see token changes only at C_Initialize.
 */
import { existsSync } from 'node:fs';
import type pkcs11js from 'pkcs11js';
import { pkcs11Addon } from './pkcs11-addon.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ModuleInfo, TokenInfo } from '../../shared/protocol/token-types.js';
import { vendorOfModulePath } from './known-token-libraries.js';
import type { ModuleCandidate } from './module-discovery.js';
import { ckrName } from './pkcs11-errors.js';
import { tokenFlagsFrom, trimPadded } from './token-flags.js';
import type { CertificateObject, PrivateKeyObject } from './token-objects.js';

/** A token seen in a slot of this module, with the slot handle valid until the next re-initialisation. */
export interface PresentToken {
  slot: pkcs11js.Handle;
  info: TokenInfo;
}

/**
 * What the signing path keeps of one token while it stays inserted, so that a signature reads from the
 * token only what it must (never the PIN, never an object handle: handles are valid in one session only).
 * Dropped when the token is seen missing or changed, when the library is re-initialised, and after
 * this service changed the token's objects (renewal, certificate installation).
 */
export interface InsertedTokenCache {
  /** The certificates read for a CKA_ID (lower-case hex; '' = all of them); only non-empty results. */
  certificates: Map<string, CertificateObject[]>;
  /** The private keys seen after the first login of this insertion, by CKA_ID, without their handles. */
  keys?: Map<string, Omit<PrivateKeyObject, 'handle'>>;
  /**
   * A session opened once the token was identified in its slot and kept open (never logged in through,
   * never used for work): sessions end when their token leaves its slot, so while this one is valid the
   * token is the one identified (see Pkcs11Module.stillInserted).
   */
  watcher?: pkcs11js.Handle;
}

/** PKCS#11's session state "read-only, nobody logged in" (pkcs11js has no constant for it). */
const CKS_RO_PUBLIC_SESSION = 0;

/** The same token in the same slot: the cache key of what is kept per insertion. */
function insertionKey(slot: pkcs11js.Handle, info: Pick<TokenInfo, 'serial' | 'label'>): string {
  return `${String(slot)}\u0000${info.serial}\u0000${info.label}`;
}

export class Pkcs11Module {
  private pkcs11: pkcs11js.PKCS11 | undefined;
  private initializedHere = false;
  private loadError: string | undefined;
  private library: { description: string; manufacturer: string } | undefined;
  private stale = false;
  private activeOperations = 0;
  /** mechanisms() per slot and token serial; emptied when the library is re-initialised or a token goes missing. */
  private readonly knownMechanisms = new Map<string, Set<number> | undefined>();
  /** The tokens of the last enumeration (until a token goes missing or the library is re-initialised). */
  private lastSeen: PresentToken[] | undefined;
  private readonly insertions = new Map<string, InsertedTokenCache>();

  constructor(readonly candidate: ModuleCandidate) {}

  get path(): string {
    return this.candidate.path;
  }

  /** The initialised library, loading it on first use; MODULE_LOAD_FAILED when it cannot be loaded. */
  ready(): pkcs11js.PKCS11 {
    if (this.pkcs11) return this.pkcs11;
    // Without the pkcs11js addon no module can load: MODULE_LOAD_FAILED naming the addon, not a crash.
    const pkcs11 = new pkcs11Addon.PKCS11();
    try {
      pkcs11.load(this.path);
    } catch (error) {
      this.loadError = existsSync(this.path) ? `Cannot load the PKCS#11 module ${this.path}: ${firstLine(error)}` : `The PKCS#11 module ${this.path} does not exist.`;
      throw this.loadFailure();
    }
    try {
      this.initialize(pkcs11);
      const info = pkcs11.C_GetInfo();
      this.library = { description: trimPadded(info.libraryDescription), manufacturer: trimPadded(info.manufacturerID) };
    } catch (error) {
      this.loadError = `The PKCS#11 module ${this.path} loaded but could not start (${ckrName(error) ?? firstLine(error)}).`;
      closeQuietly(pkcs11);
      throw this.loadFailure();
    }
    this.loadError = undefined;
    this.pkcs11 = pkcs11;
    return pkcs11;
  }

  describe(): ModuleInfo {
    const info: ModuleInfo = { path: this.path, source: this.candidate.source, loaded: false };
    const vendor = this.candidate.vendor ?? vendorOfModulePath(this.path);
    if (vendor) info.vendor = vendor;
    try {
      this.ready();
      info.loaded = true;
      if (this.library?.description) info.libraryDescription = this.library.description;
      if (this.library?.manufacturer) info.manufacturer = this.library.manufacturer;
    } catch (error) {
      info.error = error instanceof Error ? error.message : String(error);
    }
    return info;
  }

  /** The tokens present now. A slot whose token cannot be read is left out and the module marked stale. */
  presentTokens(): PresentToken[] {
    this.refreshIfStale();
    const pkcs11 = this.ready();
    let slots: pkcs11js.Handle[];
    try {
      slots = pkcs11.C_GetSlotList(true);
    } catch {
      this.markStale();
      return [];
    }
    const tokens: PresentToken[] = [];
    for (const slot of slots) {
      try {
        const token = pkcs11.C_GetTokenInfo(slot);
        // An uninitialised token (SoftHSM2 always keeps one spare slot so) holds nothing anyone can use.
        if ((token.flags & pkcs11Addon.CKF_TOKEN_INITIALIZED) === 0) continue;
        const slotInfo = pkcs11.C_GetSlotInfo(slot);
        tokens.push({
          slot,
          info: {
            module: this.path,
            label: trimPadded(token.label),
            serial: trimPadded(token.serialNumber),
            slotDescription: trimPadded(slotInfo.slotDescription),
            manufacturer: trimPadded(token.manufacturerID),
            model: trimPadded(token.model),
            flags: tokenFlagsFrom(token.flags),
          },
        });
      } catch {
        // Removed between the slot list and the token info, or a token the driver lost track of.
        this.markStale();
      }
    }
    if (!this.stale) {
      this.lastSeen = tokens;
      // A token no longer seen was pulled out: what was kept of it goes.
      const present = new Set(tokens.map((token) => insertionKey(token.slot, token.info)));
      for (const [key, cache] of this.insertions) {
        if (present.has(key)) continue;
        this.closeWatcher(cache);
        this.insertions.delete(key);
      }
    }
    return tokens;
  }

  /**
   * The tokens of the last enumeration while nothing went missing since (undefined otherwise). For
   * signing, which checks the token in its slot (`currentTokenInfo`) before using it; listings enumerate afresh.
   */
  knownTokens(): PresentToken[] | undefined {
    return this.lastSeen && !this.stale && this.pkcs11 ? this.lastSeen : undefined;
  }

  /** The token in a slot now (one C_GetTokenInfo): its label and serial to compare, and its fresh flags. */
  currentTokenInfo(slot: pkcs11js.Handle): { label: string; serial: string; flags: number } {
    const token = this.ready().C_GetTokenInfo(slot);
    return { label: trimPadded(token.label), serial: trimPadded(token.serialNumber), flags: token.flags };
  }

  /** What is kept of this token while it stays in its slot (see InsertedTokenCache). */
  insertionCache(present: PresentToken): InsertedTokenCache {
    const key = insertionKey(present.slot, present.info);
    let cache = this.insertions.get(key);
    if (!cache) {
      cache = { certificates: new Map() };
      this.insertions.set(key, cache);
    }
    return cache;
  }

  /** After this service changed a token's objects: read them afresh next time. */
  forgetObjects(present: PresentToken): void {
    const key = insertionKey(present.slot, present.info);
    this.closeWatcher(this.insertions.get(key));
    this.insertions.delete(key);
  }

  /**
   * Whether the token identified earlier in this slot is still there, without asking the token who it is
   * (C_GetTokenInfo: ~0.1 ms on SoftHSM2, which reads its files for it, a card command on some tokens):
   * its watching session (InsertedTokenCache.watcher) is still valid and on this slot. False when no
   * session watches it yet, or it ended (the token left: the caller identifies the token afresh).
   */
  stillInserted(present: PresentToken): boolean {
    const cache = this.insertions.get(insertionKey(present.slot, present.info));
    if (cache?.watcher === undefined || !this.pkcs11 || this.stale) return false;
    try {
      const session = this.pkcs11.C_GetSessionInfo(cache.watcher);
      // Still ours as opened: on this slot, read-only, nobody logged in (signings log out before the next
      // one asks). A handle the driver gave to another session since would most likely differ here.
      const asOpened = session.state === CKS_RO_PUBLIC_SESSION && (session.flags & pkcs11Addon.CKF_RW_SESSION) === 0;
      if (asOpened && Buffer.compare(session.slotID, present.slot) === 0) return true;
    } catch {
      // ended with its token
    }
    this.closeWatcher(cache);
    return false;
  }

  /** Watches a token just identified in its slot (see stillInserted); nothing happens when it cannot. */
  watchInsertion(present: PresentToken): void {
    const cache = this.insertionCache(present);
    if (cache.watcher !== undefined) return;
    try {
      cache.watcher = this.ready().C_OpenSession(present.slot, pkcs11Addon.CKF_SERIAL_SESSION);
    } catch {
      // not watched: signing asks the token who it is each time, as without
    }
  }

  /** Stops watching a token (its work failed though the watch said it was there: it is asked who it is next time). */
  unwatch(present: PresentToken): void {
    this.closeWatcher(this.insertions.get(insertionKey(present.slot, present.info)));
  }

  private closeWatcher(cache: InsertedTokenCache | undefined): void {
    if (cache?.watcher === undefined) return;
    const session = cache.watcher;
    cache.watcher = undefined;
    try {
      this.pkcs11?.C_CloseSession(session);
    } catch {
      // already ended
    }
  }

  /** Fresh token flags for a slot (PIN counters change with every login attempt). */
  tokenFlags(slot: pkcs11js.Handle): number {
    return this.ready().C_GetTokenInfo(slot).flags;
  }

  /**
   * Supported mechanisms of a slot's token, or undefined when the driver does not say. Kept per slot
   * and token (serial) until the library is re-initialised: a token's mechanisms do not change while
   * it is inserted, and asking costs a call per signature.
   */
  mechanisms(slot: pkcs11js.Handle, tokenSerial?: string): Set<number> | undefined {
    const key = tokenSerial === undefined ? undefined : `${String(slot)}\u0000${tokenSerial}`;
    if (key !== undefined && this.knownMechanisms.has(key)) return this.knownMechanisms.get(key);
    let mechanisms: Set<number> | undefined;
    try {
      mechanisms = new Set(this.ready().C_GetMechanismList(slot));
    } catch {
      mechanisms = undefined;
    }
    if (key !== undefined && mechanisms !== undefined) this.knownMechanisms.set(key, mechanisms);
    return mechanisms;
  }

  /** After a token went missing: re-initialise before the next enumeration. */
  markStale(): void {
    this.stale = true;
    this.forgetTokens();
  }

  /** Brackets work on a token of this module, so re-initialisation never pulls sessions from under it. */
  async operate<T>(work: (pkcs11: pkcs11js.PKCS11) => Promise<T>): Promise<T> {
    const pkcs11 = this.ready();
    this.activeOperations += 1;
    try {
      return await work(pkcs11);
    } finally {
      this.activeOperations -= 1;
    }
  }

  finalize(): void {
    this.forgetTokens(); // (their watching sessions closed while the library is still there)
    const pkcs11 = this.pkcs11;
    this.pkcs11 = undefined;
    this.stale = false;
    if (!pkcs11) return;
    if (this.initializedHere) {
      try {
        pkcs11.C_Finalize();
      } catch {
        // Finalising a library whose device is gone may fail; there is nothing left to release.
      }
    }
    closeQuietly(pkcs11);
  }

  private forgetTokens(): void {
    this.knownMechanisms.clear();
    this.lastSeen = undefined;
    for (const cache of this.insertions.values()) this.closeWatcher(cache);
    this.insertions.clear();
  }

  private refreshIfStale(): void {
    if (!this.stale || !this.pkcs11 || this.activeOperations > 0) return;
    this.stale = false;
    this.forgetTokens();
    const pkcs11 = this.pkcs11;
    try {
      if (this.initializedHere) pkcs11.C_Finalize();
      this.initialize(pkcs11);
    } catch (error) {
      closeQuietly(pkcs11);
      this.pkcs11 = undefined;
      this.loadError = `The PKCS#11 module ${this.path} could not restart (${ckrName(error) ?? firstLine(error)}).`;
      throw this.loadFailure();
    }
  }

  private initialize(pkcs11: pkcs11js.PKCS11): void {
    try {
      // The library may be called from the signing worker threads: let it use OS locking.
      pkcs11.C_Initialize({ flags: pkcs11Addon.CKF_OS_LOCKING_OK });
      this.initializedHere = true;
    } catch (error) {
      const name = ckrName(error);
      if (name === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        // Someone else in this process initialised it; it is theirs to finalise.
        this.initializedHere = false;
      } else if (name === 'CKR_CANT_LOCK' || name === 'CKR_ARGUMENTS_BAD') {
        pkcs11.C_Initialize();
        this.initializedHere = true;
      } else {
        throw error;
      }
    }
  }

  private loadFailure(): CasTokenError {
    return new CasTokenError('MODULE_LOAD_FAILED', this.loadError ?? `Cannot load ${this.path}.`, {
      hint: 'Check that the token driver is installed for this computer (64-bit) and that the path is right.',
    });
  }
}

function closeQuietly(pkcs11: pkcs11js.PKCS11): void {
  try {
    pkcs11.close();
  } catch {
    // Already closed.
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim();
}
