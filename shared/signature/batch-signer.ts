/**
 * One PIN for a batch: several builders run at once, each asks the signer for one signature; the batch
 * signer waits until every expected document has asked (or withdrawn after a failure of its own),
 * sends all the digests in ONE call (one login on the token), and hands each builder its signature —
 * as soon as the token has made it, when the call delivers them as they come.
 *
 * Or, where the PIN is had before the first document is read (the `cas-token` command: the PIN window's
 * rule — every document shown before the PIN — is the extension's), a digest feed: the token, logged in
 * once, signs each digest as soon as its document asks, while the next documents are read and prepared.
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import type { Signer } from './signer.js';

/** A batch's digests handed to the token one by one, as their documents ask. */
export interface DigestFeed {
  /** How many documents may ask (some may fail before they do): for progress. */
  readonly total: number;
  /** The next digest, as soon as a document asks for it; undefined once every document has asked or withdrawn. */
  next(): Promise<Uint8Array | undefined>;
}

export interface BatchSignerOptions {
  certificate: Uint8Array;
  certificateChain?: Uint8Array[];
  scheme?: Signer['scheme'];
  /** How many documents will ask for a signature. */
  expected: number;
  /**
   * Every digest under one login; resolves with every signature. `deliver` may be called meanwhile with
   * the signatures made so far (`from`: the index of the first), so their documents are finished while
   * the token signs the rest.
   */
  signDigests?(digests: Uint8Array[], hashAlgorithm: HashAlgorithm, deliver: (from: number, signatures: Uint8Array[]) => void): Promise<Uint8Array[]>;
  /**
   * Instead of `signDigests`: one login, then each digest of `feed` signed as it comes and handed back
   * by `deliver` (its place in the feed); resolves once the feed has ended. One hash algorithm a batch.
   */
  signDigestFeed?(feed: DigestFeed, hashAlgorithm: HashAlgorithm, deliver: (index: number, signature: Uint8Array) => void): Promise<void>;
}

export interface BatchSigner extends Signer {
  /** A document failed before asking for its signature: expect one fewer. */
  withdraw(): void;
  /**
   * Builds one document of the batch with a signer for it; should the build fail before it asked for
   * its signature, the batch stops waiting for it (withdraw), so the other documents still sign.
   */
  forOneDocument<T>(build: (signer: Signer) => Promise<T>): Promise<T>;
}

interface Waiting {
  digest: Uint8Array;
  hashAlgorithm: HashAlgorithm;
  resolve(signature: Uint8Array): void;
  reject(error: unknown): void;
}

export function createBatchSigner(options: BatchSignerOptions): BatchSigner {
  const { signDigests, signDigestFeed } = options;
  if (signDigestFeed) return withOneDocumentAtATime(options, feedSigning(options.expected, signDigestFeed));
  if (!signDigests) throw new CasTokenError('INTERNAL_ERROR', 'A batch signer needs signDigests or signDigestFeed.');
  let outstanding = options.expected;
  let waiting: Waiting[] = [];

  const flush = (): void => {
    if (waiting.length === 0 || waiting.length < outstanding) return;
    const round = waiting;
    waiting = [];
    outstanding -= round.length;
    const byHash = new Map<HashAlgorithm, Waiting[]>();
    for (const item of round) byHash.set(item.hashAlgorithm, [...(byHash.get(item.hashAlgorithm) ?? []), item]);
    for (const [hashAlgorithm, items] of byHash) {
      // Promise.resolve().then: a signDigests that throws at once rejects every waiting builder too.
      Promise.resolve()
        .then(() =>
          signDigests(
            items.map((i) => i.digest),
            hashAlgorithm,
            (from, signatures) => signatures.forEach((signature, k) => items[from + k]?.resolve(signature)),
          ),
        )
        .then((signatures) => {
          if (signatures.length !== items.length) throw new CasTokenError('INTERNAL_ERROR', `Asked for ${items.length} signatures, got ${signatures.length}.`);
          items.forEach((item, index) => item.resolve(signatures[index]!));
        })
        .catch((error: unknown) => items.forEach((item) => item.reject(error)));
    }
  };

  return withOneDocumentAtATime(options, {
    signDigest(digest, hashAlgorithm) {
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ digest, hashAlgorithm, resolve, reject });
        if (outstanding <= 0) outstanding = waiting.length; // more than expected: sign what is there
        flush();
      });
    },
    withdraw() {
      outstanding = Math.max(0, outstanding - 1);
      flush();
    },
  });
}

type Signing = Pick<BatchSigner, 'signDigest' | 'withdraw'>;

/** The batch signer around a way of signing: the certificate, and each document's own signer (see forOneDocument). */
function withOneDocumentAtATime(options: BatchSignerOptions, signing: Signing): BatchSigner {
  const batch: BatchSigner = {
    certificate: options.certificate,
    ...(options.certificateChain ? { certificateChain: options.certificateChain } : {}),
    ...(options.scheme ? { scheme: options.scheme } : {}),
    signDigest: signing.signDigest,
    withdraw: signing.withdraw,
    async forOneDocument(build) {
      let asked = false;
      const signer: Signer = { ...batch, signDigest: (digest, hashAlgorithm) => ((asked = true), batch.signDigest(digest, hashAlgorithm)) };
      try {
        return await build(signer);
      } catch (error) {
        if (!asked) batch.withdraw();
        throw error;
      }
    },
  };
  return batch;
}

/**
 * The feed: each digest goes to the token as soon as its document asks (the token's one call starts
 * with the first), the feed ends once every expected document has asked or withdrawn. A failure of the
 * call (a wrong PIN, the token pulled out) is every waiting document's, and every later one's.
 */
function feedSigning(expected: number, signDigestFeed: NonNullable<BatchSignerOptions['signDigestFeed']>): Signing {
  let outstanding = expected;
  const asked: Waiting[] = [];
  const handedOver: Waiting[] = [];
  let pull: ((digest: Uint8Array | undefined) => void) | undefined;
  let hash: HashAlgorithm | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;

  /** What the token's next `feed.next()` gets: the next asked digest, or the end of the feed. */
  const take = (): Uint8Array | undefined | 'wait' => {
    const item = asked.shift();
    if (item) {
      handedOver.push(item);
      return item.digest;
    }
    if (outstanding > 0) return 'wait';
    ended = true;
    return undefined;
  };
  const wake = (): void => {
    if (!pull) return;
    const next = take();
    if (next === 'wait') return;
    const resolve = pull;
    pull = undefined;
    resolve(next);
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    for (const item of [...handedOver, ...asked.splice(0)]) item.reject(failure.error);
  };
  const feed: DigestFeed = {
    total: expected,
    next() {
      const next = take();
      return next === 'wait' ? new Promise((resolve) => (pull = resolve)) : Promise.resolve(next);
    },
  };
  const start = (hashAlgorithm: HashAlgorithm): void => {
    hash = hashAlgorithm;
    // Promise.resolve().then: a signDigestFeed that throws at once fails every document too.
    Promise.resolve()
      .then(() => signDigestFeed(feed, hashAlgorithm, (index, signature) => handedOver[index]?.resolve(signature)))
      .then(
        // Ended: a document the token gave nothing for fails (those it signed are resolved already).
        () => handedOver.forEach((item) => item.reject(new CasTokenError('INTERNAL_ERROR', 'The token gave no signature for a digest it was given.'))),
        fail,
      );
  };
  return {
    signDigest(digest, hashAlgorithm) {
      if (failure) return Promise.reject(failure.error);
      if (ended) return Promise.reject(new CasTokenError('INTERNAL_ERROR', 'A document asked for its signature after the batch ended.'));
      outstanding -= 1; // this document has asked: the feed does not wait for it any more
      if (hash !== undefined && hashAlgorithm !== hash) {
        wake();
        return Promise.reject(new CasTokenError('INTERNAL_ERROR', `One batch, one hash algorithm (${hash}, not ${hashAlgorithm}).`));
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        asked.push({ digest, hashAlgorithm, resolve, reject });
        if (hash === undefined) start(hashAlgorithm);
        wake();
      });
    },
    withdraw() {
      outstanding = Math.max(0, outstanding - 1);
      wake();
    },
  };
}
